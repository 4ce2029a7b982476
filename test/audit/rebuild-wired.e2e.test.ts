// Rename to rebuild-wired.e2e.test.ts once read-models.module.ts wraps DOCUMENT_STORE in GenerationalDocumentStore
// (see the wiring notes): the running API then switches to a generation ledger-cli rebuild made ready.
import { auditProjections } from '@ledger/audit';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { allProjections, PostgresDocumentStore, readPointers, rebuildProjections } from '@ledger/projections';
import { startLedger, type RunningLedger } from '../support/ledger-app';
import { TEST_DATABASE_URL } from '../support/postgres';

describe('rebuild handover in the wired API (postgres)', () => {
  let ledger: RunningLedger;
  beforeAll(async () => {
    ledger = await startLedger('postgres');
  });
  afterAll(() => ledger?.stop());

  it('switches the running API to the rebuilt generation without a gap', async () => {
    const a = await ledger.request('POST', '/api/v1/subjects', {
      kind: 'private_school',
      name: '甲',
      identifier: '91350200776049653A',
      jurisdiction: '350203',
    });
    expect(a.status).toBe(201);
    const store = ledger.app.get<EventStore>(EVENT_STORE);
    const documents = await PostgresDocumentStore.open({
      connectionString: TEST_DATABASE_URL,
      schema: ledger.config.databaseSchema,
    });
    const projections = [...allProjections, ...auditProjections];
    await rebuildProjections(store, documents, projections);
    const b = await ledger.request('POST', '/api/v1/subjects', {
      kind: 'private_school',
      name: '乙',
      identifier: '91350213678251743X',
      jurisdiction: '350203',
    });
    const deadline = Date.now() + 10_000;
    while (
      Date.now() < deadline &&
      [
        ...(
          await readPointers(
            documents,
            projections.map((p) => p.name),
          )
        ).values(),
      ].some((p) => p.live !== 1)
    )
      await new Promise((r) => setTimeout(r, 100));
    expect(
      [
        ...(
          await readPointers(
            documents,
            projections.map((p) => p.name),
          )
        ).values(),
      ].map((p) => p.live),
    ).toEqual(projections.map(() => 1));
    for (const subject of [a.body, b.body]) {
      const status = await ledger.request(
        'GET',
        `/api/v1/subjects/${subject.subjectId}?minPosition=${b.body.position}`,
      );
      expect(status.status).toBe(200);
    }
    expect(await documents.get('subject_credit_status__g1', b.body.subjectId)).toBeDefined();
    await documents.close();
  });
});
