// A subject entering the black list opens a joint-discipline case, readable over the API (no Kafka needed:
// cases are ledger facts; Kafka only carries them, see test/kafka).
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { caseIdFor } from '@ledger/messaging';
import { startLedger, type RunningLedger } from '../support/ledger-app';

describe('joint-discipline cases over HTTP (sqlite)', () => {
  let ledger: RunningLedger;
  beforeAll(async () => {
    ledger = await startLedger('sqlite');
  });
  afterAll(() => ledger?.stop());

  it('opens a case with the black list’s measures when a serious penalty is recorded', async () => {
    const subject = await ledger.request('POST', '/api/v1/subjects', {
      kind: 'training_institution',
      name: '厦门某培训学校',
      identifier: '91350213678251743X',
      jurisdiction: '350213',
    });
    const penalty = await ledger.request('POST', `/api/v1/subjects/${subject.body.subjectId}/penalties`, {
      documentNumber: '厦教罚〔2026〕12号',
      offenceType: '无证办学',
      facts: '未经审批开展学科类培训',
      legalBasis: '《民办教育促进法》第六十二条',
      categories: ['licence_revoked'],
      content: '吊销办学许可证',
      licenceAffected: '办学许可证 教民135021370000012号',
      decisionDate: '2026-11-02',
      authority: { name: '厦门市湖里区教育局', uscc: '11230500001755309F' },
      severity: 'serious',
    });
    expect(penalty.status).toBe(201);
    expect(penalty.body.eventTypes).toContain('ListMembershipChanged');
    const black = await ledger.request('GET', `/api/v1/lists/black?minPosition=${penalty.body.position}`);
    expect(black.body.items.map((i: { subjectId: string }) => i.subjectId)).toContain(subject.body.subjectId);

    // The case initiator follows the feed on its own checkpoint: poll until the case stream exists.
    const stream = await ledger.app
      .get<EventStore>(EVENT_STORE)
      .readStream(`subject-${subject.body.subjectId}`);
    const listEvent = stream.find(
      (e) => e.type === 'ListMembershipChanged' && (e.data as { list: string }).list === 'black',
    );
    expect(listEvent).toBeDefined();
    const caseId = caseIdFor(listEvent!.id);
    let found: { status: number; body: any } | undefined;
    for (let i = 0; i < 50; i++) {
      found = await ledger.request('GET', `/api/v1/cases/${caseId}`);
      if (found.status === 200) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(found!.status).toBe(200);
    expect(found!.body).toMatchObject({
      caseId,
      status: 'open',
      subjectId: subject.body.subjectId,
      list: 'black',
    });
    expect(found!.body.measures).toEqual(expect.arrayContaining(['no_honours_or_commendation']));
    expect(found!.body.departments.length).toBeGreaterThan(0);
    expect(
      (await ledger.request('GET', `/api/v1/cases/${'0'.repeat(8)}-0000-8000-8000-000000000000`)).status,
    ).toBe(404);
  });
});
