/**
 * Data minimization: keep only the granted fields (dotted paths) of a
 * response. Fields not granted are absent, never null; `*` keeps everything.
 */
export function projectFields<T>(data: T, fields: readonly string[]): T {
  if (fields.includes('*') || data === null || typeof data !== 'object') return data;
  const tree = toTree(fields);
  return pick(data as Record<string, unknown>, tree) as T;
}

/**
 * What a projected response actually released, for the audit record: the
 * granted paths present in it (or, under `*`, the operation's own account
 * of its fields).
 */
export function releasedFields(projected: unknown, fields: readonly string[], all: () => string[]): string[] {
  if (fields.includes('*')) return all();
  return fields.filter((path) => hasPath(projected, path.split('.')));
}

function hasPath(value: unknown, parts: string[]): boolean {
  let node = value;
  for (const part of parts) {
    if (node === null || typeof node !== 'object' || !(part in node)) return false;
    node = (node as Record<string, unknown>)[part];
  }
  return node !== undefined;
}

type FieldTree = Map<string, FieldTree | true>;

function toTree(fields: readonly string[]): FieldTree {
  const root: FieldTree = new Map();
  for (const field of fields) {
    const parts = field.split('.');
    let node = root;
    parts.forEach((part, index) => {
      const existing = node.get(part);
      if (existing === true) return;
      if (index === parts.length - 1) {
        node.set(part, true);
        return;
      }
      const child: FieldTree = existing ?? new Map();
      node.set(part, child);
      node = child;
    });
  }
  return root;
}

function pick(value: Record<string, unknown>, tree: FieldTree): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, branch] of tree) {
    if (!(key in value) || value[key] === undefined) continue;
    const member = value[key];
    if (branch === true) out[key] = member;
    else if (member && typeof member === 'object' && !Array.isArray(member)) {
      const nested = pick(member as Record<string, unknown>, branch);
      if (Object.keys(nested).length > 0) out[key] = nested;
    }
  }
  return out;
}
