// Digests leave the ledger: the API publishes each stored digest to credit.digests.v1 (at-least-once,
// after the broker's acknowledgement), where outside parties keep copies that later verify the ledger.
import { verifyDigestSignature, verifyLedger, type LedgerDigest } from '@ledger/audit';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { createTopics, parse, requireKafkaBrokers, TopicReader, uniqueTopics } from '../kafka/support/kafka';
import { startAuditLedger, type AuditLedger } from './support/audit-ledger';

describe('digests on Kafka (postgres)', () => {
  const brokers = requireKafkaBrokers();
  const topics = uniqueTopics();
  let ledger: AuditLedger;
  let reader: TopicReader;
  const saved = process.env.KAFKA_BROKERS;

  beforeAll(async () => {
    await createTopics(brokers, topics);
    reader = await TopicReader.start(brokers, [topics.digests]);
    ledger = await startAuditLedger(
      'postgres',
      { digestEveryEvents: 2, digestEverySeconds: 0.2, digestTopic: topics.digests },
      { kafkaBrokers: brokers.join(',') },
    );
  });
  afterAll(async () => {
    await ledger?.stop();
    await reader?.stop();
    process.env.KAFKA_BROKERS = saved;
  });

  it('publishes every stored digest, keyed by its range, and the published copies verify the ledger', async () => {
    for (const [identifier, name] of [
      ['91350213678251743X', '厦门某培训学校'],
      ['91350200776049653A', '厦门阳光实验学校'],
    ]) {
      const created = await ledger.request('POST', '/api/v1/subjects', {
        body: { kind: 'training_institution', name, identifier, jurisdiction: '350213' },
      });
      expect(created.status).toBe(201);
    }
    const store = ledger.app.get<EventStore>(EVENT_STORE);
    const head = await store.headPosition();
    await reader.until(
      (messages) => messages.some((m) => parse<{ toPosition: number }>(m).toPosition >= head),
      30_000,
      'a digest of the head',
    );
    const stored: LedgerDigest[] = (await ledger.request('GET', '/api/v1/audit/digests')).body;
    const published = reader
      .on(topics.digests)
      .map((m) => ({
        key: m.key,
        digest: parse<LedgerDigest & { fromPosition: number; toPosition: number }>(m),
      }));
    for (const digest of stored) {
      expect(published).toContainEqual({
        key: `1-${digest.upToPosition}`,
        digest: { fromPosition: 1, toPosition: digest.upToPosition, ...digest },
      });
    }
    const report = await verifyLedger(
      store,
      published.map((p) => p.digest),
    );
    expect(report).toMatchObject({ ok: true, digestsChecked: published.length });
    // Each copy on the topic carries its Ed25519 signature, which checks under the served key set.
    const keys = (await ledger.request('GET', '/.well-known/ledger-keys.json', { as: '' })).body;
    for (const { digest } of published) expect(verifyDigestSignature(digest, keys.keys)).toEqual({ valid: true });
  });
});
