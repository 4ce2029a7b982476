import type {
  CompleteRectification,
  IssueRectificationNotice,
  MarkRectificationOverdue,
} from '../subject.commands';
import type { SubjectEvent } from '../subject.events';
import {
  given,
  gradeChanged,
  honourRecorded,
  keySupervisionMeasures,
  listChanged,
  on,
  rectificationNoticeIssued,
  school,
  schoolId,
  schoolRegistered,
  scheduler,
} from '../testing/subject-fixtures';

const issueNotice = (data: Partial<IssueRectificationNotice['data']> = {}): IssueRectificationNotice => ({
  type: 'IssueRectificationNotice',
  data: {
    subjectId: schoolId,
    recordId: 'rectification-1',
    ...rectificationNoticeIssued().data.notice,
    ...data,
  },
  metadata: on('2025-04-01'),
});

const markOverdue = (date: string): MarkRectificationOverdue => ({
  type: 'MarkRectificationOverdue',
  data: { subjectId: schoolId, recordId: 'rectification-1' },
  metadata: on(date, { actor: scheduler }),
});

const complete = (
  completedOn: string,
  date: string,
  recordId = 'rectification-1',
): CompleteRectification => ({
  type: 'CompleteRectification',
  data: { subjectId: schoolId, recordId, completedOn, verification: 'Refunds checked against bank records' },
  metadata: on(date),
});

const registered = [schoolRegistered, gradeChanged(null, 'B', '2025-01-06')];
const noticeIssued = [...registered, rectificationNoticeIssued()];
const overdue: SubjectEvent[] = [
  ...noticeIssued,
  {
    type: 'RectificationOverdue',
    data: { subjectId: schoolId, recordId: 'rectification-1', deadline: '2025-04-30' },
  },
  listChanged('key_supervision', 'entered', '2025-05-01', {
    reasons: [{ code: 'overdue_rectification', recordId: 'rectification-1' }],
    measures: keySupervisionMeasures,
  }),
  gradeChanged('B', 'C', '2025-05-01'),
];
const completed = (late: boolean, completedOn: string) => ({
  type: 'RectificationCompleted' as const,
  data: {
    subjectId: schoolId,
    recordId: 'rectification-1',
    completedOn,
    verification: 'Refunds checked against bank records',
    late,
  },
});

describe('rectification notices (限期整改)', () => {
  describe('when the subject is registered', () => {
    it('issues a notice with a deadline', () => {
      given(registered).when(issueNotice()).then([rectificationNoticeIssued()]);
    });

    it('refuses a deadline before the notice date', () => {
      given(registered)
        .when(issueNotice({ deadline: '2025-03-31' }))
        .thenThrows('RECTIFICATION.DEADLINE_BEFORE_ISSUE');
    });
  });

  describe('when a notice is open', () => {
    it('is not overdue on the deadline itself', () => {
      given(noticeIssued)
        .when(markOverdue('2025-04-30'))
        .thenThrows('RECTIFICATION.DEADLINE_NOT_PASSED', { deadline: '2025-04-30' });
    });

    it('once the deadline has passed, puts a private school under key supervision', () => {
      given(noticeIssued).when(markOverdue('2025-05-01')).then(overdue.slice(noticeIssued.length));
    });

    it('lowers the grade of a public school without a key supervision list entry', () => {
      const publicSchool = { ...school, kind: 'school' as const };
      given([
        { ...schoolRegistered, data: { ...schoolRegistered.data, kind: 'school' } },
        gradeChanged(null, 'B', '2025-01-06', { subject: publicSchool }),
        {
          ...rectificationNoticeIssued(),
          data: { ...rectificationNoticeIssued().data, subject: publicSchool },
        },
      ])
        .when(markOverdue('2025-05-01'))
        .then([
          {
            type: 'RectificationOverdue',
            data: { subjectId: schoolId, recordId: 'rectification-1', deadline: '2025-04-30' },
          },
          gradeChanged('B', 'C', '2025-05-01', { subject: publicSchool }),
        ]);
    });

    it('records completion in time', () => {
      given(noticeIssued)
        .when(complete('2025-04-18', '2025-04-20'))
        .then([completed(false, '2025-04-18')]);
    });

    it('refuses a completion date before the notice or after today', () => {
      given(noticeIssued).when(complete('2025-03-30', '2025-04-20')).thenThrows('INPUT.INVALID_DATE');
      given(noticeIssued).when(complete('2025-04-21', '2025-04-20')).thenThrows('INPUT.DATE_IN_FUTURE');
    });

    it('refuses a record that is not a rectification, or does not exist', () => {
      given([...noticeIssued, honourRecorded()])
        .when(complete('2025-04-18', '2025-04-20', 'honour-1'))
        .thenThrows('RECORD.WRONG_KIND');
      given(noticeIssued)
        .when(complete('2025-04-18', '2025-04-20', 'rectification-9'))
        .thenThrows('RECORD.NOT_FOUND');
    });
  });

  describe('when the rectification is overdue', () => {
    it('records a late completion and takes the school off key supervision', () => {
      given(overdue)
        .when(complete('2025-05-08', '2025-05-10'))
        .then([
          completed(true, '2025-05-08'),
          listChanged('key_supervision', 'left', '2025-05-10'),
          gradeChanged('C', 'B', '2025-05-10'),
        ]);
    });

    it('is not marked overdue twice', () => {
      given(overdue).when(markOverdue('2025-05-02')).thenThrows('RECTIFICATION.ALREADY_OVERDUE');
    });
  });

  describe('when the rectification is completed', () => {
    const done = [...noticeIssued, completed(false, '2025-04-18')];

    it('can neither be completed again nor become overdue', () => {
      given(done).when(complete('2025-04-19', '2025-04-20')).thenThrows('RECTIFICATION.ALREADY_COMPLETED');
      given(done).when(markOverdue('2025-05-01')).thenThrows('RECTIFICATION.ALREADY_COMPLETED');
    });
  });
});
