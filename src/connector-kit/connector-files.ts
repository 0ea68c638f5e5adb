import { fromProjectRoot } from './project-root.js';

/**
 * Path of a file shipped in a connector's folder (WSDL copies, code lists).
 * tsc does not copy non-TypeScript files into dist/, so they are read from
 * the source tree in both layouts.
 */
export function connectorFile(connectorId: string, ...segments: string[]): string {
  return fromProjectRoot('connectors', connectorId, ...segments);
}
