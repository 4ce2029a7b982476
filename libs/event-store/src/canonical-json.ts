// RFC 8785 (JSON Canonicalization Scheme) for the values an event may hold. Hashes are computed over
// this form, so every adapter and every outside verifier derives the same bytes from the same event.
// ECMAScript's Number-to-string and JSON string escaping are exactly what RFC 8785 prescribes;
// what remains is sorting keys by UTF-16 code units and refusing what JSON cannot hold.

export class NotCanonicalJson extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path || '(root)'} ${reason}`);
  }
}

const MAX_DEPTH = 64;

export function canonicalJson(value: unknown): string {
  return serialise(value, '', 0);
}

function serialise(value: unknown, path: string, depth: number): string {
  if (depth > MAX_DEPTH) throw new NotCanonicalJson(path, `is nested deeper than ${MAX_DEPTH} levels`);
  switch (typeof value) {
    case 'string':
      if (value.includes('\u0000')) throw new NotCanonicalJson(path, 'contains a NUL character');
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new NotCanonicalJson(path, `is not a finite number (${value})`);
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        return `[${value.map((item, i) => serialise(item, `${path}[${i}]`, depth + 1)).join(',')}]`;
      }
      const prototype = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) {
        throw new NotCanonicalJson(
          path,
          `is a ${prototype?.constructor?.name ?? 'non-plain'} object, not plain JSON`,
        );
      }
      const record = value as Record<string, unknown>;
      const members = Object.keys(record)
        .filter((key) => record[key] !== undefined)
        .sort()
        .map(
          (key) =>
            `${JSON.stringify(key)}:${serialise(record[key], path ? `${path}.${key}` : key, depth + 1)}`,
        );
      return `{${members.join(',')}}`;
    }
    default:
      throw new NotCanonicalJson(path, `is a ${typeof value}, which JSON cannot hold`);
  }
}
