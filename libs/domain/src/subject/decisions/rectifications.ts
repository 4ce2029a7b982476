import { requireIsoDate } from '../../calendar/iso-date';
import { Conflict, InvalidInput, RuleViolation } from '../../errors';
import type { CreditRecord, RectificationRecord } from '../credit-record';
import type {
  CompleteRectification,
  IssueRectificationNotice,
  MarkRectificationOverdue,
} from '../subject.commands';
import type {
  RectificationCompleted,
  RectificationNoticeIssued,
  RectificationOverdue,
} from '../subject.events';
import { rectificationOverdueOn } from '../rectification';
import type { RegisteredSubject } from '../subject.state';
import { requirePastDate, requireText, requireUscc } from '../../input-checks';
import type { DecisionContext } from './decision-context';
import { findRecordOfKind, requireNewRecordId } from './record-lookup';

export const issueRectificationNotice = (
  command: IssueRectificationNotice,
  subject: RegisteredSubject,
  { today }: DecisionContext,
): RectificationNoticeIssued[] => {
  const data = command.data;
  requireNewRecordId(subject, data.recordId);
  requireText('noticeNumber', data.noticeNumber);
  requireText('finding', data.finding);
  requireText('requirements', data.requirements);
  requireText('issuingAuthority.name', data.issuingAuthority.name);
  requireUscc('issuingAuthority.uscc', data.issuingAuthority.uscc);
  requirePastDate('issuedOn', data.issuedOn, today);
  requireIsoDate('deadline', data.deadline);
  if (data.deadline < data.issuedOn) {
    throw new InvalidInput(
      'RECTIFICATION.DEADLINE_BEFORE_ISSUE',
      'The deadline falls before the notice was issued',
      {
        issuedOn: data.issuedOn,
        deadline: data.deadline,
      },
    );
  }
  return [
    {
      type: 'RectificationNoticeIssued',
      data: {
        subjectId: data.subjectId,
        subject: subject.summary,
        recordId: data.recordId,
        notice: {
          noticeNumber: data.noticeNumber,
          finding: data.finding,
          requirements: data.requirements,
          issuedOn: data.issuedOn,
          deadline: data.deadline,
          issuingAuthority: { name: data.issuingAuthority.name, uscc: data.issuingAuthority.uscc },
        },
      },
    },
  ];
};

function requireNotClosed(
  record: Extract<CreditRecord, { kind: 'rectification' }>,
): asserts record is RectificationRecord {
  if (record.status === 'completed') {
    throw new Conflict(
      'RECTIFICATION.ALREADY_COMPLETED',
      `Rectification ${record.recordId} is already completed`,
      {
        recordId: record.recordId,
      },
    );
  }
  if (record.status === 'revoked') {
    throw new RuleViolation('RECORD.ALREADY_REVOKED', `Rectification ${record.recordId} was revoked`, {
      recordId: record.recordId,
    });
  }
}

/** Completion after the deadline is still completion: it takes the subject off key supervision. */
export const completeRectification = (
  command: CompleteRectification,
  subject: RegisteredSubject,
  { today }: DecisionContext,
): RectificationCompleted[] => {
  const { subjectId, recordId, completedOn, verification } = command.data;
  const record = findRecordOfKind(subject, recordId, 'rectification');
  requireNotClosed(record);
  requirePastDate('completedOn', completedOn, today);
  if (completedOn < record.notice.issuedOn) {
    throw new InvalidInput('INPUT.INVALID_DATE', 'A rectification cannot be completed before its notice', {
      field: 'completedOn',
    });
  }
  requireText('verification', verification);
  return [
    {
      type: 'RectificationCompleted',
      data: { subjectId, recordId, completedOn, verification, late: completedOn > record.notice.deadline },
    },
  ];
};

export const markRectificationOverdue = (
  command: MarkRectificationOverdue,
  subject: RegisteredSubject,
  { today }: DecisionContext,
): RectificationOverdue[] => {
  const { subjectId, recordId } = command.data;
  const record = findRecordOfKind(subject, recordId, 'rectification');
  requireNotClosed(record);
  if (record.status === 'overdue') {
    throw new Conflict('RECTIFICATION.ALREADY_OVERDUE', `Rectification ${recordId} is already overdue`, {
      recordId,
    });
  }
  const { deadline } = record.notice;
  if (today < rectificationOverdueOn(record.notice)) {
    throw new RuleViolation(
      'RECTIFICATION.DEADLINE_NOT_PASSED',
      `Rectification ${recordId} is due by ${deadline}`,
      {
        recordId,
        deadline,
      },
    );
  }
  return [{ type: 'RectificationOverdue', data: { subjectId, recordId, deadline } }];
};
