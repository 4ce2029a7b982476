import type { StoredEvent } from '@ledger/event-store';
import { penaltyRecorded, publicityExtendedToMaximum } from '@ledger/domain/subject/testing/subject-fixtures';
import {
  penaltyDisclosureProjection as disclosure,
  type PenaltyDisclosure,
} from './penalty-disclosure.projection';

let position = 0;
const stored = (event: { type: string; data: unknown }): StoredEvent =>
  ({
    ...event,
    id: `e${++position}`,
    streamId: 'subject-s1',
    revision: position,
    position,
    recordedAt: '2026-01-01T00:00:00.000Z',
    prevHash: null,
    hash: 'h',
    metadata: { occurredAt: '2026-01-01T00:00:00.000Z', schemaVersion: 1 },
  }) as StoredEvent;

const fold = (events: Array<{ type: string; data: unknown }>): PenaltyDisclosure | null =>
  events
    .map(stored)
    .reduce<PenaltyDisclosure | null>(
      (doc, event) => disclosure.evolve(doc ?? undefined, event, 'penalty-1'),
      null,
    );

describe('the penalty disclosure read model', () => {
  it('publishes a public penalty and withdraws it when a repair is approved', () => {
    expect(fold([penaltyRecorded()])).toMatchObject({ recordId: 'penalty-1', disputed: false });
    const repaired = {
      type: 'RepairApproved',
      data: { subjectId: 's1', recordId: 'penalty-1', applicationId: 'r1', decidedOn: '2025-06-10' },
    };
    expect(fold([penaltyRecorded(), repaired])).toBeNull();
  });

  it('publishes it again when the repair commitment is breached', () => {
    const repaired = {
      type: 'RepairApproved',
      data: { subjectId: 's1', recordId: 'penalty-1', applicationId: 'r1', decidedOn: '2025-06-10' },
    };
    const doc = fold([penaltyRecorded(), repaired, publicityExtendedToMaximum()]);
    expect(doc).toMatchObject({ recordId: 'penalty-1', publicity: { maximumPeriodEndsOn: '2026-03-03' } });
  });

  it('never publishes a restricted penalty, and masks a legal representative’s ID number', () => {
    expect(fold([penaltyRecorded({ disclosure: 'restricted' })])).toBeNull();
    const withRepresentative = penaltyRecorded({
      penalty: {
        legalRepresentative: { name: '李校长', idType: 'resident_id', idNumber: '11010519491231002X' },
      },
    });
    expect(fold([withRepresentative])?.penalty.legalRepresentative?.idNumber).toBe('110105********002X');
  });

  it('marks a record under objection as disputed until it is resolved', () => {
    const filed = {
      type: 'ObjectionFiled',
      data: { subjectId: 's1', recordId: 'penalty-1', objectionId: 'o1' },
    };
    const resolved = {
      type: 'ObjectionResolved',
      data: { subjectId: 's1', recordId: 'penalty-1', objectionId: 'o1' },
    };
    expect(fold([penaltyRecorded(), filed])?.disputed).toBe(true);
    expect(fold([penaltyRecorded(), filed, resolved])?.disputed).toBe(false);
  });
});
