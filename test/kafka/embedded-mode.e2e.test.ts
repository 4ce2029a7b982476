// Embedded mode: no KAFKA_BROKERS, so nothing is published and one line says so; cases still open
// (they are ledger facts). Configuring a broker later publishes the whole backlog from the checkpoint.
import { startMessaging, type CloudEvent, type MessagingLog } from '@ledger/messaging';
import { createTopics, parse, requireKafkaBrokers, TopicReader, uniqueTopics } from './support/kafka';
import { penalise, registerSchool, sqliteLedger, type TestLedger } from './support/ledger';

jest.setTimeout(60_000);

describe('embedded mode, then Kafka turned on', () => {
  const brokers = requireKafkaBrokers();
  let ledger: TestLedger;
  let reader: TopicReader | undefined;

  beforeAll(async () => {
    ledger = await sqliteLedger();
  });

  afterAll(async () => {
    await reader?.stop();
    await ledger?.dispose();
  });

  it('publishes nothing with one clear log line, and everything once a broker is configured', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const log: MessagingLog = {
      log: (m) => lines.push(m),
      warn: (m) => lines.push(m),
      error: (m) => lines.push(m),
    };
    const stores = { events: ledger.store, documents: ledger.documents, checkpoints: ledger.checkpoints };

    const embedded = await startMessaging(stores, {
      brokers: [],
      policyVersion: '2025-01',
      log,
    });
    expect(embedded.relay).toBeUndefined();
    const school = await registerSchool(ledger.commands);
    await penalise(ledger.commands, school);
    // The case opens without Kafka: it is an event in the store.
    await embedded.initiator.waitFor(await ledger.store.headPosition(), 10_000);
    await embedded.stop();
    expect(lines).toEqual([{ msg: expect.stringMatching(/^Kafka publishing is off/) }]);
    const head = await ledger.store.headPosition();
    expect((await ledger.store.readAll({ after: 0, limit: 100 })).map((e) => e.type)).toContain('CaseOpened');

    const topics = uniqueTopics();
    await createTopics(brokers, topics);
    const withKafka = await startMessaging(stores, {
      brokers,
      topics,
      policyVersion: '2025-01',
      feedbackGroupId: `ledger-${Date.now()}`,
      log,
    });
    try {
      await withKafka.relay!.waitFor(head, 30_000);
      reader = await TopicReader.start(brokers, [topics.events]);
      await reader.until((m) => m.length >= head, 30_000, 'the backlog');
      expect(reader.messages.map((m) => parse<CloudEvent>(m).position).sort((a, b) => a - b)).toEqual(
        (await ledger.store.readAll({ after: 0, limit: 100 })).map((e) => e.position),
      );
    } finally {
      await withKafka.stop();
    }
  });
});
