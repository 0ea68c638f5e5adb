import pg from 'pg';

/**
 * node-postgres returns bigint as string and date as local midnight, PGlite
 * returns bigint as number and date as UTC midnight. Code above the Store
 * must not care which driver runs, so the pg pool gets PGlite's conventions.
 * Scoped to our pools (not pg.types.setTypeParser) so that other pg users in
 * the process keep the library defaults.
 */
const INT8 = pg.types.builtins.INT8;
const DATE = pg.types.builtins.DATE;

function parseInt8(text: string): number | bigint {
  const value = BigInt(text);
  return value < BigInt(Number.MIN_SAFE_INTEGER) || value > BigInt(Number.MAX_SAFE_INTEGER) ? value : Number(value);
}

function parseDate(text: string): Date | number {
  if (text === 'infinity') return Number.POSITIVE_INFINITY;
  if (text === '-infinity') return Number.NEGATIVE_INFINITY;
  return new Date(text);
}

function getTypeParser(oid: number, format?: 'text' | 'binary'): (text: string) => unknown {
  if (format !== 'binary') {
    if (oid === INT8) return parseInt8;
    if (oid === DATE) return parseDate;
  }
  return pg.types.getTypeParser(oid, format as 'text');
}

export const pgliteCompatibleTypes = { getTypeParser } as unknown as pg.CustomTypesConfig;
