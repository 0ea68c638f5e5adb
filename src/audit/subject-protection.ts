import { createHmac } from 'node:crypto';

/**
 * Data subjects (citizens) appear in the audit trail only in two forms:
 * a keyed hash, so records about one person can be found given their id but
 * the id cannot be recovered from the trail (a plain hash of a 12-digit id
 * falls to brute force in seconds; a keyed one does not without the key),
 * and a masked form, so a human reading a record can tell records apart.
 */

/** HMAC-SHA-256 needs a key at least as long as its output to give its full strength. */
export const minimumSubjectKeyBytes = 32;

export function assertSubjectKey(key: Buffer | string): void {
  const length = typeof key === 'string' ? Buffer.byteLength(key, 'utf8') : key.length;
  if (length < minimumSubjectKeyBytes) {
    throw new Error(
      `the audit subject key must be at least ${minimumSubjectKeyBytes} bytes (got ${length}); ` +
        'generate one with `openssl rand -base64 48` and keep it in the environment, not in the config file',
    );
  }
}

/**
 * Hex HMAC-SHA-256 of the id. Callers pass the id in its validated canonical
 * form: a stray space would give a different hash and hide the record from
 * the subject's report.
 */
export function hashSubjectId(key: Buffer | string, id: string): string {
  if (key.length === 0) throw new Error('the audit subject key is empty');
  return createHmac('sha256', key).update(id, 'utf8').digest('hex');
}

/**
 * Keeps the first 3 and last 2 characters (`001*******34`) of an id of 10 or
 * more characters, so at least half of it stays hidden. Shorter ids keep a
 * quarter of their length at each end (`12*****89`, `1**4`, `***`).
 */
export function maskSubjectId(id: string): string {
  // Counted in characters (code points); without surrogates each UTF-16 unit is one (a personal id is digits) and the string is cut as it is.
  const chars: string | string[] = /[\uD800-\uDFFF]/.test(id) ? Array.from(id) : id;
  const quarter = Math.floor(chars.length / 4);
  const [head, tail] = chars.length >= 10 ? [3, 2] : [quarter, quarter];
  const hidden = chars.length - head - tail;
  return joined(chars.slice(0, head)) + '*'.repeat(hidden) + joined(chars.slice(chars.length - tail));
}

function joined(chars: string | string[]): string {
  return typeof chars === 'string' ? chars : chars.join('');
}
