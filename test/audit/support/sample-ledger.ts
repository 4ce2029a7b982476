// Realistic ledgers for the audit suites and the benchmark: subjects registered and given penalties and
// honours through the real command handler, so streams hold the events (and list changes) decide makes.
import { SubjectCommands, subjectIdFor, uuidV7, type SubjectCommandRequest } from '@ledger/application';
import { defaultPolicy, type SubjectKind } from '@ledger/domain';
import type { Actor, EventStore } from '@ledger/event-store';

export const ID_SECRET = 'audit-test-secret';

export const xiamenOfficial: Actor = {
  userId: 'u-xiamen',
  role: 'official',
  department: 'xiamen-education-bureau',
  jurisdiction: '350200',
};

const bureau = { name: '厦门市教育局', uscc: '11350200MB0123456A' };

export interface SampleSubject {
  readonly subjectId: string;
  readonly identifier: string;
  readonly kind: SubjectKind;
  readonly name: string;
}

export const schools: readonly SampleSubject[] = [
  { identifier: '91350213678251743X', kind: 'training_institution', name: '厦门某培训学校' },
  { identifier: '91350200776049653A', kind: 'private_school', name: '厦门阳光实验学校' },
].map((s) => ({ ...s, subjectId: subjectIdFor(s.identifier, ID_SECRET) }) as SampleSubject);

export const teachers: readonly SampleSubject[] = [
  { identifier: '350203198506151233', kind: 'teacher', name: '王老师' },
].map((s) => ({ ...s, subjectId: subjectIdFor(s.identifier, ID_SECRET) }) as SampleSubject);

export class SampleLedger {
  readonly commands: SubjectCommands;

  constructor(
    readonly store: EventStore,
    private readonly actor: Actor = xiamenOfficial,
  ) {
    this.commands = new SubjectCommands(store, { policyVersion: defaultPolicy.version });
  }

  run(request: SubjectCommandRequest, now = new Date().toISOString()) {
    return this.commands.execute(request, { now, actor: this.actor, correlationId: uuidV7() });
  }

  register(subject: SampleSubject, now?: string) {
    return this.run(
      {
        type: 'RegisterSubject',
        data: {
          subjectId: subject.subjectId,
          kind: subject.kind,
          name: subject.name,
          identifier: subject.identifier,
          jurisdiction: '350203',
        },
      },
      now,
    );
  }

  penalty(
    subjectId: string,
    recordId: string,
    decisionDate: string,
    now?: string,
    severity: 'minor' | 'general' | 'serious' = 'general',
  ) {
    return this.run(
      {
        type: 'RecordPenalty',
        data: {
          subjectId,
          recordId,
          documentNumber: `厦教罚〔2025〕${recordId}号`,
          offenceType: 'Operating beyond the approved scope',
          facts: 'Ran discipline tutoring for primary pupils without approval',
          legalBasis: 'Private Education Promotion Law Art. 62',
          categories: ['fine'],
          misconduct: 'administrative_violation',
          content: 'Fine of 20,000 yuan',
          fineAmountTenThousandYuan: 2,
          decisionDate,
          authority: bureau,
          severity,
        },
      },
      now,
    );
  }

  honour(subjectId: string, recordId: string, awardedOn: string, now?: string) {
    return this.run(
      {
        type: 'RecordHonour',
        data: {
          subjectId,
          recordId,
          title: '厦门市文明校园',
          category: 'advanced_collective',
          awardingBody: bureau,
          awardedOn,
        },
      },
      now,
    );
  }

  revoke(subjectId: string, recordId: string, now?: string) {
    return this.run(
      { type: 'RevokeRecord', data: { subjectId, recordId, reason: 'Decision annulled on review' } },
      now,
    );
  }

  /** A few subjects with penalties, honours and revocations interleaved, plus plain events on other streams. */
  async seed(rounds = 3): Promise<void> {
    for (const subject of [...schools, ...teachers]) await this.register(subject);
    for (let round = 0; round < rounds; round++) {
      const [a, b] = schools;
      await this.penalty(a!.subjectId, `p-${round}`, '2025-03-03');
      await this.honour(b!.subjectId, `h-${round}`, '2025-02-10');
      await this.penalty(teachers[0]!.subjectId, `t-${round}`, '2025-03-03');
      await this.store.append(`case-${round}`, [
        {
          id: uuidV7(),
          type: 'CaseNoted',
          data: { round, note: `第${round}轮` },
          metadata: { occurredAt: new Date().toISOString(), schemaVersion: 1 },
        },
      ]);
      await this.revoke(a!.subjectId, `p-${round}`);
    }
  }
}
