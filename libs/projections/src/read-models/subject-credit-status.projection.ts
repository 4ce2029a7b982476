// SubjectCreditStatus: each subject's standing (grade, supervision, lists, active records, disputes),
// the fold of its stream through the domain's own evolve and deriveCreditStatus, so the read model and
// the decisions can never disagree.
import {
  beijingDateOf,
  deriveCreditStatus,
  evolveSubject,
  initialSubjectState,
  policyFor,
  publicIdentifier,
  subjectIdOf,
  type CreditStatus,
  type SubjectState,
} from '@ledger/domain';
import { singleStreamProjection } from '../projection';
import { isSubjectEvent } from './subject-events';

export interface SubjectCreditStatus {
  readonly subjectId: string;
  /** Public form of the identifier: a natural person's ID number is masked. */
  readonly identifier: string | null;
  readonly status: CreditStatus | null;
  /** The folded domain state, kept so the next event can be applied without reading the stream. */
  readonly state: SubjectState;
  readonly revision: number;
  /** Global position of the last event applied: a replayed event at or below it changes nothing. */
  readonly lastPosition: number;
  readonly lastRecordedAt: string | null;
  /** Policy of the last event: the status is derived under it. */
  readonly policyVersion: string;
}

export const subjectCreditStatusProjection = singleStreamProjection<SubjectCreditStatus>({
  name: 'subject_credit_status',
  // 2: the folded state keeps records, repair applications and objections as lists (were objects by id).
  // 3: a revoked record keeps only its id, kind and open objection (RevokedRecord).
  version: 3,
  // One document per subject stream.
  documentIds: (event) => {
    const subjectId = subjectIdOf(event.streamId);
    return subjectId === undefined ? [] : [subjectId];
  },
  evolve(doc, event, subjectId) {
    if (!isSubjectEvent(event)) return doc ?? null;
    if (doc && event.position <= doc.lastPosition) return doc;
    const state = evolveSubject(doc?.state ?? initialSubjectState(), event);
    if (state.status !== 'registered') return doc ?? null;
    return {
      subjectId,
      identifier: publicIdentifier(state.identifier),
      status: null, // derived once per batch in settle, not after every event
      state,
      revision: event.revision,
      lastPosition: event.position,
      lastRecordedAt: event.recordedAt,
      policyVersion: event.metadata.policyVersion ?? 'unknown',
    };
  },
  tuning: {
    settle(doc) {
      if (doc.status !== null || doc.state.status !== 'registered' || doc.lastRecordedAt === null) return doc;
      const status = deriveCreditStatus(
        doc.state,
        policyFor(doc.policyVersion),
        beijingDateOf(doc.lastRecordedAt),
      );
      return { ...doc, status };
    },
  },
  index: (doc) =>
    doc.state.status === 'registered'
      ? {
          jurisdiction: doc.state.summary.jurisdiction,
          kind: doc.state.summary.kind,
          code: doc.state.identifier.value,
          sortKey: doc.state.summary.name,
        }
      : {},
});
