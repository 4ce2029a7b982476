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
  readonly lateRecordIds: readonly string[];
  readonly lastPosition: number;
}

const keyOf = (department: string, month: string) => `${department}:${month}`;

export const reportingTimelinessProjection: Projection<ReportingTimeliness> = {
  name: 'reporting_timeliness',
  version: 1,
  eventTypes: ['PenaltyRecorded'] satisfies StoredSubjectEvent['type'][],
  keysOf: (event) =>
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
      lastPosition: event.position,
    };
  },
  index: (doc) => ({ kind: doc.department, sortKey: `${doc.month}:${doc.department}` }),
};
