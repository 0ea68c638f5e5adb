/**
 * RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line
 * breaks. `crlf` (the RFC, and what the audit export writes): only CRLF ends
 * a record, and the text must end with one. `any-line-break` (spreadsheet
 * exports from elsewhere): LF, CRLF or CR end a record, the last may have none.
 */
export function parseCsv(text: string, options: { records: 'crlf' | 'any-line-break' }): string[][] {
  const strict = options.records === 'crlf';
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if ((char === '\r' && text[i + 1] === '\n') || (!strict && (char === '\n' || char === '\r'))) {
      if (char === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || row.length > 0) {
    if (strict) throw new Error('the CSV does not end with CRLF');
    rows.push([...row, field]);
  }
  return rows;
}
