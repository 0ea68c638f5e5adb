import canonicalizeModule from 'canonicalize';

// canonicalize ships CommonJS typings that do not resolve as a callable under NodeNext.
const canonicalize = canonicalizeModule as unknown as (value: unknown) => string | undefined;

/**
 * The fields as canonical JSON (RFC 8785), in a Buffer the caller can zero:
 * the same values give the same bytes whatever the key order, which the
 * fingerprint needs and the ciphertext does not mind.
 */
export function canonicalFieldsBytes(fields: Readonly<Record<string, unknown>>): Buffer {
  const text = canonicalize(fields);
  if (text === undefined) throw new TypeError('credential fields must be JSON values');
  return Buffer.from(text, 'utf8');
}

/** The names of the fields that hold a value, sorted. */
export function fieldsSetOf(fields: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(fields)
    .filter((name) => fields[name] !== undefined && fields[name] !== null)
    .sort();
}
