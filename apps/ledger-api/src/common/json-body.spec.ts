import fc from 'fast-check';
import { jsonDepthExceeds, nonFiniteNumberAt } from './json-body';

function depthOf(value: unknown): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depthOf));
  if (typeof value === 'object' && value !== null)
    return 1 + Math.max(0, ...Object.values(value).map(depthOf));
  return 0;
}

describe('the JSON depth scan', () => {
  it('agrees with the parsed depth of any JSON text, strings with brackets and escapes included', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 10 }), (value, limit) => {
        const text = JSON.stringify(value);
        expect(jsonDepthExceeds(text, limit)).toBe(depthOf(JSON.parse(text)) > limit);
      }),
      { seed: 18, numRuns: 2_000 },
    );
  });

  it('stops early on a hostile body', () => {
    expect(jsonDepthExceeds('['.repeat(1_000_000), 32)).toBe(true);
    expect(jsonDepthExceeds('"[[[[\\"[[["', 0)).toBe(false);
  });
});

describe('finding a number that is not finite', () => {
  it('names its path', () => {
    expect(nonFiniteNumberAt({ a: [1, { b: JSON.parse('1e999') }] })).toBe('a[1].b');
    expect(nonFiniteNumberAt(JSON.parse('-1e999'))).toBe('(body)');
    expect(nonFiniteNumberAt({ a: [1, 2.5, 'Infinity'] })).toBeUndefined();
  });
});
