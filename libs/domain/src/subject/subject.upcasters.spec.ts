import { ledgerEventVersions, upcastEvent } from '../versions/ledger-event-versions';
import { objectionResolvedV1ToV2, objectionResolvedV2ToV3 } from './subject.upcasters';

const v1Data = {
  subjectId: 'school-1',
  recordId: 'penalty-1',
  objectionId: 'objection-1',
  outcome: 'upheld' as const,
  reason: 'Approval did not cover primary pupils',
  resolvedOn: '2025-10-10',
  withinDeadline: true,
};
const stored = (schemaVersion: number, data: unknown) => ({
  id: 'e-1',
  type: 'ObjectionResolved',
  data,
  metadata: { occurredAt: '2025-10-10T08:00:00+08:00', schemaVersion, policyVersion: '2025-01' },
  hash: 'h'.repeat(64),
});

describe('ObjectionResolved upcasters', () => {
  describe('given a version 1 event (outcome)', () => {
    it('v1 → v2 renames outcome to recordOutcome, values and every other field unchanged', () => {
      const { outcome: _outcome, ...rest } = v1Data;
      expect(objectionResolvedV1ToV2.up(v1Data as never)).toEqual({ ...rest, recordOutcome: 'upheld' });
      expect(objectionResolvedV1ToV2.up({ ...v1Data, outcome: 'corrected' } as never)).toMatchObject({
        recordOutcome: 'corrected',
      });
    });

    it('reads as the current version 3: recordOutcome, no decisionDueBy (v1 never held one)', () => {
      const current = upcastEvent(stored(1, v1Data));
      expect(current.metadata.schemaVersion).toBe(3);
      expect(current.data).not.toHaveProperty('outcome');
      expect(current.data).not.toHaveProperty('decisionDueBy');
      expect(current.data).toMatchObject({ recordOutcome: 'upheld', withinDeadline: true });
    });

    it('leaves the stored event, its hash and the rest of its metadata untouched', () => {
      const event = stored(1, v1Data);
      const before = JSON.stringify(event);
      const current = upcastEvent(event);
      expect(JSON.stringify(event)).toBe(before);
      expect(current.hash).toBe(event.hash);
      expect(current.metadata.policyVersion).toBe('2025-01');
    });
  });

  describe('given a version 2 event', () => {
    it('v2 → v3 adds nothing it does not know: decisionDueBy stays absent', () => {
      const { outcome, ...rest } = v1Data;
      const v2 = { ...rest, recordOutcome: outcome };
      expect(objectionResolvedV2ToV3.up(v2 as never)).toEqual(v2);
      expect(upcastEvent(stored(2, v2)).data).toEqual(v2);
    });
  });

  describe('given a current (version 3) event', () => {
    it('is handed back as the same object (no copy on the hot path)', () => {
      const event = stored(3, { ...v1Data, recordOutcome: 'upheld', decisionDueBy: '2025-10-11' });
      expect(upcastEvent(event)).toBe(event);
    });
  });

  describe('given a version this release does not know', () => {
    it('throws UnknownEventVersion naming type, version and what it reads', () => {
      expect(() => upcastEvent(stored(4, v1Data))).toThrow(
        expect.objectContaining({
          name: 'UnknownEventVersion',
          code: 'EVENT.UNKNOWN_SCHEMA_VERSION',
          eventType: 'ObjectionResolved',
          schemaVersion: 4,
          knownVersion: 3,
        }),
      );
      expect(() => upcastEvent(stored(0, v1Data))).toThrow('ObjectionResolved version 0 is unknown');
      expect(() => upcastEvent({ ...stored(2, v1Data), type: 'PenaltyRecorded' })).toThrow(
        'PenaltyRecorded version 2 is unknown to this release, which reads versions 1 to 1',
      );
    });
  });

  it('every evolved type has a step from each version below its current one', () => {
    expect(Object.fromEntries(ledgerEventVersions.evolved)).toEqual({ ObjectionResolved: 3 });
    expect(ledgerEventVersions.current('PenaltyRecorded')).toBe(1);
  });
});
