/**
 * The logging a connector may do: structured fields first, then a message.
 * A structural subset of the gateway's pino logger, so the kit does not
 * depend on the core's logging setup (redaction stays the core's job).
 */
export interface ConnectorLogger {
  debug(fields: Record<string, unknown>, message?: string): void;
  info(fields: Record<string, unknown>, message?: string): void;
  warn(fields: Record<string, unknown>, message?: string): void;
  error(fields: Record<string, unknown>, message?: string): void;
  child(bindings: Record<string, unknown>): ConnectorLogger;
}
