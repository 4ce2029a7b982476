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

export const penaltyDisclosureProjection = singleStreamProjection<PenaltyDisclosure>({
  name: 'penalty_disclosure',
  version: 1,
  // Keyed by record: a record lives in its subject's stream, and record ids are unique across subjects.
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
  documentIds: (event) => {
    if (!isSubjectEvent(event)) return [];
    return 'recordId' in event.data ? [event.data.recordId] : [];
  },
  evolve(doc, event) {
    if (!isSubjectEvent(event)) return doc ?? null;
    if (doc && event.position <= doc.lastPosition) return doc;
    const at = { lastPosition: event.position };
    switch (event.type) {
      case 'PenaltyRecorded': {
        const { data } = event;
        if (data.publicity.disclosure !== 'public') return null;
        return {
          recordId: data.recordId,
          subjectId: data.subjectId,
          subject: data.subject,
          penalty: publicPenalty(data.penalty),
          severity: data.severity,
          publicity: data.publicity,
          disputed: false,
          ...at,
        };
      }
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
      case 'PublicityExtendedToMaximum': {
        // A breached repair commitment publishes the penalty again, also after a repair had withdrawn it.
        const { data } = event;
        if (data.publicity.disclosure !== 'public') return null;
        return {
          recordId: data.recordId,
          subjectId: data.subjectId,
          subject: data.subject,
          penalty: publicPenalty(doc?.penalty ?? data.penalty),
          severity: data.severity,
          publicity: data.publicity,
          disputed: doc?.disputed ?? false,
          ...at,
        };
      }
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
