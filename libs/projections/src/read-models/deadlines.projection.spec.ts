// The deadlines read model, fed with the events the domain itself decides, and checked against the
// domain: each due date is the first Beijing date on which the scheduler's command is accepted.
import {
  addDays,
  DomainError,
  fold,
  subjectDecider,
  type SubjectCommand,
  type SubjectEvent,
  type SubjectState,
} from '@ledger/domain';
import {
  bureau,
  on,
  scheduler,
  school,
  schoolId,
  schoolRegistered,
  student,
  studentId,
  studentRegistered,
  xiamenOfficial as bureauOfficial,
} from '@ledger/domain/subject/testing/subject-fixtures';
import type { StoredEvent } from '@ledger/event-store';
import {
  deadlineId,
  deadlinesProjection,
  isPendingDeadline,
  type Deadline,
  type DeadlineCommand,
  type DeadlineDocument,
} from './deadlines.projection';

type WithoutMetadata<T> = T extends unknown ? Omit<T, 'metadata'> : never;
type Request = WithoutMetadata<SubjectCommand>;

/** A subject's stream as the store would hold it, and the read model folded over it. */
class Ledger {
  readonly stored: StoredEvent[] = [];
  readonly docs = new Map<string, DeadlineDocument>();
  private position = 100;

  constructor(
    private readonly subjectId: string,
    registered: SubjectEvent,
  ) {
    this.append([registered]);
  }

  get state(): SubjectState {
    return fold(subjectDecider, this.stored as unknown as SubjectEvent[]);
  }

  /** Decides a command on `date` (Beijing 10:00) as `actor` and applies what it decided. */
  run(request: Request, date: string, actor = scheduler): readonly SubjectEvent[] {
    const events = subjectDecider.decide(
      { ...request, metadata: on(date, { actor }) } as SubjectCommand,
      this.state,
    );
    this.append(events);
    return events;
  }

  /** What the domain answers, without applying it. */
  attempt(request: Request, date: string): { events?: readonly SubjectEvent[]; code?: string } {
    try {
      return {
        events: subjectDecider.decide(
          { ...request, metadata: on(date, { actor: scheduler }) } as SubjectCommand,
          this.state,
        ),
      };
    } catch (error) {
      if (error instanceof DomainError) return { code: error.code };
      throw error;
    }
  }

  append(events: readonly SubjectEvent[], streamId = `subject-${this.subjectId}`): void {
    for (const event of events) {
      this.position += 1;
      const stored: StoredEvent = {
        id: `event-${this.position}`,
        type: event.type,
        data: event.data,
        metadata: { occurredAt: '2025-01-01T00:00:00Z', schemaVersion: 1 },
        streamId,
        revision: this.stored.length,
        position: this.position,
        recordedAt: '2025-01-01T00:00:00Z',
        prevHash: null,
        hash: 'h',
      };
      if (streamId.startsWith('subject-')) this.stored.push(stored);
      this.apply(stored);
    }
  }

  /** What the runner does for one event: fold every document it touches. */
  apply(event: StoredEvent): void {
    for (const key of deadlinesProjection.documentIds(event)) {
      const next = deadlinesProjection.evolve(this.docs.get(key), event, key);
      if (next === null) this.docs.delete(key);
      else this.docs.set(key, next);
    }
  }

  pending(): Array<Pick<Deadline, 'recordId' | 'command' | 'dueOn'>> {
    return [...this.docs.values()]
      .filter(isPendingDeadline)
      .map(({ recordId, command, dueOn }) => ({ recordId, command, dueOn }))
      .sort((a, b) =>
        `${a.dueOn}${a.recordId}${a.command}`.localeCompare(`${b.dueOn}${b.recordId}${b.command}`),
      );
  }

  /** The stored id of the last event of this type. */
  lastIdOf(type: string): string {
    return [...this.stored].reverse().find((event) => event.type === type)!.id;
  }
}

const penalty = (recordId: string, decisionDate: string, subjectId = schoolId): Request =>
  ({
    type: 'RecordPenalty',
    data: {
      subjectId,
      recordId,
      documentNumber: `厦教罚〔2025〕${recordId}号`,
      offenceType: 'Operating beyond the approved scope',
      facts: 'Ran discipline tutoring without approval',
      legalBasis: 'Private Education Promotion Law Art. 62',
      categories: ['fine'],
      content: 'Fine of 20,000 yuan',
      fineAmountTenThousandYuan: 2,
      decisionDate,
      authority: bureau,
      severity: 'general',
    },
  }) as Request;

const honour = (recordId: string, awardedOn: string): Request => ({
  type: 'RecordHonour',
  data: {
    subjectId: schoolId,
    recordId,
    title: '厦门市文明校园',
    category: 'advanced_collective',
    awardingBody: bureau,
    awardedOn,
  },
});

const commitment = (
  recordId: string,
  madeOn: string,
  validUntil: string,
  extra: Record<string, unknown> = {},
): Request =>
  ({
    type: 'SignCommitment',
    data: {
      subjectId: schoolId,
      recordId,
      code: `350203${madeOn.replaceAll('-', '')}${recordId.slice(-6).padStart(6, '0')}`,
      type: 'in_place_of_certificate',
      reason: 'Application to run a new campus',
      content: 'Fire safety certificate within 60 days',
      liabilityOnBreach: 'Approval withdrawn; recorded as dishonest',
      madeOn,
      validUntil,
      acceptingUnit: bureau,
      disclosure: 'public',
      ...extra,
    },
  }) as Request;

const notice = (recordId: string, issuedOn: string, deadline: string): Request => ({
  type: 'IssueRectificationNotice',
  data: {
    subjectId: schoolId,
    recordId,
    noticeNumber: `厦教整〔2025〕${recordId}号`,
    finding: 'Fees collected more than three months in advance',
    requirements: 'Refund the excess',
    issuedOn,
    deadline,
    issuingAuthority: bureau,
  },
});

const scheduled = (command: DeadlineCommand, recordId: string, subjectId = schoolId): Request =>
  ({ type: command, data: { subjectId, recordId } }) as Request;

const settles: Record<DeadlineCommand, string> = {
  EndPublicity: 'PublicityEnded',
  ExpireRecord: 'RecordExpired',
  MarkCommitmentDue: 'CommitmentFellDue',
  MarkRectificationOverdue: 'RectificationOverdue',
};

const refusedTheDayBefore: Record<DeadlineCommand, string> = {
  EndPublicity: 'PUBLICITY.MAXIMUM_NOT_REACHED',
  ExpireRecord: 'RECORD.STILL_VALID',
  MarkCommitmentDue: 'COMMITMENT.NOT_YET_DUE',
  MarkRectificationOverdue: 'RECTIFICATION.DEADLINE_NOT_PASSED',
};

/** Every pending deadline is refused the day before its due date and accepted on it. */
function expectDueDatesAgreeWithTheDomain(ledger: Ledger): void {
  const pending = ledger.pending();
  expect(pending.length).toBeGreaterThan(0);
  for (const { recordId, command, dueOn } of pending) {
    const request = scheduled(
      command,
      recordId,
      (ledger.docs.get(deadlineId(recordId, command)) as Deadline).subjectId,
    );
    expect({ recordId, command, dayBefore: ledger.attempt(request, addDays(dueOn, -1)).code }).toEqual({
      recordId,
      command,
      dayBefore: refusedTheDayBefore[command],
    });
    expect(ledger.attempt(request, dueOn).events?.[0]?.type).toBe(settles[command]);
  }
}

describe('deadlines read model', () => {
  it('starts the publicity and validity clocks of a penalty: due on the last day of publicity and on expiry', () => {
    const ledger = new Ledger(schoolId, schoolRegistered);
    ledger.run(penalty('penalty-1', '2025-03-03'), '2025-03-05');
    expect(ledger.pending()).toEqual([
      { recordId: 'penalty-1', command: 'EndPublicity', dueOn: '2026-03-03' },
      { recordId: 'penalty-1', command: 'ExpireRecord', dueOn: '2030-03-03' },
    ]);
    const doc = ledger.docs.get('penalty-1:EndPublicity')!;
    expect(doc).toEqual({
      status: 'pending',
      subjectId: schoolId,
      recordId: 'penalty-1',
      command: 'EndPublicity',
      dueOn: '2026-03-03',
      jurisdiction: school.jurisdiction,
      startedBy: ledger.lastIdOf('PenaltyRecorded'),
      lastPosition: expect.any(Number),
    });
    expect(deadlinesProjection.index(doc)).toEqual({
      jurisdiction: '350203',
      kind: 'EndPublicity',
      sortKey: '2026-03-03',
    });
    expectDueDatesAgreeWithTheDomain(ledger);
  });

  it('ends the publicity of restricted penalties too: they count for lists until it ends', () => {
    const ledger = new Ledger(studentId, studentRegistered);
    ledger.run(penalty('penalty-s', '2025-03-03', studentId), '2025-03-05');
    expect(ledger.stored.find((e) => e.type === 'PenaltyRecorded')!.data).toMatchObject({
      publicity: { disclosure: 'restricted' },
    });
    expect(ledger.pending().map((d) => d.command)).toEqual(['EndPublicity', 'ExpireRecord']);
    expect(ledger.docs.get('penalty-s:EndPublicity')).toMatchObject({ jurisdiction: student.jurisdiction });
    expectDueDatesAgreeWithTheDomain(ledger);
  });

  it('removes the publicity clock when publicity ends, and every clock when the record expires', () => {
    const ledger = new Ledger(schoolId, schoolRegistered);
    ledger.run(penalty('penalty-1', '2025-03-03'), '2025-03-05');
    ledger.run(scheduled('EndPublicity', 'penalty-1'), '2026-03-03');
    expect(ledger.pending()).toEqual([
      { recordId: 'penalty-1', command: 'ExpireRecord', dueOn: '2030-03-03' },
    ]);
    ledger.run(scheduled('ExpireRecord', 'penalty-1'), '2030-03-03');
    expect(ledger.docs.size).toBe(0);
  });

  it('stops the publicity clock on an approved repair and restarts it when the repair commitment is breached', () => {
    const ledger = new Ledger(schoolId, schoolRegistered);
    ledger.run(penalty('penalty-1', '2025-03-03'), '2025-03-05', bureauOfficial);
    ledger.run(
      commitment('repair-000001', '2025-06-04', '2025-12-31', {
        type: 'credit_repair',
        relatedPenaltyId: 'penalty-1',
      }),
      '2025-06-04',
      bureauOfficial,
    );
    ledger.run(
      {
        type: 'ApplyForRepair',
        data: {
          subjectId: schoolId,
          recordId: 'penalty-1',
          applicationId: 'repair-1',
          correctionStatement: 'Stopped the unapproved classes',
        },
      },
      '2025-06-04',
      bureauOfficial,
    );
    ledger.run(
      {
        type: 'DecideRepair',
        data: { subjectId: schoolId, applicationId: 'repair-1', decision: 'approved' },
      },
      '2025-06-10',
      bureauOfficial,
    );
    const waiting = ledger.docs.get('penalty-1:EndPublicity')!;
    expect(waiting).toMatchObject({ status: 'waiting', dueOn: null, jurisdiction: '350203' });
    expect(deadlinesProjection.index(waiting)).toEqual({ jurisdiction: '350203' });
    expect(ledger.pending()).toEqual([
      { recordId: 'repair-000001', command: 'MarkCommitmentDue', dueOn: '2026-01-01' },
      { recordId: 'penalty-1', command: 'ExpireRecord', dueOn: '2030-03-03' },
    ]);
    expect(ledger.attempt(scheduled('EndPublicity', 'penalty-1'), '2026-03-03').code).toBe(
      'PUBLICITY.NOT_ACTIVE',
    );

    const events = ledger.run(
      {
        type: 'RecordCommitmentOutcome',
        data: {
          subjectId: schoolId,
          recordId: 'repair-000001',
          outcome: 'not_kept',
          unkeptContent: 'Classes resumed',
          liabilityPursued: 'Repair withdrawn',
        },
      },
      '2025-09-01',
      bureauOfficial,
    );
    expect(events.map((e) => e.type)).toContain('PublicityExtendedToMaximum');
    expect(ledger.docs.get('penalty-1:EndPublicity')).toMatchObject({
      status: 'pending',
      dueOn: '2026-03-03',
      jurisdiction: '350203',
      startedBy: ledger.lastIdOf('PublicityExtendedToMaximum'),
    });
    expect(ledger.pending()).toEqual([
      { recordId: 'penalty-1', command: 'EndPublicity', dueOn: '2026-03-03' },
      { recordId: 'penalty-1', command: 'ExpireRecord', dueOn: '2030-03-03' },
      { recordId: 'repair-000001', command: 'ExpireRecord', dueOn: '2030-09-01' },
    ]);
    expectDueDatesAgreeWithTheDomain(ledger);
  });

  it('expires an honour on its expiry date', () => {
    const ledger = new Ledger(schoolId, schoolRegistered);
    ledger.run(honour('honour-1', '2025-02-10'), '2025-02-12', bureauOfficial);
    expect(ledger.pending()).toEqual([
      { recordId: 'honour-1', command: 'ExpireRecord', dueOn: '2030-02-10' },
    ]);
    expectDueDatesAgreeWithTheDomain(ledger);
    ledger.run(
      {
        type: 'RevokeRecord',
        data: { subjectId: schoolId, recordId: 'honour-1', reason: 'Awarded in error' },
      },
      '2025-03-01',
      bureauOfficial,
    );
    expect(ledger.docs.size).toBe(0);
  });

  it('marks a commitment due the day after its last binding day; only a breach starts an expiry clock', () => {
    const ledger = new Ledger(schoolId, schoolRegistered);
    ledger.run(commitment('commitment-000001', '2025-03-10', '2025-05-09'), '2025-03-10', bureauOfficial);
    ledger.run(commitment('commitment-000002', '2025-03-10', '2025-05-09'), '2025-03-10', bureauOfficial);
    expect(ledger.pending()).toEqual([
      { recordId: 'commitment-000001', command: 'MarkCommitmentDue', dueOn: '2025-05-10' },
      { recordId: 'commitment-000002', command: 'MarkCommitmentDue', dueOn: '2025-05-10' },
    ]);
    expect(ledger.docs.get('commitment-000001:ExpireRecord')).toMatchObject({
      status: 'waiting',
      jurisdiction: '350203',
    });
    expectDueDatesAgreeWithTheDomain(ledger);

    ledger.run(scheduled('MarkCommitmentDue', 'commitment-000001'), '2025-05-10');
    ledger.run(scheduled('MarkCommitmentDue', 'commitment-000002'), '2025-05-10');
    expect(ledger.pending()).toEqual([]);
    const outcome = (recordId: string, kept: boolean): Request => ({
      type: 'RecordCommitmentOutcome',
      data: kept
        ? { subjectId: schoolId, recordId, outcome: 'kept' }
        : {
            subjectId: schoolId,
            recordId,
            outcome: 'not_kept',
            unkeptContent: 'No certificate',
            liabilityPursued: 'Approval withdrawn',
          },
    });
    ledger.run(outcome('commitment-000001', true), '2025-05-20', bureauOfficial);
    ledger.run(outcome('commitment-000002', false), '2025-05-20', bureauOfficial);
    expect(ledger.docs.has('commitment-000001:ExpireRecord')).toBe(false);
    expect(ledger.pending()).toEqual([
      { recordId: 'commitment-000002', command: 'ExpireRecord', dueOn: '2030-05-20' },
    ]);
    expect(ledger.docs.get('commitment-000002:ExpireRecord')).toMatchObject({
      jurisdiction: '350203',
      subjectId: schoolId,
    });
    expectDueDatesAgreeWithTheDomain(ledger);
  });

  it('an outcome recorded before the commitment fell due stops the due clock', () => {
    const ledger = new Ledger(schoolId, schoolRegistered);
    ledger.run(commitment('commitment-000003', '2025-03-10', '2025-05-09'), '2025-03-10', bureauOfficial);
    ledger.run(
      {
        type: 'RecordCommitmentOutcome',
        data: { subjectId: schoolId, recordId: 'commitment-000003', outcome: 'kept' },
      },
      '2025-04-01',
      bureauOfficial,
    );
    expect(ledger.docs.size).toBe(0);
  });

  it('marks a rectification overdue the day after its deadline, unless it was completed', () => {
    const ledger = new Ledger(schoolId, schoolRegistered);
    ledger.run(notice('rect-1', '2025-04-01', '2025-04-30'), '2025-04-01', bureauOfficial);
    ledger.run(notice('rect-2', '2025-04-01', '2025-04-30'), '2025-04-01', bureauOfficial);
    expect(ledger.pending()).toEqual([
      { recordId: 'rect-1', command: 'MarkRectificationOverdue', dueOn: '2025-05-01' },
      { recordId: 'rect-2', command: 'MarkRectificationOverdue', dueOn: '2025-05-01' },
    ]);
    expectDueDatesAgreeWithTheDomain(ledger);
    ledger.run(
      {
        type: 'CompleteRectification',
        data: {
          subjectId: schoolId,
          recordId: 'rect-1',
          completedOn: '2025-04-20',
          verification: 'Refunds checked',
        },
      },
      '2025-04-21',
      bureauOfficial,
    );
    ledger.run(scheduled('MarkRectificationOverdue', 'rect-2'), '2025-05-01');
    expect(ledger.docs.size).toBe(0);
  });

  it('a revocation stops every clock of the record', () => {
    const ledger = new Ledger(schoolId, schoolRegistered);
    ledger.run(penalty('penalty-1', '2025-03-03'), '2025-03-05', bureauOfficial);
    ledger.run(notice('rect-1', '2025-04-01', '2025-04-30'), '2025-04-01', bureauOfficial);
    ledger.run(
      { type: 'RevokeRecord', data: { subjectId: schoolId, recordId: 'penalty-1', reason: 'Wrong subject' } },
      '2025-04-02',
      bureauOfficial,
    );
    expect(ledger.pending()).toEqual([
      { recordId: 'rect-1', command: 'MarkRectificationOverdue', dueOn: '2025-05-01' },
    ]);
  });

  it('ignores corrections, objections, other streams and events it has already applied', () => {
    const ledger = new Ledger(schoolId, schoolRegistered);
    ledger.run(penalty('penalty-1', '2025-03-03'), '2025-03-05', bureauOfficial);
    const before = new Map(ledger.docs);
    ledger.run(
      {
        type: 'CorrectRecord',
        data: {
          subjectId: schoolId,
          recordId: 'penalty-1',
          corrections: { facts: 'Corrected facts' },
          reason: 'Typo',
        },
      },
      '2025-03-06',
      bureauOfficial,
    );
    ledger.run(
      {
        type: 'FileObjection',
        data: {
          subjectId: schoolId,
          recordId: 'penalty-1',
          objectionId: 'objection-1',
          grounds: 'Wrong amount',
          requiresExternalVerification: false,
        },
      },
      '2025-03-07',
      bureauOfficial,
    );
    expect(ledger.docs).toEqual(before);
    const recorded = ledger.stored.find((e) => e.type === 'PenaltyRecorded')!;
    ledger.append(
      [
        {
          type: 'PublicityEnded',
          data: { subjectId: schoolId, recordId: 'penalty-1', endedOn: '2026-03-03' },
        } as SubjectEvent,
      ],
      'case-1',
    );
    expect(ledger.docs).toEqual(before);
    ledger.apply(recorded); // a replay of an applied event changes nothing
    expect(ledger.docs).toEqual(before);
  });
});
