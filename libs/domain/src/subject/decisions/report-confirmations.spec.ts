import type { AnswerReportConfirmation, RequestReportConfirmation } from '../subject.commands';
import type { SubjectEvent } from '../subject.events';
import {
  given,
  on,
  penaltyRecorded,
  schoolRegistered,
  schoolId,
  teacher,
  teacherId,
  teacherRegistered,
} from '../testing/subject-fixtures';

const request = (data: Partial<RequestReportConfirmation['data']> = {}): RequestReportConfirmation => ({
  type: 'RequestReportConfirmation',
  data: { subjectId: teacherId, confirmationId: 'confirmation-1', ...data },
  metadata: on('2025-09-01'),
});

const answer = (
  data: Partial<AnswerReportConfirmation['data']> = {},
  date = '2025-09-05',
): AnswerReportConfirmation => ({
  type: 'AnswerReportConfirmation',
  data: { subjectId: teacherId, confirmationId: 'confirmation-1', answer: 'confirmed', ...data },
  metadata: on(date),
});

const teacherPenalty = penaltyRecorded({ subjectId: teacherId, subject: teacher, recordId: 'penalty-1' });
const requested: SubjectEvent = {
  type: 'ReportConfirmationRequested',
  data: {
    subjectId: teacherId,
    confirmationId: 'confirmation-1',
    requestedOn: '2025-09-01',
    recordIds: ['penalty-1'],
  },
};
const withRecord: SubjectEvent[] = [teacherRegistered, teacherPenalty];
const awaiting: SubjectEvent[] = [...withRecord, requested];

describe('teacher confirmation of the credit file (002 §6)', () => {
  describe('when no confirmation was asked for', () => {
    it('asks the teacher to confirm the records of the file as it stands', () => {
      given(withRecord).when(request()).thenIncludes([requested]);
    });

    it('asks only teachers', () => {
      given([schoolRegistered])
        .when(request({ subjectId: schoolId }))
        .thenThrows('REPORT.CONFIRMATION_NOT_FOR_KIND', { kind: 'private_school' });
    });

    it('has nothing to answer', () => {
      given(withRecord).when(answer()).thenThrows('REPORT.CONFIRMATION_NOT_FOUND');
    });
  });

  describe('when a confirmation awaits the answer', () => {
    it('refuses a second request while the first is open, and a reused id', () => {
      given(awaiting)
        .when(request({ confirmationId: 'confirmation-2' }))
        .thenThrows('REPORT.CONFIRMATION_PENDING', { confirmationId: 'confirmation-1' });
      given(awaiting).when(request()).thenThrows('REPORT.DUPLICATE_CONFIRMATION_ID');
    });

    it('records the confirmation', () => {
      given(awaiting)
        .when(answer())
        .thenIncludes([
          {
            type: 'ReportConfirmed',
            data: { subjectId: teacherId, confirmationId: 'confirmation-1', confirmedOn: '2025-09-05' },
          },
        ]);
    });

    it('records a contest and files an objection against the record contested', () => {
      given(awaiting)
        .when(
          answer({
            answer: 'contested',
            recordId: 'penalty-1',
            grounds: '处罚决定已被复议撤销',
            objectionId: 'objection-1',
          }),
        )
        .thenIncludes([
          {
            type: 'ReportContested',
            data: {
              subjectId: teacherId,
              confirmationId: 'confirmation-1',
              recordId: 'penalty-1',
              objectionId: 'objection-1',
              contestedOn: '2025-09-05',
            },
          },
          expect.objectContaining({
            type: 'ObjectionFiled',
            data: expect.objectContaining({ recordId: 'penalty-1', objectionId: 'objection-1' }),
          }),
        ]);
    });

    it('needs the record and the grounds of a contest, and a record the teacher has', () => {
      given(awaiting)
        .when(answer({ answer: 'contested', objectionId: 'objection-1' }))
        .thenThrows('REPORT.CONTEST_DETAILS_REQUIRED');
      given(awaiting)
        .when(
          answer({ answer: 'contested', recordId: 'penalty-9', grounds: 'x', objectionId: 'objection-1' }),
        )
        .thenThrows('RECORD.NOT_FOUND');
    });
  });

  describe('when the confirmation was answered', () => {
    const confirmed: SubjectEvent[] = [
      ...awaiting,
      {
        type: 'ReportConfirmed',
        data: { subjectId: teacherId, confirmationId: 'confirmation-1', confirmedOn: '2025-09-05' },
      },
    ];

    it('refuses a second answer', () => {
      given(confirmed)
        .when(answer())
        .thenThrows('REPORT.CONFIRMATION_ALREADY_ANSWERED', { status: 'confirmed' });
    });

    it('may ask again, e.g. after new records', () => {
      given(confirmed)
        .when(request({ confirmationId: 'confirmation-2' }))
        .thenIncludes([expect.objectContaining({ type: 'ReportConfirmationRequested' })]);
    });
  });
});
