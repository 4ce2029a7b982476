import { eventVersions, UnknownEventVersion, type Upcaster } from './event-versions';

const step = (from: number, up: (data: never) => unknown): Upcaster => ({
  type: 'Thing',
  from,
  change: 'test',
  up,
});
const thing = (schemaVersion: number, data: unknown) => ({
  type: 'Thing',
  data,
  metadata: { schemaVersion },
});

describe('eventVersions', () => {
  const versions = eventVersions([
    step(1, (d: { a: number }) => ({ b: d.a })),
    step(2, (d: { b: number }) => ({ b: d.b, c: d.b * 2 })),
  ]);

  it('runs every step from the stored version up to the current one, in order', () => {
    expect(versions.upcast(thing(1, { a: 2 }))).toEqual(thing(3, { b: 2, c: 4 }));
    expect(versions.upcast(thing(2, { b: 5 }))).toEqual(thing(3, { b: 5, c: 10 }));
  });

  it('refuses a version above the current one, or one that is not a positive integer', () => {
    for (const version of [4, 0, -1, 1.5, Number.NaN])
      expect(() => versions.upcast(thing(version, {}))).toThrow(UnknownEventVersion);
  });

  it('refuses a chain with a gap or out of order', () => {
    expect(() => eventVersions([step(2, (d) => d)])).toThrow('expected the step from v1');
    expect(() => eventVersions([step(1, (d) => d), step(1, (d) => d)])).toThrow('expected the step from v2');
  });

  it('gives version 1 to a type without upcasters and leaves its events as they are', () => {
    const other = { type: 'Other', data: { x: 1 }, metadata: { schemaVersion: 1 } };
    expect(versions.current('Other')).toBe(1);
    expect(versions.upcast(other)).toBe(other);
  });
});
