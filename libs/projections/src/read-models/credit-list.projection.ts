// The red, black and key-supervision lists: who is on each now, why, and since when. Entries of minors
// are `restricted` in the events and never enter a list read model, which is what the lists endpoints show.
import type { CreditList, ListReason, MeasureCode, SubjectSummary } from '@ledger/domain';
import { singleStreamProjection, type Projection } from '../projection';
import { isSubjectEvent, type StoredSubjectEvent } from './subject-events';

export interface CreditListEntry {
  readonly subjectId: string;
  readonly subject: SubjectSummary;
  readonly list: CreditList;
  readonly reasons: readonly ListReason[];
  readonly measures: readonly MeasureCode[];
  readonly enteredOn: string;
  readonly lastPosition: number;
}

function creditListProjection(list: CreditList): Projection<CreditListEntry> {
  return singleStreamProjection({
    name: `list_${list}`,
    version: 1,
    eventTypes: ['ListMembershipChanged'] satisfies StoredSubjectEvent['type'][],
    // Keyed by the subject whose stream records the membership change.
    documentIds: (event) =>
      isSubjectEvent(event) && event.type === 'ListMembershipChanged' && event.data.list === list
        ? [event.data.subjectId]
        : [],
    evolve(doc, event) {
      if (!isSubjectEvent(event) || event.type !== 'ListMembershipChanged') return doc ?? null;
      if (doc && event.position <= doc.lastPosition) return doc;
      const { data } = event;
      if (data.change === 'left' || data.disclosure === 'restricted') return null;
      return {
        subjectId: data.subjectId,
        subject: data.subject,
        list,
        reasons: data.reasons,
        measures: data.measures,
        enteredOn: data.changedOn,
        lastPosition: event.position,
      };
    },
    index: (doc) => ({
      jurisdiction: doc.subject.jurisdiction,
      kind: doc.subject.kind,
      sortKey: `${doc.enteredOn}:${doc.subjectId}`,
    }),
  });
}

export const redListProjection = creditListProjection('red');
export const blackListProjection = creditListProjection('black');
export const keySupervisionListProjection = creditListProjection('key_supervision');
