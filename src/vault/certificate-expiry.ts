import { X509Certificate } from 'node:crypto';
import { ProblemError } from '../errors/problem-error.js';

/** The credential field holding a client certificate (PEM) for mTLS; its notAfter is the version's expiry. */
export const clientCertificateField = 'clientCertificate';

/**
 * When the uploaded client certificate stops being valid, or undefined when
 * the fields hold none. An unreadable certificate is refused now rather than
 * at the first mTLS handshake; the message never quotes the upload.
 */
export function certificateExpiry(fields: Readonly<Record<string, unknown>>): Date | undefined {
  const pem = fields[clientCertificateField];
  if (pem === undefined || pem === null) return undefined;
  const refuse = (message: string) => new ProblemError('LGSP_VALIDATION_FAILED', { errors: [{ field: clientCertificateField, message }] });
  if (typeof pem !== 'string') throw refuse('must be a PEM X.509 certificate (text)');
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch {
    throw refuse('is not a readable PEM X.509 certificate');
  }
  // validToDate exists from Node 22; Node 20 has only the text form ("Mar  1 12:00:00 2026 GMT"), which Date parses.
  // Copied into a Date of our own: Node's validToDate is made in Node's realm, and a driver testing `instanceof Date` in another one (jest's vm contexts) would refuse it.
  const notAfter = (certificate as X509Certificate & { validToDate?: Date }).validToDate;
  const validTo = notAfter ? new Date(notAfter.getTime()) : new Date(certificate.validTo);
  if (Number.isNaN(validTo.getTime())) throw refuse('has no readable expiry (notAfter)');
  return validTo;
}
