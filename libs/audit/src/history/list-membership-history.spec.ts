import type { StoredEvent } from '@ledger/event-store';
import {
  entryAsOf,
  listMembershipHistoryProjection as projection,
  type ListMembershipHistory,
} from './list-membership-history';

const school = { kind: 'private_school' as const, name: '厦门阳光实验学校', jurisdiction: '350203' };

let position = 0;
const change = (
  changeKind: 'entered' | 'left',
  recordedAt: string,
  occurredAt = recordedAt,
  extra: object = {},
): StoredEvent =>
  ({
    id: `e-${++position}`,
    type: 'ListMembershipChanged',
    streamId: 'subject-s1',
    revision: position,
    position,
    recordedAt,
    prevHash: null,
    hash: 'h',
    metadata: { occurredAt, schemaVersion: 1 },
    data: {
      subjectId: 's1',
      subject: school,
      list: 'key_supervision',
      change: changeKind,
      reasons: changeKind === 'entered' ? [{ code: 'active_penalty', recordId: 'p1' }] : [],
      measures: [],
      disclosure: 'public',
      changedOn: recordedAt.slice(0, 10),
      ...extra,
    },
  }) as StoredEvent;

const fold = (events: StoredEvent[]) =>
  events.reduce<ListMembershipHistory | undefined>(
    (doc, e) =>
      (projection.evolve(doc, e, 'key_supervision:s1') as ListMembershipHistory | null) ?? undefined,
    undefined,
  )!;

describe('the list membership history', () => {
  it('keeps every change of a subject on a list, once, keyed by list and subject', () => {
    const events = [
      change('entered', '2026-01-01T00:00:00.000Z'),
      change('left', '2026-02-01T00:00:00.000Z'),
    ];
    expect(projection.documentIds(events[0]!)).toEqual(['key_supervision:s1']);
    const doc = fold([...events, events[1]!]); // a replayed event changes nothing
    expect(doc.changes.map((c) => c.change)).toEqual(['entered', 'left']);
    expect(projection.index(doc)).toEqual({
      kind: 'key_supervision',
      code: 'private_school',
      jurisdiction: '350203',
      sortKey: '2026-01-01T00:00:00.000Z',
    });
    expect(projection.documentIds({ ...events[0]!, streamId: 'case-1' })).toEqual([]);
  });

  it('sorts a history by the earliest instant on either clock, whatever form the business time came in', () => {
    const sortKey = (events: StoredEvent[]) => projection.index(fold(events)).sortKey;
    // 2026-01-10T07:00+08:00 is 2026-01-09T23:00Z: earlier than every canonical instant, though later as text.
    expect(
      sortKey([
        change('entered', '2026-01-10T00:00:00.000Z', '2026-01-10T07:00:00+08:00'),
        change('left', '2026-01-11T00:00:00.000Z'),
      ]),
    ).toBe('2026-01-09T23:00:00.000Z');
    expect(
      sortKey([
        change('entered', '2026-01-10T00:00:00.000Z', '2026-01-10T09:00:00+08:00'),
        change('left', '2026-01-11T00:00:00.000Z', '2026-01-09T12:00:00.000Z'),
      ]),
    ).toBe('2026-01-09T12:00:00.000Z');
  });

  it('answers membership at an instant on record time: the last change at or before it decides', () => {
    const doc = fold([
      change('entered', '2026-01-01T00:00:00.000Z'),
      change('entered', '2026-01-15T00:00:00.000Z'), // reasons changed, still on the list
      change('left', '2026-02-01T00:00:00.000Z'),
      change('entered', '2026-03-01T00:00:00.000Z'),
    ]);
    expect(entryAsOf(doc, '2025-12-31T23:59:59.999Z', 'record')).toBeUndefined();
    expect(entryAsOf(doc, '2026-01-20T00:00:00+08:00', 'record')).toMatchObject({
      enteredOn: '2026-01-01',
      subjectId: 's1',
    });
    expect(entryAsOf(doc, '2026-02-01T00:00:00.000Z', 'record')).toBeUndefined();
    expect(entryAsOf(doc, '2026-03-02T00:00:00.000Z', 'record')).toMatchObject({ enteredOn: '2026-03-01' });
  });

  it('orders by business time when asked, which need not follow the feed', () => {
    // Recorded late: the exit happened (business time) before the entry was recorded.
    const doc = fold([
      change('entered', '2026-03-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'),
      change('left', '2026-03-02T00:00:00.000Z', '2026-02-01T00:00:00.000Z'),
    ]);
    expect(entryAsOf(doc, '2026-01-10T00:00:00.000Z', 'business')).toBeDefined();
    expect(entryAsOf(doc, '2026-01-10T00:00:00.000Z', 'record')).toBeUndefined();
    expect(entryAsOf(doc, '2026-02-10T00:00:00.000Z', 'business')).toBeUndefined();
  });

  it('never shows a restricted (minor’s) entry', () => {
    const doc = fold([
      change('entered', '2026-01-01T00:00:00.000Z', undefined, { disclosure: 'restricted' }),
    ]);
    expect(entryAsOf(doc, '2026-02-01T00:00:00.000Z', 'record')).toBeUndefined();
  });
});
