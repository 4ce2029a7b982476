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
  // The fast walk keeps no paths; only a value it refuses is walked again to say where the fault is.
  return serialiseFast(value, 0) ?? serialise(value, '', 0);
}

/** canonicalJson without paths: undefined when the value holds something JSON cannot. */
function serialiseFast(value: unknown, depth: number): string | undefined {
  if (depth > MAX_DEPTH) return undefined;
  switch (typeof value) {
    case 'string':
      return value.includes('\u0000') ? undefined : JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : undefined;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      let out: string;
      if (Array.isArray(value)) {
        out = '[';
        for (let i = 0; i < value.length; i++) {
          const item = serialiseFast(value[i], depth + 1);
          if (item === undefined) return undefined;
          out += i === 0 ? item : `,${item}`;
        }
        return `${out}]`;
      }
      const prototype = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) return undefined;
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      out = '{';
      for (const key of keys) {
        if (record[key] === undefined) continue;
        const member = serialiseFast(record[key], depth + 1);
        if (member === undefined) return undefined;
        out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${member}`;
      }
      return `${out}}`;
    }
    default:
      return undefined;
  }
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
