import fc from 'fast-check';
import { canonicalJson } from './canonical-json';
import { hashEvent, hashPrepared } from './hash-chain';
import { validateNewEvents } from './event-validation';

const jsonValue = fc.jsonValue().filter((v) => !JSON.stringify(v).includes('\\u0000'));

describe('the hash of an appended event', () => {
  it('is the same composed from prepared parts as computed from the whole event (RFC 8785)', () => {
    fc.assert(
      fc.property(
        jsonValue,
        fc.dictionary(fc.string(), jsonValue),
        fc.option(fc.string({ minLength: 1, maxLength: 64 })),
        fc.nat(),
        (data, extra, prevHash, revision) => {
          const event = {
            id: '01a20000-0000-7000-8000-000000000001',
            type: 'Something.Happened',
            data,
            metadata: { ...extra, occurredAt: '2026-01-01T00:00:00.000Z', schemaVersion: 1 },
          };
          const [prepared] = validateNewEvents([event]);
          const fields = {
            id: event.id,
            type: event.type,
            streamId: 'subject-1',
            revision,
            recordedAt: '2026-01-02T03:04:05.678Z',
            prevHash: prevHash ?? null,
          };
          expect(hashPrepared(fields, prepared!)).toBe(
            hashEvent({ ...fields, data: event.data, metadata: event.metadata }),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('follows RFC 8785 for keys and numbers', () => {
    expect(canonicalJson({ b: 1, a: [1e21, 0.1, -0, 'é'], '\u20ac': null, '\r': true })).toBe(
      '{"\\r":true,"a":[1e+21,0.1,0,"é"],"b":1,"€":null}',
    );
  });
});
