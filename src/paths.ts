// One way to find the repository root, shared with the connector kit (connectors read their WSDLs and code lists with it).
export { fromProjectRoot, projectRoot } from './connector-kit/project-root.js';
