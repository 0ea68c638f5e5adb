import { problemCodes, type ProblemCode } from './problem-codes.js';

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  code: ProblemCode;
  detail?: string;
  instance?: string;
  requestId?: string;
  connector?: string;
  /** Names the offending request parts, e.g. `personalId`, `header:X-Purpose`. */
  errors?: Array<{ field: string; message: string }>;
  [extension: string]: unknown;
}

export interface ProblemOptions {
  detail?: string;
  connector?: string;
  errors?: Array<{ field: string; message: string }>;
  /** Response headers the problem needs (e.g. Retry-After). */
  headers?: Record<string, string>;
  /** Extra members for the problem document; never put secrets or personal data here. */
  extensions?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * An error that knows how it must be answered. Anything thrown that is not a
 * ProblemError is answered as LGSP_INTERNAL without its message, so internals
 * never reach a caller.
 */
export class ProblemError extends Error {
  readonly code: ProblemCode;
  readonly status: number;
  readonly options: ProblemOptions;

  constructor(code: ProblemCode, options: ProblemOptions = {}) {
    super(options.detail ?? problemCodes[code].title, { cause: options.cause });
    this.name = 'ProblemError';
    this.code = code;
    this.status = problemCodes[code].status;
    this.options = options;
  }

  toProblem(requestId?: string, instance?: string): ProblemDetails {
    const { title } = problemCodes[this.code];
    return {
      type: problemTypeUri(this.code),
      title,
      status: this.status,
      code: this.code,
      ...(this.options.detail ? { detail: this.options.detail } : {}),
      ...(instance ? { instance } : {}),
      ...(requestId ? { requestId } : {}),
      ...(this.options.connector ? { connector: this.options.connector } : {}),
      ...(this.options.errors ? { errors: this.options.errors } : {}),
      ...this.options.extensions,
    };
  }
}

export function problemTypeUri(code: ProblemCode): string {
  return `https://lgsp.gov.vn/problems/${code.toLowerCase().replace(/_/g, '-')}`;
}

export function isProblemError(error: unknown): error is ProblemError {
  return error instanceof ProblemError;
}
