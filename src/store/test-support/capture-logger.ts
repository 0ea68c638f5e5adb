import { createLogger, type Logger } from '../../observability/logger.js';

export interface CapturedLogger {
  logger: Logger;
  /** Every line written so far, raw JSON text. */
  text(): string;
  messages(): string[];
}

/** A real pino logger (with the production redaction) writing into memory. */
export function captureLogger(): CapturedLogger {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(line) } });
  return {
    logger,
    text: () => lines.join(''),
    messages: () => lines.map((line) => (JSON.parse(line) as { msg: string }).msg),
  };
}
