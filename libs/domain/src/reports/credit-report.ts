// Builds a credit report's content (信用报告) from a subject's folded state, the events it was folded from, the
// policy and a date. Pure: the report number, the instant and the issuer come in; the application loads the
// events, logs the issue and adds the verification section (digest, proofs, seal).
import type { IsoDate } from '../calendar/iso-date';
import type { Actor } from '../command-metadata';
import { InvalidInput, RuleViolation } from '../errors';
import { publicIdentifier } from '../identifiers/masking';
import type { CreditPolicy } from '../policy/credit-policy';
import {
  creditUsePurposeNames,
  creditUsePurposes,
  isCreditUsePurpose,
  type CreditUsePurpose,
} from '../policy/credit-use-purposes';
import { deriveCreditStatus } from '../subject/credit-status';
import type { CreditRecord, LiveRecord } from '../subject/credit-record';
import { isNaturalPersonKind } from '../subject/subject-kind';
import type { SubjectEvent } from '../subject/subject.events';
import { currentReportConfirmation, type RegisteredSubject } from '../subject/subject.state';
import { needsTeacherConfirmation } from '../subject/decisions/report-confirmations';
import {
  CREDIT_REPORT_FORMAT,
  type CreditReportContent,
  type ReportObjection,
  type ReportRecord,
  type ReportRepair,
  type ReportTeacherConfirmation,
} from './credit-report.types';

export * from './credit-report.types';

/**
 * Purposes for which a teacher's report must be confirmed by the teacher (002 §6: the 教师个人职业信用报告 is
 * used in hiring, title and promotion reviews and awards). Other purposes get the report marked unconfirmed.
 */
export const purposesNeedingTeacherConfirmation: readonly CreditUsePurpose[] = [
  'hiring',
  'promotion',
  'award',
];

/** One event of the subject's stream with its id, as the report names it. */
export interface ReportSourceEvent {
  readonly eventId: string;
  readonly event: SubjectEvent;
}

export interface CreditReportRequest {
  readonly reportNo: string;
  /** ISO 8601 instant of issue. */
  readonly issuedAt: string;
  /** Beijing date the standing and validity are computed for. */
  readonly asOf: IsoDate;
  /** As the caller sent it: checked here against the policy's list. */
  readonly purpose: unknown;
  readonly actor: Actor;
  readonly state: RegisteredSubject;
  /** The events `state` was folded from, in stream order. */
  readonly events: readonly ReportSourceEvent[];
  readonly policy: CreditPolicy;
}

/** The purpose code, or INPUT-style refusal with the field and the codes allowed. */
export const requireReportPurpose = (purpose: unknown): CreditUsePurpose => {
  if (isCreditUsePurpose(purpose)) return purpose;
  const missing = purpose === undefined || purpose === null || purpose === '';
  throw new InvalidInput(
    'REPORT.UNKNOWN_PURPOSE',
    missing
      ? `A credit report needs a purpose: one of ${creditUsePurposes.join(', ')}`
      : `Unknown purpose ${JSON.stringify(purpose)}: one of ${creditUsePurposes.join(', ')}`,
    { field: 'purpose', allowed: creditUsePurposes },
  );
};

const teacherConfirmationOf = (state: RegisteredSubject): ReportTeacherConfirmation | null => {
  if (!needsTeacherConfirmation(state)) return null;
  const current = currentReportConfirmation(state);
  const status = current?.status ?? 'not_requested';
  const notice: Record<ReportTeacherConfirmation['status'], string> = {
    not_requested: '本报告尚未经教师本人确认（未发起确认）',
    requested: '本报告尚未经教师本人确认（确认中）',
    confirmed: '本报告已经教师本人确认',
    contested: '教师本人对本报告所载记录提出异议，报告未经确认',
  };
  return {
    status,
    requestedOn: current?.requestedOn ?? null,
    answeredOn: current?.answeredOn ?? null,
    objectionId: current?.objectionId ?? null,
    notice: notice[status],
  };
};

/** Whether a record counts in the report at `asOf`: revoked, expired (by event or by date) and repaired do not. */
const exclusionOf = (record: CreditRecord, asOf: IsoDate): 'revoked' | 'expired' | 'repaired' | null => {
  if (record.status === 'revoked') return 'revoked';
  if (record.status === 'expired') return 'expired';
  switch (record.kind) {
    case 'penalty':
      if (record.status === 'repaired') return 'repaired';
      return asOf >= record.expiresOn ? 'expired' : null;
    case 'honour':
      return asOf >= record.expiresOn ? 'expired' : null;
    case 'commitment':
      return record.dishonestUntil !== null && asOf >= record.dishonestUntil ? 'expired' : null;
    case 'rectification':
      return null;
  }
};

const documentNumberOf = (record: CreditRecord): string | null => {
  if (record.status === 'revoked') return null;
  switch (record.kind) {
    case 'penalty':
      return record.penalty.documentNumber;
    case 'honour':
      return record.honour.documentNumber ?? null;
    case 'commitment':
      return record.commitment.code;
    case 'rectification':
      return record.notice.noticeNumber;
  }
};

const reportRecordOf = (record: LiveRecord, eventIds: readonly string[]): ReportRecord => {
  const base = {
    recordId: record.recordId,
    status: record.status,
    disputed: record.disputedBy !== null,
    eventIds,
  };
  switch (record.kind) {
    case 'penalty': {
      const { penalty, publicity } = record;
      return {
        ...base,
        kind: 'penalty',
        nature: 'dishonest',
        title: penalty.offenceType,
        documentNumber: penalty.documentNumber,
        legalBasis: penalty.legalBasis,
        content: penalty.content,
        authority: { name: penalty.authority.name, uscc: penalty.authority.uscc },
        decidedOn: penalty.decisionDate,
        severity: record.severity,
        publicity: {
          startsOn: publicity.startsOn,
          minimumPeriodEndsOn: publicity.minimumPeriodEndsOn,
          endsOn: publicity.maximumPeriodEndsOn,
          disclosure: publicity.disclosure,
        },
        validUntil: record.expiresOn,
      };
    }
    case 'honour': {
      const { honour } = record;
      return {
        ...base,
        kind: 'honour',
        nature: 'trustworthy',
        title: honour.title,
        documentNumber: honour.documentNumber ?? null,
        legalBasis: null,
        content: honour.description ?? null,
        authority: {
          name: honour.awardingBody.name,
          ...(honour.awardingBody.uscc ? { uscc: honour.awardingBody.uscc } : {}),
        },
        decidedOn: honour.awardedOn,
        severity: null,
        publicity: null,
        validUntil: record.expiresOn,
      };
    }
    case 'commitment': {
      const { commitment } = record;
      const breached = record.status === 'assessed' && record.dishonestUntil !== null;
      return {
        ...base,
        kind: 'commitment',
        nature: breached ? 'dishonest' : 'neutral',
        title: commitment.reason,
        documentNumber: commitment.code,
        legalBasis: null,
        content: commitment.content,
        authority: { name: commitment.acceptingUnit.name, uscc: commitment.acceptingUnit.uscc },
        decidedOn: commitment.madeOn,
        severity: null,
        publicity: null,
        validUntil: breached ? record.dishonestUntil : commitment.validUntil,
      };
    }
    case 'rectification': {
      const { notice } = record;
      return {
        ...base,
        kind: 'rectification',
        nature: record.status === 'overdue' ? 'dishonest' : 'neutral',
        title: notice.finding,
        documentNumber: notice.noticeNumber,
        legalBasis: null,
        content: notice.requirements,
        authority: { name: notice.issuingAuthority.name, uscc: notice.issuingAuthority.uscc },
        decidedOn: notice.issuedOn,
        severity: null,
        publicity: null,
        validUntil: notice.deadline,
      };
    }
  }
};

/** Event ids grouped by the record, repair application and objection they are about. */
const indexEvents = (events: readonly ReportSourceEvent[]) => {
  const byKey = new Map<string, string[]>();
  const add = (key: string, eventId: string) => {
    const list = byKey.get(key);
    if (list) list.push(eventId);
    else byKey.set(key, [eventId]);
  };
  const repairs = new Map<string, { appliedOn: IsoDate; decidedOn: IsoDate | null; reason: string | null }>();
  const objections = new Map<
    string,
    {
      grounds: string;
      filedOn: IsoDate;
      outcome: 'upheld' | 'corrected' | null;
      resolvedOn: IsoDate | null;
      reason: string | null;
    }
  >();
  for (const { eventId, event } of events) {
    switch (event.type) {
      case 'RepairApplied':
        add(`a:${event.data.applicationId}`, eventId);
        repairs.set(event.data.applicationId, {
          appliedOn: event.data.appliedOn,
          decidedOn: null,
          reason: null,
        });
        break;
      case 'RepairApproved':
      case 'RepairRejected': {
        add(`a:${event.data.applicationId}`, eventId);
        const known = repairs.get(event.data.applicationId);
        if (known)
          repairs.set(event.data.applicationId, {
            ...known,
            decidedOn: event.data.decidedOn,
            reason: event.type === 'RepairRejected' ? event.data.reason : null,
          });
        break;
      }
      case 'ObjectionFiled':
        add(`o:${event.data.objectionId}`, eventId);
        objections.set(event.data.objectionId, {
          grounds: event.data.grounds,
          filedOn: event.data.filedOn,
          outcome: null,
          resolvedOn: null,
          reason: null,
        });
        break;
      case 'ObjectionResolved': {
        add(`o:${event.data.objectionId}`, eventId);
        const known = objections.get(event.data.objectionId);
        if (known)
          objections.set(event.data.objectionId, {
            ...known,
            outcome: event.data.recordOutcome,
            resolvedOn: event.data.resolvedOn,
            reason: event.data.reason,
          });
        break;
      }
      case 'RecordCorrected':
        add(`r:${event.data.recordId}`, eventId);
        if (event.data.objectionId !== undefined) add(`o:${event.data.objectionId}`, eventId);
        break;
      case 'PenaltyRecorded':
      case 'HonourRecorded':
      case 'CommitmentSigned':
      case 'CommitmentFellDue':
      case 'CommitmentOutcomeRecorded':
      case 'PublicityExtendedToMaximum':
      case 'RectificationNoticeIssued':
      case 'RectificationCompleted':
      case 'RectificationOverdue':
      case 'RecordRevoked':
      case 'PublicityEnded':
      case 'RecordExpired':
        add(`r:${event.data.recordId}`, eventId);
        break;
      case 'SubjectRegistered':
        add('registration', eventId);
        break;
      case 'ListMembershipChanged':
      case 'CreditGradeChanged':
      case 'ReportConfirmationRequested':
      case 'ReportConfirmed':
      case 'ReportContested':
        break;
    }
  }
  return { eventIdsOf: (key: string): readonly string[] => byKey.get(key) ?? [], repairs, objections };
};

/**
 * The report's content. Refuses an unknown purpose (REPORT.UNKNOWN_PURPOSE) and, for a teacher whose file is
 * not confirmed, a purpose that needs a confirmed report (REPORT.TEACHER_CONFIRMATION_REQUIRED).
 */
export const buildCreditReport = (request: CreditReportRequest): CreditReportContent => {
  const purpose = requireReportPurpose(request.purpose);
  const { state, policy, asOf, actor } = request;
  const teacherConfirmation = teacherConfirmationOf(state);
  if (
    teacherConfirmation !== null &&
    teacherConfirmation.status !== 'confirmed' &&
    purposesNeedingTeacherConfirmation.includes(purpose)
  ) {
    throw new RuleViolation(
      'REPORT.TEACHER_CONFIRMATION_REQUIRED',
      `A teacher's credit report for ${purpose} needs the teacher's confirmation; it is ${teacherConfirmation.status}`,
      {
        subjectId: state.subjectId,
        purpose,
        confirmation: teacherConfirmation.status,
        purposesNeedingConfirmation: purposesNeedingTeacherConfirmation,
      },
    );
  }
  const status = deriveCreditStatus(state, policy, asOf);
  const index = indexEvents(request.events);
  const excluded = { expired: 0, revoked: 0, repaired: 0 };
  const exclusions = new Map<string, ReturnType<typeof exclusionOf>>();
  const records: ReportRecord[] = [];
  for (const record of state.records) {
    const exclusion = exclusionOf(record, asOf);
    exclusions.set(record.recordId, exclusion);
    if (exclusion !== null) {
      excluded[exclusion] += 1;
      continue;
    }
    records.push(reportRecordOf(record as LiveRecord, index.eventIdsOf(`r:${record.recordId}`)));
  }
  const recordById = new Map(state.records.map((record) => [record.recordId, record]));
  // Repairs and objections about records that no longer count (revoked, expired) are left out with them.
  const about = (recordId: string) => {
    const exclusion = exclusions.get(recordId);
    return exclusion === null || exclusion === 'repaired';
  };
  const repairs: ReportRepair[] = state.repairApplications
    .filter((application) => about(application.recordId))
    .map((application) => {
      const details = index.repairs.get(application.applicationId);
      const record = recordById.get(application.recordId);
      return {
        applicationId: application.applicationId,
        recordId: application.recordId,
        documentNumber: record ? documentNumberOf(record) : null,
        status: application.status,
        appliedOn: details?.appliedOn ?? asOf,
        decidedOn: details?.decidedOn ?? null,
        reason: details?.reason ?? null,
        eventIds: index.eventIdsOf(`a:${application.applicationId}`),
      };
    });
  const objections: ReportObjection[] = state.objections
    .filter((objection) => about(objection.recordId))
    .map((objection) => {
      const details = index.objections.get(objection.objectionId);
      const record = recordById.get(objection.recordId);
      return {
        objectionId: objection.objectionId,
        recordId: objection.recordId,
        documentNumber: record ? documentNumberOf(record) : null,
        status: objection.status,
        grounds: details?.grounds ?? '',
        filedOn: details?.filedOn ?? asOf,
        decisionDueBy: objection.decisionDueBy,
        outcome: details?.outcome ?? null,
        resolvedOn: details?.resolvedOn ?? null,
        reason: details?.reason ?? null,
        eventIds: index.eventIdsOf(`o:${objection.objectionId}`),
      };
    });
  return {
    format: CREDIT_REPORT_FORMAT,
    reportNo: request.reportNo,
    issuedAt: request.issuedAt,
    asOf,
    purpose: { code: purpose, name: creditUsePurposeNames[purpose] },
    issuer: {
      authority: { name: actor.department, jurisdiction: actor.jurisdiction },
      actor: {
        id: actor.userId,
        role: actor.role,
        department: actor.department,
        jurisdiction: actor.jurisdiction,
      },
    },
    subject: {
      subjectId: state.subjectId,
      kind: state.summary.kind,
      personType: isNaturalPersonKind(state.summary.kind) ? 'natural_person' : 'legal_person',
      name: state.summary.name,
      jurisdiction: state.summary.jurisdiction,
      identifier: { scheme: state.identifier.scheme, value: publicIdentifier(state.identifier) },
      isMinor: status.isMinor,
    },
    standing: {
      grade: status.grade,
      supervision: {
        level: status.supervision.level,
        randomInspectionSamplingPercent: status.supervision.randomInspectionSamplingPercent,
      },
      lists: {
        red: status.lists.red.onList,
        black: status.lists.black.onList,
        key_supervision: status.lists.key_supervision.onList,
      },
      policyVersion: policy.version,
    },
    records,
    measures: status.measures.map((measure) => ({ code: measure.code, description: measure.description })),
    repairs,
    objections,
    teacherConfirmation,
    excluded,
  };
};

/** Every event id the report rests on (its records', repairs', objections' events and the registration). */
export const eventIdsOfReport = (
  content: Pick<CreditReportContent, 'records' | 'repairs' | 'objections'>,
  registrationEventId?: string,
): string[] => {
  const ids = new Set<string>(registrationEventId ? [registrationEventId] : []);
  for (const item of [...content.records, ...content.repairs, ...content.objections])
    for (const id of item.eventIds) ids.add(id);
  return [...ids];
};
