// Teacher confirmation of the credit file (002 §6): a teacher's file serves as a 教师个人职业信用报告 only after
// the teacher confirmed it. The ledger asks; the teacher confirms, or contests one record, which files an
// objection against it in the same decision.
import { Conflict, InvalidInput, NotFound, RuleViolation } from '../../errors';
import { isBlank, requireText } from '../../input-checks';
import type { AnswerReportConfirmation, RequestReportConfirmation } from '../subject.commands';
import type {
  ObjectionFiled,
  ReportConfirmationRequested,
  ReportConfirmed,
  ReportContested,
} from '../subject.events';
import { currentReportConfirmation, type RegisteredSubject } from '../subject.state';
import type { DecisionContext } from './decision-context';
import { fileObjection } from './objections';

/** Only teachers' files need their confirmation (002 §6 names the 教师个人职业信用报告). */
export const needsTeacherConfirmation = (subject: Pick<RegisteredSubject, 'summary'>): boolean =>
  subject.summary.kind === 'teacher';

export const requestReportConfirmation = (
  command: RequestReportConfirmation,
  subject: RegisteredSubject,
  { today }: DecisionContext,
): ReportConfirmationRequested[] => {
  const { subjectId, confirmationId } = command.data;
  requireText('confirmationId', confirmationId);
  if (!needsTeacherConfirmation(subject)) {
    throw new RuleViolation(
      'REPORT.CONFIRMATION_NOT_FOR_KIND',
      `Only a teacher confirms their credit file; subject ${subjectId} is a ${subject.summary.kind}`,
      { subjectId, kind: subject.summary.kind },
    );
  }
  if ((subject.reportConfirmations ?? []).some((c) => c.confirmationId === confirmationId)) {
    throw new Conflict('REPORT.DUPLICATE_CONFIRMATION_ID', `Confirmation ${confirmationId} already exists`, {
      confirmationId,
    });
  }
  const current = currentReportConfirmation(subject);
  if (current?.status === 'requested') {
    throw new Conflict(
      'REPORT.CONFIRMATION_PENDING',
      `Confirmation ${current.confirmationId} awaits the teacher's answer`,
      { confirmationId: current.confirmationId },
    );
  }
  const recordIds = subject.records.filter((r) => r.status !== 'revoked').map((r) => r.recordId);
  return [
    {
      type: 'ReportConfirmationRequested',
      data: { subjectId, confirmationId, requestedOn: today, recordIds },
    },
  ];
};

export const answerReportConfirmation = (
  command: AnswerReportConfirmation,
  subject: RegisteredSubject,
  context: DecisionContext,
): Array<ReportConfirmed | ReportContested | ObjectionFiled> => {
  const { subjectId, confirmationId, answer } = command.data;
  const confirmation = (subject.reportConfirmations ?? []).find((c) => c.confirmationId === confirmationId);
  if (confirmation === undefined) {
    throw new NotFound('REPORT.CONFIRMATION_NOT_FOUND', `No confirmation ${confirmationId}`, {
      confirmationId,
    });
  }
  if (confirmation.status !== 'requested') {
    throw new Conflict(
      'REPORT.CONFIRMATION_ALREADY_ANSWERED',
      `Confirmation ${confirmationId} was already ${confirmation.status}`,
      { confirmationId, status: confirmation.status },
    );
  }
  if (answer === 'confirmed') {
    return [{ type: 'ReportConfirmed', data: { subjectId, confirmationId, confirmedOn: context.today } }];
  }
  const { recordId, grounds, objectionId } = command.data;
  if (isBlank(recordId) || isBlank(grounds) || isBlank(objectionId)) {
    throw new InvalidInput(
      'REPORT.CONTEST_DETAILS_REQUIRED',
      'A contest names the record contested and the grounds',
      { missing: [isBlank(recordId) && 'recordId', isBlank(grounds) && 'grounds'].filter(Boolean) },
    );
  }
  const filed = fileObjection(
    {
      type: 'FileObjection',
      data: {
        subjectId,
        recordId: recordId!,
        objectionId: objectionId!,
        grounds: grounds!,
        requiresExternalVerification: command.data.requiresExternalVerification ?? false,
      },
      metadata: command.metadata,
    },
    subject,
    context,
  );
  return [
    {
      type: 'ReportContested',
      data: {
        subjectId,
        confirmationId,
        recordId: recordId!,
        objectionId: objectionId!,
        contestedOn: context.today,
      },
    },
    ...filed,
  ];
};
