export { problemCodes, type ProblemCode } from './problem-codes.js';
export { ProblemError, isProblemError, problemTypeUri, type ProblemDetails, type ProblemOptions } from './problem-error.js';
