import { isUpstreamError, type UpstreamError } from '../connector-kit/upstream-errors.js';

/** Longest description kept in a probe report. */
export const probeErrorMaxLength = 200;

/**
 * What the upstream answered to a failed health probe, in one short line an
 * operator can act on: `HTTP 404 from the upstream`, `SOAP fault soap:Server`,
 * `the token endpoint refused the gateway's credentials (HTTP 401, invalid_client)`.
 *
 * Built only from fixed phrases, the failure kind, an HTTP status (three
 * digits) and the upstream's code when it looks like a code: never from the
 * error's message as such. Messages are written by connectors and may quote
 * what the upstream said (a body, a record, a personal id), and the report is
 * shown to every admin role and on the unauthenticated ops listener.
 */
export function describeProbeFailure(error: unknown, options: { timedOut?: boolean; timeoutMs?: number } = {}): string {
  if (!isUpstreamError(error)) {
    if (options.timedOut) return cap(`no answer within the probe timeout${options.timeoutMs !== undefined ? ` (${options.timeoutMs} ms)` : ''}`);
    return 'the probe failed with an error the connector did not classify';
  }
  const source = sourceOf(error);
  const status = httpStatusOf(error);
  const code = safeCode(error.upstreamCode);
  const details = [status !== undefined && `HTTP ${status}`, code !== undefined && code !== String(status) && labelled(code)].filter((part): part is string => typeof part === 'string');
  const withDetails = (phrase: string) => cap(details.length > 0 ? `${phrase} (${details.join(', ')})` : phrase);
  switch (error.kind) {
    case 'timeout':
      return cap(`${source} did not answer in time`);
    case 'connection': {
      const errno = safeErrno((error.cause as { code?: unknown } | undefined)?.code);
      return cap(`${source} could not be reached${errno ? ` (${errno})` : ''}`);
    }
    case 'http':
      return status !== undefined ? cap(`HTTP ${status} from ${source}${code !== undefined && code !== String(status) ? ` (${labelled(code)})` : ''}`) : withDetails(`unexpected HTTP status from ${source}`);
    case 'fault':
      if (isSoapFault(error)) return code !== undefined ? cap(`SOAP fault ${code}`) : 'SOAP fault';
      return withDetails(`${source} reported an error`);
    case 'rejected':
      if (isSoapFault(error)) return code !== undefined ? cap(`SOAP fault ${code}: the upstream refused the probe's request`) : "SOAP fault: the upstream refused the probe's request";
      return withDetails(`${source} refused the probe's request as invalid`);
    case 'auth':
      return withDetails(`${source} refused the gateway's credentials`);
    case 'garbage':
      return withDetails(`${source} answered something that cannot be read`);
    case 'too_large':
      return cap(`${source}'s answer was larger than the gateway reads`);
    case 'contract':
      return withDetails(`${source}'s answer broke its contract`);
  }
}

/**
 * Who answered: the kit's login modules start their messages with these
 * words (src/connector-kit/upstream-auth). Only matched against fixed
 * prefixes, never copied.
 */
function sourceOf(error: UpstreamError): string {
  if (error.message.startsWith('token endpoint')) return 'the token endpoint';
  if (error.message.startsWith('session login')) return 'the session login';
  return 'the upstream';
}

function isSoapFault(error: UpstreamError): boolean {
  return error.message.startsWith('SOAP fault');
}

/** The HTTP status: the code of an `http` failure, or the `HTTP nnn` the kit's messages carry. Three digits, nothing else. */
function httpStatusOf(error: UpstreamError): number | undefined {
  const fromCode = error.kind === 'http' && /^[1-5]\d\d$/.test(error.upstreamCode ?? '') ? Number(error.upstreamCode) : undefined;
  if (fromCode !== undefined) return fromCode;
  const match = /\bHTTP ([1-5]\d\d)\b/.exec(error.message);
  if (match) return Number(match[1]);
  return /^(401|403)$/.test(error.upstreamCode ?? '') ? Number(error.upstreamCode) : undefined;
}

/**
 * An upstream code shown only when it looks like one: short, made of code
 * characters, without a run of six or more digits (personal ids, tax and
 * social-insurance codes, certificate serials are such runs).
 */
function safeCode(code: string | undefined): string | undefined {
  if (code === undefined) return undefined;
  if (!/^[A-Za-z0-9][A-Za-z0-9:._-]{0,31}$/.test(code)) return undefined;
  if (/\d{6}/.test(code)) return undefined;
  return code;
}

/** OAuth2 error names (RFC 6749 §5.2, `invalid_client`) read as they are; anything else as `code X`. */
function labelled(code: string): string {
  return /^[a-z]+(_[a-z]+)+$/.test(code) ? code : `code ${code}`;
}

/** Node's and undici's connection error codes (ECONNREFUSED, UND_ERR_CONNECT_TIMEOUT): set by the client, not the upstream. */
function safeErrno(code: unknown): string | undefined {
  return typeof code === 'string' && /^(E[A-Z]{2,20}|UND_ERR_[A-Z_]{2,30})$/.test(code) ? code : undefined;
}

function cap(text: string): string {
  return text.length <= probeErrorMaxLength ? text : `${text.slice(0, probeErrorMaxLength - 1)}…`;
}
