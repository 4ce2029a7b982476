import { addMonths, type IsoDate } from '../../calendar/iso-date';
import { addWorkingDays } from '../../calendar/working-calendar';
import { Conflict, InvalidInput } from '../../errors';
import { isMinorOn } from '../../identifiers/resident-id';
import type { CreditPolicy } from '../../policy/credit-policy';
import {
  severityRank,
  type PenaltyCategory,
  type PenaltyDetails,
  type PublicityTerms,
  type SeverityTier,
} from '../penalty';
import type { RecordPenalty } from '../subject.commands';
import type { PenaltyRecorded } from '../subject.events';
import type { RegisteredSubject } from '../subject.state';
import {
  requireAmount,
  requirePastDate,
  requireText,
  requireUscc,
  withoutUndefined,
} from '../../input-checks';
import type { DecisionContext } from './decision-context';
import { requireNewRecordId } from './record-lookup';

/** Where one decision carries several penalty types the longest period applies (NDRC Order 58). */
export const effectiveSeverity = (
  declared: SeverityTier,
  categories: readonly PenaltyCategory[],
  policy: CreditPolicy,
): SeverityTier =>
  categories
    .map((category) => policy.penalties.minimumSeverityByCategory[category])
    .reduce<SeverityTier>(
      (highest, tier) => (tier !== undefined && severityRank[tier] > severityRank[highest] ? tier : highest),
      declared,
    );

export const publicityTermsFor = (
  subject: RegisteredSubject,
  decisionDate: IsoDate,
  severity: SeverityTier,
  categories: readonly PenaltyCategory[],
  policy: CreditPolicy,
): PublicityTerms => {
  const period = policy.penalties.publicityBySeverity[severity];
  const window = {
    startsOn: decisionDate,
    minimumPeriodEndsOn: addMonths(decisionDate, period.minimumMonths),
    maximumPeriodEndsOn: addMonths(decisionDate, period.maximumMonths),
  };
  // A person who was a minor when the decision was taken stays protected after coming of age.
  if (subject.birthDate !== null && isMinorOn(subject.birthDate, decisionDate)) {
    return { disclosure: 'restricted', restrictedBecause: 'minor_subject', ...window };
  }
  if (policy.neverPublishedSubjectKinds.includes(subject.summary.kind)) {
    return { disclosure: 'restricted', restrictedBecause: 'protected_subject_kind', ...window };
  }
  if (categories.every((category) => policy.penalties.unpublishedWhenOnly.includes(category))) {
    return { disclosure: 'restricted', restrictedBecause: 'warning_only', ...window };
  }
  return { disclosure: 'public', ...window };
};

const validate = (command: RecordPenalty, subject: RegisteredSubject, today: IsoDate): void => {
  const data = command.data;
  requireNewRecordId(subject, data.recordId);
  requireText('documentNumber', data.documentNumber);
  requireText('offenceType', data.offenceType);
  requireText('facts', data.facts);
  requireText('legalBasis', data.legalBasis);
  requireText('content', data.content);
  requireText('authority.name', data.authority.name);
  requireUscc('authority.uscc', data.authority.uscc);
  if (data.dataSource !== undefined) {
    requireText('dataSource.name', data.dataSource.name);
    requireUscc('dataSource.uscc', data.dataSource.uscc);
  }
  requirePastDate('decisionDate', data.decisionDate, today);
  if (!Object.hasOwn(severityRank, data.severity)) {
    throw new InvalidInput('INPUT.INVALID_VALUE', `${String(data.severity)} is not a severity tier`, {
      field: 'severity',
    });
  }
  if (data.categories.length === 0) {
    throw new InvalidInput('PENALTY.CATEGORY_REQUIRED', 'A penalty needs at least one category', {});
  }
  requireAmount('fineAmountTenThousandYuan', data.fineAmountTenThousandYuan);
  requireAmount('confiscationAmountTenThousandYuan', data.confiscationAmountTenThousandYuan);
  if (data.categories.includes('fine') && data.fineAmountTenThousandYuan === undefined) {
    throw new InvalidInput('PENALTY.FINE_AMOUNT_REQUIRED', 'A fine needs its amount', {});
  }
  if (data.categories.includes('confiscation') && data.confiscationAmountTenThousandYuan === undefined) {
    throw new InvalidInput('PENALTY.CONFISCATION_AMOUNT_REQUIRED', 'A confiscation needs its amount', {});
  }
  // A revoked record may be re-entered under its own document number once the error is fixed.
  const duplicate = subject.records.find(
    (record) =>
      record.kind === 'penalty' &&
      record.status !== 'revoked' &&
      record.penalty.documentNumber === data.documentNumber,
  );
  if (duplicate !== undefined) {
    throw new Conflict(
      'PENALTY.DUPLICATE_DOCUMENT_NUMBER',
      `Decision ${data.documentNumber} is already recorded for this subject`,
      { documentNumber: data.documentNumber, recordId: duplicate.recordId },
    );
  }
};

export const recordPenalty = (
  command: RecordPenalty,
  subject: RegisteredSubject,
  { today, policy, calendar }: DecisionContext,
): PenaltyRecorded[] => {
  validate(command, subject, today);
  const data = command.data;
  const severity = effectiveSeverity(data.severity, data.categories, policy);
  const deadline = addWorkingDays(calendar, data.decisionDate, policy.penalties.reportingDeadlineWorkingDays);
  // Built field by field so that nothing the edge adds to the command leaks into the event.
  const penalty: PenaltyDetails = withoutUndefined({
    documentNumber: data.documentNumber,
    offenceType: data.offenceType,
    facts: data.facts,
    legalBasis: data.legalBasis,
    categories: data.categories,
    misconduct: data.misconduct ?? 'administrative_violation',
    content: data.content,
    fineAmountTenThousandYuan: data.fineAmountTenThousandYuan,
    confiscationAmountTenThousandYuan: data.confiscationAmountTenThousandYuan,
    licenceAffected: data.licenceAffected,
    decisionDate: data.decisionDate,
    authority: { name: data.authority.name, uscc: data.authority.uscc },
    dataSource:
      data.dataSource === undefined
        ? { name: data.authority.name, uscc: data.authority.uscc }
        : { name: data.dataSource.name, uscc: data.dataSource.uscc },
    legalRepresentative:
      data.legalRepresentative === undefined
        ? undefined
        : {
            name: data.legalRepresentative.name,
            idType: data.legalRepresentative.idType,
            idNumber: data.legalRepresentative.idNumber,
          },
    remarks: data.remarks,
  });
  return [
    {
      type: 'PenaltyRecorded',
      data: {
        subjectId: data.subjectId,
        subject: subject.summary,
        recordId: data.recordId,
        penalty,
        declaredSeverity: data.severity,
        severity,
        publicity: publicityTermsFor(subject, data.decisionDate, severity, data.categories, policy),
        expiresOn: addMonths(data.decisionDate, policy.recordValidityMonths),
        reporting: { reportedOn: today, deadline, late: today > deadline },
      },
    },
  ];
};
