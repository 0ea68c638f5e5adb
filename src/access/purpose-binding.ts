import type { Grant, Purpose } from '../../contracts/types.generated.js';
import { ProblemError } from '../errors/index.js';

/**
 * Dossier code (Circular 01/2018/TT-VPCP): `<unit code>-YYMMDD-NNNN`, unit
 * codes like `000.00.01.H22` (the letter+2 digits name the province).
 */
const dossierCodePattern = /^(\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2})-(\d{2})(\d{2})(\d{2})-(\d{4,6})$/;
const purposeCodePattern = /^[A-Z][A-Z0-9_-]{1,63}$/;

export type ParsedPurpose = { kind: 'code'; code: string } | { kind: 'dossier'; dossierCode: string; unitCode: string };

/** Malformed → 400: the caller must fix the request, no grant can make it valid. */
export function parsePurpose(value: string): ParsedPurpose {
  if (purposeCodePattern.test(value)) return { kind: 'code', code: value };
  const match = dossierCodePattern.exec(value);
  if (!match || !isCalendarDate(Number(match[2]), Number(match[3]), Number(match[4]))) {
    throw new ProblemError('LGSP_PURPOSE_MALFORMED', {
      detail: 'X-Purpose must be a registered purpose code (e.g. DOSSIER-PROCESSING) or a dossier code <unit code>-YYMMDD-NNNN (e.g. 000.00.01.H22-261123-0001)',
      errors: [{ field: 'header:X-Purpose', message: 'is malformed' }],
    });
  }
  return { kind: 'dossier', dossierCode: value, unitCode: match[1]! };
}

/**
 * The purpose of the grant that X-Purpose satisfies, or 403. A dossier code
 * qualifies through a `dossier` purpose whose unit patterns match its unit
 * (and whose procedure list, when it has one, names X-Procedure).
 */
export function bindPurpose(
  grant: Grant,
  parsed: ParsedPurpose,
  catalog: ReadonlyMap<string, Purpose>,
  procedureCode: string | undefined,
): Purpose {
  const allowed = (grant.purposes ?? []).map((code) => catalog.get(code)).filter((purpose): purpose is Purpose => purpose !== undefined);
  const bound =
    parsed.kind === 'code'
      ? allowed.find((purpose) => purpose.kind === 'code' && purpose.code === parsed.code)
      : allowed.find(
          (purpose) =>
            purpose.kind === 'dossier' &&
            (purpose.unitCodePatterns ?? []).some((pattern) => unitCodeMatches(pattern, parsed.unitCode)) &&
            (!purpose.procedureCodes?.length || (procedureCode !== undefined && purpose.procedureCodes.includes(procedureCode))),
        );
  if (!bound) {
    throw new ProblemError('LGSP_PURPOSE_NOT_GRANTED', {
      detail: 'no purpose of this grant covers the given X-Purpose',
      errors: [{ field: 'header:X-Purpose', message: 'is not granted for this operation' }],
    });
  }
  return bound;
}

/** `*` matches a whole unit code or one dot-separated part (`*.*.*.H22`). */
export function unitCodeMatches(pattern: string, unitCode: string): boolean {
  if (pattern === '*') return true;
  const expected = pattern.split('.');
  const actual = unitCode.split('.');
  return expected.length === actual.length && expected.every((part, index) => part === '*' || part === actual[index]);
}

function isCalendarDate(yy: number, mm: number, dd: number): boolean {
  const date = new Date(Date.UTC(2000 + yy, mm - 1, dd));
  return date.getUTCMonth() === mm - 1 && date.getUTCDate() === dd;
}
