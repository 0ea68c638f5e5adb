import { randomInt } from 'node:crypto';

/**
 * Our payment reference, MaThamChieu: sent to the platform, printed on bank
 * statements, read aloud on the phone. At most 20 characters (the limit
 * connectors/paygov/mapping.ts assumes), only [A-Z0-9] so that no system on
 * the way changes its case or escapes it.
 *
 * `PG` + the Vietnam date (yyMMdd) + 12 random characters of an alphabet
 * without I and O (they read as 1 and 0): 34^12 ≈ 2^61 per day, so a
 * collision is rare; the store still retries one, the primary key decides.
 */
export const maxReferenceLength = 20;
export const referenceShape = /^[A-Z0-9]{1,20}$/;

const alphabet = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const randomLength = 12;
const vietnamOffsetMs = 7 * 3_600_000;

export function newPaymentReference(now: Date = new Date()): string {
  const day = new Date(now.getTime() + vietnamOffsetMs).toISOString().slice(2, 10).replaceAll('-', '');
  let random = '';
  for (let i = 0; i < randomLength; i += 1) random += alphabet[randomInt(alphabet.length)];
  return `PG${day}${random}`;
}
