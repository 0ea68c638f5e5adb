import type { Store } from '../../src/store/store.js';

/**
 * What a leaked secret looks like in text: itself, its hex (how PostgreSQL
 * prints bytea), and its base64/base64url at each of the three alignments it
 * can have inside a longer encoded string (the edge characters, which depend
 * on the neighbouring bytes, are cut off).
 */
export function encodingsOf(secret: string): Array<[encoding: string, needle: string]> {
  const bytes = Buffer.from(secret, 'utf8');
  const needles: Array<[string, string]> = [
    ['plain', secret],
    ['hex', bytes.toString('hex')],
    ['HEX', bytes.toString('hex').toUpperCase()],
  ];
  for (let offset = 0; offset < 3; offset += 1) {
    const shifted = Buffer.concat([Buffer.alloc(offset), bytes]);
    for (const encoding of ['base64', 'base64url'] as const) {
      const encoded = shifted.toString(encoding).replace(/=+$/, '');
      // Characters touching the padding bytes or the unknown next byte vary with context.
      const start = Math.ceil((offset * 4) / 3);
      const end = Math.floor(((offset + bytes.length) * 4) / 3);
      needles.push([`${encoding}+${offset}`, encoded.slice(start, end)]);
    }
  }
  return needles;
}

/** Every base table of the store's schema, each row as PostgreSQL's own text form (bytea as hex, jsonb as JSON). */
export async function everyTableAsText(store: Pick<Store, 'query'>): Promise<Record<string, string>> {
  const { rows: tables } = await store.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
  );
  const text: Record<string, string> = {};
  for (const { table_name: table } of tables) {
    const { rows } = await store.query<{ row: string }>(`SELECT t::text AS row FROM "${table}" t`);
    text[table] = rows.map((row) => row.row).join('\n');
  }
  return text;
}
