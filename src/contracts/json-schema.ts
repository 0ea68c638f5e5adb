// Defined by the connector kit (descriptors carry schemas); the core uses the same shape.
export type { JsonSchema } from '../connector-kit/json-schema.js';
