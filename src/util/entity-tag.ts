import { createHash } from 'node:crypto';

/** A strong entity tag of an answer's exact bytes (RFC 9110 §8.8.3): equal text, equal tag, on every replica. */
export function entityTagOf(text: string): string {
  return `"${createHash('sha256').update(text).digest('base64url').slice(0, 32)}"`;
}

/**
 * Whether If-None-Match names this representation (RFC 9110 §13.1.2): `*`,
 * or a list of tags compared weakly (W/"x" matches "x"), so a client that
 * stored a tag through a proxy that weakened it still gets its 304.
 */
export function ifNoneMatchMatches(header: string | undefined, tag: string): boolean {
  if (header === undefined) return false;
  const value = header.trim();
  if (value === '*') return true;
  const opaque = tag.replace(/^W\//, '');
  return (value.match(/(?:W\/)?"[^"]*"/g) ?? []).some((candidate) => candidate.replace(/^W\//, '') === opaque);
}
