// The public double-publicity feed (双公示) of administrative penalties still within their publicity
// period. Natural persons' ID numbers are masked; restricted records (minors, warnings only) never enter.
import {
  maskResidentId,
  type PenaltyDetails,
  type PublicityTerms,
  type SeverityTier,
  type SubjectSummary,
} from '@ledger/domain';
import { singleStreamProjection } from '../projection';
import { isSubjectEvent, type StoredSubjectEvent } from './subject-events';

export interface PenaltyDisclosure {
  readonly recordId: string;
  readonly subjectId: string;
  readonly subject: SubjectSummary;
  readonly penalty: PenaltyDetails;
  readonly severity: SeverityTier;
  readonly publicity: PublicityTerms;
  /** Under objection: shown, and marked so readers know it is contested. */
  readonly disputed: boolean;
  readonly lastPosition: number;
}

/** Removes what may never be public from a penalty's fields. */
function publicPenalty(penalty: PenaltyDetails): PenaltyDetails {
  if (!penalty.legalRepresentative) return penalty;
  return {
    ...penalty,
    legalRepresentative: {
      ...penalty.legalRepresentative,
      idNumber: maskResidentId(penalty.legalRepresentative.idNumber),
    },
  };
}

/** The disclosure of a penalty an event publishes (recorded, or published again); none unless it is public. */
function published(
  data: Pick<PenaltyDisclosure, 'recordId' | 'subjectId' | 'subject' | 'severity' | 'publicity'>,
  penalty: PenaltyDetails,
  disputed: boolean,
  lastPosition: number,
): PenaltyDisclosure | null {
  if (data.publicity.disclosure !== 'public') return null;
  const { recordId, subjectId, subject, severity, publicity } = data;
  return {
    recordId,
    subjectId,
    subject,
    penalty: publicPenalty(penalty),
    severity,
    publicity,
    disputed,
    lastPosition,
  };
}

export const penaltyDisclosureProjection = singleStreamProjection<PenaltyDisclosure>({
  name: 'penalty_disclosure',
  version: 1,
  eventTypes: [
    'PenaltyRecorded',
    'RecordCorrected',
    'ObjectionFiled',
    'ObjectionResolved',
    'PublicityExtendedToMaximum',
    'PublicityEnded',
    'RepairApproved',
    'RecordRevoked',
    'RecordExpired',
  ] satisfies StoredSubjectEvent['type'][],
  // Keyed by record: a record lives in its subject's stream, and record ids are unique across subjects.
  documentIds: (event) => {
    if (!isSubjectEvent(event)) return [];
    return 'recordId' in event.data ? [event.data.recordId] : [];
  },
  evolve(doc, event) {
    if (!isSubjectEvent(event)) return doc ?? null;
    if (doc && event.position <= doc.lastPosition) return doc;
    const at = { lastPosition: event.position };
    switch (event.type) {
      case 'PenaltyRecorded':
        return published(event.data, event.data.penalty, false, event.position);
      case 'RecordCorrected':
        return doc
          ? {
              ...doc,
              penalty: publicPenalty({
                ...doc.penalty,
                ...(event.data.corrections as Partial<PenaltyDetails>),
              }),
              ...at,
            }
          : null;
      case 'ObjectionFiled':
        return doc ? { ...doc, disputed: true, ...at } : null;
      case 'ObjectionResolved':
        return doc ? { ...doc, disputed: false, ...at } : null;
      case 'PublicityExtendedToMaximum':
        // A breached repair commitment publishes the penalty again, also after a repair had withdrawn it.
        return published(
          event.data,
          doc?.penalty ?? event.data.penalty,
          doc?.disputed ?? false,
          event.position,
        );
      case 'PublicityEnded':
      case 'RepairApproved':
      case 'RecordRevoked':
      case 'RecordExpired':
        return null;
      default:
        return doc ?? null;
    }
  },
  index: (doc) => ({
    jurisdiction: doc.subject.jurisdiction,
    kind: doc.subject.kind,
    sortKey: `${doc.penalty.decisionDate}:${doc.recordId}`,
  }),
});
