import {
  given,
  gradeChanged,
  keySupervisionMeasures,
  listChanged,
  on,
  penaltyRecorded,
  recordPenalty,
  schoolRegistered,
  student,
  studentId,
  studentRegistered,
  teacher,
  teacherId,
  teacherRegistered,
} from '../testing/subject-fixtures';

const registered = [schoolRegistered, gradeChanged(null, 'B', '2025-01-06')];
const activePenalty = (recordId = 'penalty-1') => ({ code: 'active_penalty' as const, recordId });

describe('recording a penalty', () => {
  describe('when the subject is registered and has no records', () => {
    it('records the decision with its publicity window, validity and reporting, and announces the new standing', () => {
      given(registered)
        .when(recordPenalty())
        .then([
          penaltyRecorded(),
          listChanged('key_supervision', 'entered', '2025-03-05', {
            reasons: [activePenalty()],
            measures: keySupervisionMeasures,
          }),
          gradeChanged('B', 'C', '2025-03-05'),
        ]);
    });

    it('publishes a general penalty from the decision date for at least 3 months and at most a year', () => {
      given(registered)
        .when(recordPenalty())
        .thenIncludes([
          expect.objectContaining({
            data: expect.objectContaining({
              severity: 'general',
              publicity: {
                disclosure: 'public',
                startsOn: '2025-03-03',
                minimumPeriodEndsOn: '2025-06-03',
                maximumPeriodEndsOn: '2026-03-03',
              },
              expiresOn: '2030-03-03',
            }),
          }),
        ]);
    });

    it('counts the 7 working days to the reporting deadline on the national calendar', () => {
      const reportedOn = (date: string) => recordPenalty({ decisionDate: '2025-09-26' }, on(date));
      const reporting = (late: boolean, date: string) =>
        expect.objectContaining({
          data: expect.objectContaining({ reporting: { reportedOn: date, deadline: '2025-10-13', late } }),
        });
      // Friday decision; the make-up Sunday 28 September counts, the National Day week does not.
      given(registered)
        .when(reportedOn('2025-10-13'))
        .thenIncludes([reporting(false, '2025-10-13')]);
      given(registered)
        .when(reportedOn('2025-10-14'))
        .thenIncludes([reporting(true, '2025-10-14')]);
    });

    it('applies the longest period when a category requires a higher tier', () => {
      given(registered)
        .when(recordPenalty({ categories: ['fine', 'licence_revoked'], severity: 'general' }))
        .thenIncludes([
          expect.objectContaining({
            data: expect.objectContaining({
              declaredSeverity: 'general',
              severity: 'serious',
              publicity: expect.objectContaining({
                minimumPeriodEndsOn: '2026-03-03',
                maximumPeriodEndsOn: '2028-03-03',
              }),
            }),
          }),
          listChanged('black', 'entered', '2025-03-05', {
            reasons: [{ code: 'serious_penalty', recordId: 'penalty-1' }],
            measures: ['no_honours_or_commendation', 'no_project_funding', 'more_frequent_inspection'],
          }),
          gradeChanged('B', 'D', '2025-03-05'),
        ]);
    });

    it('keeps a minor penalty published for exactly 3 months', () => {
      given(registered)
        .when(recordPenalty({ severity: 'minor' }))
        .thenIncludes([
          expect.objectContaining({
            data: expect.objectContaining({
              publicity: expect.objectContaining({
                minimumPeriodEndsOn: '2025-06-03',
                maximumPeriodEndsOn: '2025-06-03',
              }),
            }),
          }),
        ]);
    });

    it('does not publish a warning', () => {
      given(registered)
        .when(
          recordPenalty({ categories: ['warning'], fineAmountTenThousandYuan: undefined, severity: 'minor' }),
        )
        .thenIncludes([
          expect.objectContaining({
            data: expect.objectContaining({
              publicity: expect.objectContaining({
                disclosure: 'restricted',
                restrictedBecause: 'warning_only',
              }),
            }),
          }),
        ]);
    });

    it('records the authority as data source when none is given, and defaults the misconduct', () => {
      given(registered)
        .when(recordPenalty({ misconduct: undefined }))
        .thenIncludes([penaltyRecorded()]);
    });
  });

  describe('when the subject is a natural person', () => {
    it('publishes an adult teacher’s penalty', () => {
      given([teacherRegistered, gradeChanged(null, 'B', '2025-01-06', { subjectId: teacherId })])
        .when(recordPenalty({ subjectId: teacherId }))
        .thenIncludes([
          expect.objectContaining({
            data: expect.objectContaining({ publicity: expect.objectContaining({ disclosure: 'public' }) }),
          }),
        ]);
    });

    it('never publishes a minor student’s record, nor the list entry it causes', () => {
      given([
        studentRegistered,
        gradeChanged(null, 'B', '2025-01-06', { subjectId: studentId, subject: student }),
      ])
        .when(recordPenalty({ subjectId: studentId, misconduct: 'exam_cheating' }))
        .thenIncludes([
          expect.objectContaining({
            data: expect.objectContaining({
              publicity: expect.objectContaining({
                disclosure: 'restricted',
                restrictedBecause: 'minor_subject',
              }),
            }),
          }),
          {
            ...listChanged('black', 'entered', '2025-03-05', {
              subjectId: studentId,
              subject: student,
              reasons: [{ code: 'serious_misconduct', recordId: 'penalty-1' }],
              measures: [
                'no_honours_or_commendation',
                'no_project_funding',
                'degree_award_limited',
                'more_frequent_inspection',
              ],
            }),
            data: expect.objectContaining({ disclosure: 'restricted' }),
          },
        ]);
    });
    it('never publishes an adult student’s record either: students are a protected kind', () => {
      const adultStudent = { ...teacher, kind: 'student' as const };
      given([
        { ...teacherRegistered, data: { ...teacherRegistered.data, kind: 'student' } },
        gradeChanged(null, 'B', '2025-01-06', { subjectId: teacherId, subject: adultStudent }),
      ])
        .when(recordPenalty({ subjectId: teacherId }))
        .thenIncludes([
          expect.objectContaining({
            data: expect.objectContaining({
              publicity: expect.objectContaining({
                disclosure: 'restricted',
                restrictedBecause: 'protected_subject_kind',
              }),
            }),
          }),
        ]);
    });
  });

  describe('when the subject already has a penalty', () => {
    const penalised = [
      ...registered,
      penaltyRecorded(),
      listChanged('key_supervision', 'entered', '2025-03-05', {
        reasons: [activePenalty()],
        measures: keySupervisionMeasures,
      }),
      gradeChanged('B', 'C', '2025-03-05'),
    ];

    it('refuses the same decision document number again', () => {
      given(penalised)
        .when(recordPenalty({ recordId: 'penalty-2' }))
        .thenThrows('PENALTY.DUPLICATE_DOCUMENT_NUMBER', {
          documentNumber: '厦教罚〔2025〕3号',
          recordId: 'penalty-1',
        });
    });

    it('accepts the document number again once the first record was revoked', () => {
      const revoked = {
        type: 'RecordRevoked' as const,
        data: {
          subjectId: 'school-1',
          recordId: 'penalty-1',
          reason: 'Entered twice',
          revokedOn: '2025-03-06',
        },
      };
      given([...penalised, revoked])
        .when(recordPenalty({ recordId: 'penalty-2' }, on('2025-03-06')))
        .thenIncludes([expect.objectContaining({ type: 'PenaltyRecorded' })]);
    });

    it('refuses a record id already in use', () => {
      given(penalised)
        .when(recordPenalty({ documentNumber: '厦教罚〔2025〕4号' }))
        .thenThrows('RECORD.ALREADY_EXISTS');
    });

    it('announces nothing new when a second penalty keeps the standing as it is', () => {
      given(penalised)
        .when(recordPenalty({ recordId: 'penalty-2', documentNumber: '厦教罚〔2025〕4号' }))
        .then([penaltyRecorded({ recordId: 'penalty-2', penalty: { documentNumber: '厦教罚〔2025〕4号' } })]);
    });
  });

  describe('input that is refused', () => {
    it('a decision date in the future', () => {
      given(registered)
        .when(recordPenalty({ decisionDate: '2025-03-06' }))
        .thenThrows('INPUT.DATE_IN_FUTURE', { field: 'decisionDate' });
    });

    it('a decision date that does not exist', () => {
      given(registered)
        .when(recordPenalty({ decisionDate: '2025-02-29' }))
        .thenThrows('INPUT.INVALID_DATE');
    });

    it('a missing required field of the double-publicity set', () => {
      given(registered)
        .when(recordPenalty({ facts: '' }))
        .thenThrows('INPUT.FIELD_REQUIRED', { field: 'facts' });
      given(registered)
        .when(recordPenalty({ legalBasis: ' ' }))
        .thenThrows('INPUT.FIELD_REQUIRED', { field: 'legalBasis' });
    });

    it('a severity that is not a tier', () => {
      given(registered)
        .when(recordPenalty({ severity: 'grave' as never }))
        .thenThrows('INPUT.INVALID_VALUE', { field: 'severity' });
    });

    it('no penalty category, or a fine without its amount', () => {
      given(registered)
        .when(recordPenalty({ categories: [] }))
        .thenThrows('PENALTY.CATEGORY_REQUIRED');
      given(registered)
        .when(recordPenalty({ fineAmountTenThousandYuan: undefined }))
        .thenThrows('PENALTY.FINE_AMOUNT_REQUIRED');
      given(registered)
        .when(recordPenalty({ categories: ['confiscation'] }))
        .thenThrows('PENALTY.CONFISCATION_AMOUNT_REQUIRED');
      given(registered)
        .when(recordPenalty({ fineAmountTenThousandYuan: -1 }))
        .thenThrows('INPUT.INVALID_AMOUNT');
    });

    it('an authority whose USCC fails its checksum', () => {
      given(registered)
        .when(recordPenalty({ authority: { name: '厦门市教育局', uscc: '11350200MB0123456B' } }))
        .thenThrows('INPUT.INVALID_USCC', { field: 'authority.uscc', reason: 'CHECKSUM_MISMATCH' });
    });

    it('a decision whose reporting deadline falls in a year the calendar does not know', () => {
      given(registered)
        .when(recordPenalty({ decisionDate: '2026-12-28' }, on('2026-12-29')))
        .thenThrows('CALENDAR.YEAR_UNKNOWN', { year: 2027 });
    });
  });
});
