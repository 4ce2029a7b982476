// The reporting ledger: per department and month, how many decisions were reported within the
// 7-working-day deadline and how many late (迟报).
import type { Projection } from '../projection';
import { isSubjectEvent, type StoredSubjectEvent } from './subject-events';

export interface ReportingTimeliness {
  readonly department: string;
  /** YYYY-MM of the day the record was reported. */
  readonly month: string;
  readonly onTime: number;
  readonly late: number;
  /** In feed order. */
  readonly lateRecordIds: readonly string[];
  /** Feed positions of `lateRecordIds`, so that documents folded from different streams merge in feed order. */
  readonly latePositions: readonly number[];
  readonly lastPosition: number;
}

const keyOf = (department: string, month: string) => `${department}:${month}`;

/** The late records of two documents, in feed order (a rebuild merges many streams' documents into one). */
function lateInFeedOrder(
  a: ReportingTimeliness,
  b: ReportingTimeliness,
): Pick<ReportingTimeliness, 'lateRecordIds' | 'latePositions'> {
  if (b.latePositions.length === 0) return { lateRecordIds: a.lateRecordIds, latePositions: a.latePositions };
  if (a.latePositions.length === 0) return { lateRecordIds: b.lateRecordIds, latePositions: b.latePositions };
  const lateRecordIds: string[] = [];
  const latePositions: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.latePositions.length || j < b.latePositions.length) {
    const fromA = j === b.latePositions.length || a.latePositions[i]! < b.latePositions[j]!;
    const [from, at] = fromA ? [a, i++] : [b, j++];
    lateRecordIds.push(from.lateRecordIds[at]!);
    latePositions.push(from.latePositions[at]!);
  }
  return { lateRecordIds, latePositions };
}

export const reportingTimelinessProjection: Projection<ReportingTimeliness> = {
  name: 'reporting_timeliness',
  // 2: late records carry their feed positions (latePositions), for merge.
  version: 2,
  eventTypes: ['PenaltyRecorded'] satisfies StoredSubjectEvent['type'][],
  documentIds: (event) =>
    isSubjectEvent(event) && event.type === 'PenaltyRecorded'
      ? [keyOf(event.metadata.actor?.department ?? 'unknown', event.data.reporting.reportedOn.slice(0, 7))]
      : [],
  evolve(doc, event) {
    if (!isSubjectEvent(event) || event.type !== 'PenaltyRecorded') return doc ?? null;
    if (doc && event.position <= doc.lastPosition) return doc;
    const { late, reportedOn } = event.data.reporting;
    // Spelled out, not spread: a month's document is rebuilt once per penalty of that month.
    return {
      department: doc?.department ?? event.metadata.actor?.department ?? 'unknown',
      month: doc?.month ?? reportedOn.slice(0, 7),
      onTime: (doc?.onTime ?? 0) + (late ? 0 : 1),
      late: (doc?.late ?? 0) + (late ? 1 : 0),
      lateRecordIds: late
        ? (doc?.lateRecordIds ?? []).concat(event.data.recordId)
        : (doc?.lateRecordIds ?? []),
      latePositions: late ? (doc?.latePositions ?? []).concat(event.position) : (doc?.latePositions ?? []),
      lastPosition: event.position,
    };
  },
  index: (doc) => ({ kind: doc.department, sortKey: `${doc.month}:${doc.department}` }),
  tuning: {
    // Counts add up, late records interleave by position, and the last position is the later one.
    merge(a, b) {
      const { lateRecordIds, latePositions } = lateInFeedOrder(a, b);
      return {
        department: a.department,
        month: a.month,
        onTime: a.onTime + b.onTime,
        late: a.late + b.late,
        lateRecordIds,
        latePositions,
        lastPosition: Math.max(a.lastPosition, b.lastPosition),
      };
    },
  },
};
