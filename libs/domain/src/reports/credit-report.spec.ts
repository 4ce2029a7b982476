import { defaultPolicy } from '../policy/default-policy';
import type { SubjectEvent } from '../subject/subject.events';
import { evolveSubject, initialSubjectState, type RegisteredSubject } from '../subject/subject.state';
import {
  honourRecorded,
  penaltyRecorded,
  schoolId,
  schoolRegistered,
  teacher,
  teacherId,
  teacherRegistered,
  xiamenOfficial,
} from '../subject/testing/subject-fixtures';
import { buildCreditReport, eventIdsOfReport, type CreditReportRequest } from './credit-report';

const reportOf = (events: readonly SubjectEvent[], overrides: Partial<CreditReportRequest> = {}) => {
  const state = events.reduce(evolveSubject, initialSubjectState()) as RegisteredSubject;
  return buildCreditReport({
    reportNo: 'CR-20250901-TEST',
    issuedAt: '2025-09-01T02:00:00.000Z',
    asOf: '2025-09-01',
    purpose: 'funding',
    actor: xiamenOfficial,
    state,
    events: events.map((event, i) => ({ eventId: `e-${i}`, event })),
    policy: defaultPolicy,
    ...overrides,
  });
};

const revoked = (recordId: string): SubjectEvent => ({
  type: 'RecordRevoked',
  data: { subjectId: schoolId, recordId, reason: '复议撤销', revokedOn: '2025-06-01' },
});

describe('credit report content (信用报告)', () => {
  describe('when the purpose is missing or unknown', () => {
    it('refuses with REPORT.UNKNOWN_PURPOSE naming the field', () => {
      for (const purpose of [undefined, '', 'gossip']) {
        expect(() => reportOf([schoolRegistered], { purpose })).toThrow(
          expect.objectContaining({
            code: 'REPORT.UNKNOWN_PURPOSE',
            details: expect.objectContaining({ field: 'purpose' }),
          }),
        );
      }
    });
  });

  describe('when the subject is a legal person', () => {
    const events: SubjectEvent[] = [
      schoolRegistered,
      penaltyRecorded(),
      penaltyRecorded({ recordId: 'penalty-2', penalty: { documentNumber: '厦教罚〔2025〕4号' } }),
      revoked('penalty-2'),
      honourRecorded(),
    ];

    it('shows the USCC, the purpose, the issuer and the standing', () => {
      const report = reportOf(events);
      expect(report).toMatchObject({
        format: 'ledger-credit-report-v1',
        reportNo: 'CR-20250901-TEST',
        purpose: { code: 'funding', name: '财政资金与项目资助' },
        issuer: { actor: { id: xiamenOfficial.userId, jurisdiction: xiamenOfficial.jurisdiction } },
        subject: { personType: 'legal_person', identifier: { scheme: 'uscc', value: '91350200776049653A' } },
        standing: { policyVersion: defaultPolicy.version },
        teacherConfirmation: null,
      });
    });

    it('lists records in force with document number, legal basis, dates and publicity end; not revoked ones', () => {
      const report = reportOf(events);
      expect(report.records.map((r) => r.recordId)).toEqual(['penalty-1', 'honour-1']);
      expect(report.records[0]).toMatchObject({
        kind: 'penalty',
        nature: 'dishonest',
        documentNumber: '厦教罚〔2025〕3号',
        legalBasis: 'Private Education Promotion Law Art. 62',
        decidedOn: '2025-03-03',
        publicity: { startsOn: '2025-03-03', endsOn: '2026-03-03' },
        validUntil: '2030-03-03',
        eventIds: ['e-1'],
      });
      expect(report.records[1]).toMatchObject({ kind: 'honour', nature: 'trustworthy' });
      expect(report.excluded).toEqual({ expired: 0, revoked: 1, repaired: 0 });
    });

    it('leaves out records whose validity (policy recordValidityMonths) ran out by asOf, expired by event or not', () => {
      const late = reportOf(events, { asOf: '2030-03-03' });
      expect(late.records.map((r) => r.recordId)).toEqual([]);
      expect(late.excluded).toEqual({ expired: 2, revoked: 1, repaired: 0 });
      const expiredByEvent = reportOf([
        ...events,
        {
          type: 'RecordExpired',
          data: { subjectId: schoolId, recordId: 'honour-1', expiredOn: '2025-08-01' },
        },
      ]);
      expect(expiredByEvent.records.map((r) => r.recordId)).toEqual(['penalty-1']);
    });

    it('shows repairs (the repaired record leaves the records) and objections with their outcome', () => {
      const report = reportOf([
        ...events,
        {
          type: 'ObjectionFiled',
          data: {
            subjectId: schoolId,
            recordId: 'penalty-1',
            objectionId: 'objection-1',
            grounds: '金额有误',
            requiresExternalVerification: false,
            filedOn: '2025-04-01',
            decisionDueBy: '2025-04-04',
          },
        },
        {
          type: 'ObjectionResolved',
          data: {
            subjectId: schoolId,
            recordId: 'penalty-1',
            objectionId: 'objection-1',
            recordOutcome: 'upheld',
            reason: '维持',
            resolvedOn: '2025-04-03',
            withinDeadline: true,
          },
        },
        {
          type: 'RepairApplied',
          data: {
            subjectId: schoolId,
            recordId: 'penalty-1',
            applicationId: 'repair-1',
            correctionStatement: '已整改',
            appliedOn: '2025-06-10',
          },
        },
        {
          type: 'RepairApproved',
          data: {
            subjectId: schoolId,
            recordId: 'penalty-1',
            applicationId: 'repair-1',
            decidedOn: '2025-06-20',
          },
        },
      ]);
      expect(report.records.map((r) => r.recordId)).toEqual(['honour-1']);
      expect(report.excluded.repaired).toBe(1);
      expect(report.repairs).toEqual([
        {
          applicationId: 'repair-1',
          recordId: 'penalty-1',
          documentNumber: '厦教罚〔2025〕3号',
          status: 'approved',
          appliedOn: '2025-06-10',
          decidedOn: '2025-06-20',
          reason: null,
          eventIds: ['e-7', 'e-8'],
        },
      ]);
      expect(report.objections).toEqual([
        expect.objectContaining({
          objectionId: 'objection-1',
          status: 'resolved',
          outcome: 'upheld',
          resolvedOn: '2025-04-03',
          eventIds: ['e-5', 'e-6'],
        }),
      ]);
      expect(eventIdsOfReport(report, 'e-0').sort()).toEqual(['e-0', 'e-4', 'e-5', 'e-6', 'e-7', 'e-8']);
    });
  });

  describe('when the subject is a teacher', () => {
    const teacherPenalty = penaltyRecorded({ subjectId: teacherId, subject: teacher });
    const base: SubjectEvent[] = [teacherRegistered, teacherPenalty];
    const requested: SubjectEvent = {
      type: 'ReportConfirmationRequested',
      data: {
        subjectId: teacherId,
        confirmationId: 'c-1',
        requestedOn: '2025-08-01',
        recordIds: ['penalty-1'],
      },
    };

    it('masks the resident ID', () => {
      expect(reportOf(base).subject).toMatchObject({
        personType: 'natural_person',
        identifier: { scheme: 'resident_id', value: '350203********1233' },
      });
    });

    it('says the file is not confirmed, and refuses hiring, promotion and awards until it is', () => {
      expect(reportOf(base).teacherConfirmation).toMatchObject({ status: 'not_requested' });
      expect(reportOf([...base, requested]).teacherConfirmation).toMatchObject({
        status: 'requested',
        notice: '本报告尚未经教师本人确认（确认中）',
      });
      for (const purpose of ['hiring', 'promotion', 'award']) {
        expect(() => reportOf([...base, requested], { purpose })).toThrow(
          expect.objectContaining({ code: 'REPORT.TEACHER_CONFIRMATION_REQUIRED' }),
        );
      }
    });

    it('serves every purpose once the teacher confirmed', () => {
      const confirmed: SubjectEvent[] = [
        ...base,
        requested,
        {
          type: 'ReportConfirmed',
          data: { subjectId: teacherId, confirmationId: 'c-1', confirmedOn: '2025-08-03' },
        },
      ];
      expect(reportOf(confirmed, { purpose: 'hiring' }).teacherConfirmation).toMatchObject({
        status: 'confirmed',
        answeredOn: '2025-08-03',
        notice: '本报告已经教师本人确认',
      });
    });

    it('refuses a contested file for hiring', () => {
      const contested: SubjectEvent[] = [
        ...base,
        requested,
        {
          type: 'ReportContested',
          data: {
            subjectId: teacherId,
            confirmationId: 'c-1',
            recordId: 'penalty-1',
            objectionId: 'o-1',
            contestedOn: '2025-08-03',
          },
        },
      ];
      expect(() => reportOf(contested, { purpose: 'hiring' })).toThrow(
        expect.objectContaining({
          code: 'REPORT.TEACHER_CONFIRMATION_REQUIRED',
          details: expect.objectContaining({ confirmation: 'contested' }),
        }),
      );
    });
  });
});
