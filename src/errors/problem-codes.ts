/**
 * The one table of problem codes. Every error response, log line and test
 * refers to these names; a code never changes meaning once released, because
 * consumers branch on it.
 */
export const problemCodes = {
  LGSP_NOT_FOUND: { status: 404, title: 'No such route or resource' },
  LGSP_METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed on this route' },
  LGSP_BODY_TOO_LARGE: { status: 413, title: 'Request body too large' },
  LGSP_BODY_MALFORMED: { status: 400, title: 'Request body is not valid JSON' },
  LGSP_UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  LGSP_VALIDATION_FAILED: { status: 400, title: 'Request does not satisfy the contract' },
  LGSP_INVALID_PERSONAL_ID: { status: 400, title: 'Invalid personal identification number' },
  LGSP_END_USER_REQUIRED: { status: 400, title: 'X-End-User header is required for personal-data operations' },
  LGSP_PURPOSE_REQUIRED: { status: 400, title: 'X-Purpose header is required for personal-data operations' },
  LGSP_TOKEN_MISSING: { status: 401, title: 'Bearer token required' },
  LGSP_TOKEN_INVALID: { status: 401, title: 'Bearer token is not valid' },
  LGSP_TOKEN_EXPIRED: { status: 401, title: 'Bearer token has expired' },
  LGSP_FORBIDDEN: { status: 403, title: 'Not allowed' },
  LGSP_SUBJECT_NOT_FOUND: { status: 404, title: 'The upstream holds no record for this subject' },
  LGSP_UPSTREAM_TIMEOUT: { status: 504, title: 'Upstream did not answer in time' },
  LGSP_UPSTREAM_ERROR: { status: 502, title: 'Upstream failed' },
  LGSP_UPSTREAM_UNAVAILABLE: { status: 503, title: 'Upstream temporarily unavailable (circuit open)' },
  LGSP_UPSTREAM_BUSY: { status: 503, title: 'Too many calls to this upstream in flight: retry after the time in Retry-After' },
  LGSP_DEADLINE_EXCEEDED: { status: 504, title: 'The request deadline (Request-Timeout or the gateway maximum) passed before the upstream answered' },
  LGSP_UPSTREAM_AUTH_FAILED: { status: 502, title: 'Gateway could not authenticate to the upstream' },
  LGSP_UPSTREAM_CONTRACT_VIOLATION: { status: 502, title: 'Upstream answer does not satisfy its contract' },
  LGSP_UPSTREAM_RESPONSE_TOO_LARGE: { status: 502, title: 'Upstream answer larger than the gateway reads from it' },
  LGSP_AUDIT_UNAVAILABLE: { status: 503, title: 'Audit trail unavailable: personal-data operations are refused' },
  LGSP_SHUTTING_DOWN: { status: 503, title: 'Gateway is shutting down' },
  LGSP_INTERNAL: { status: 500, title: 'Internal error' },
  LGSP_AUTH_UNAVAILABLE: { status: 503, title: 'Token signing keys unavailable: the identity provider cannot be reached' },
  LGSP_RATE_LIMITED: { status: 429, title: 'Rate limit or quota exceeded: retry after the time in Retry-After' },
  LGSP_CONSUMER_UNKNOWN: { status: 403, title: 'The calling client is not a registered consumer' },
  LGSP_CONSUMER_SUSPENDED: { status: 403, title: 'The consumer is suspended' },
  LGSP_OPERATION_NOT_GRANTED: { status: 403, title: 'The consumer has no grant for this operation' },
  LGSP_GRANT_NOT_VALID_NOW: { status: 403, title: "The consumer's grant for this operation is outside its validity window" },
  LGSP_PURPOSE_MALFORMED: { status: 400, title: 'X-Purpose is neither a registered purpose code nor a well-formed dossier code' },
  LGSP_PURPOSE_NOT_GRANTED: { status: 403, title: "X-Purpose does not satisfy a purpose of the consumer's grant" },
  LGSP_ROLE_REQUIRED: { status: 403, title: 'A gateway role is required for this route' },
  LGSP_IDEMPOTENCY_KEY_REUSED: { status: 422, title: 'The Idempotency-Key was already used for a different request' },
  LGSP_CONFLICT: { status: 409, title: 'The resource already exists or is still referenced' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof problemCodes;
