// The broker goes away for 30 s while commands keep coming: the commands still succeed (the store is the
// outbox), and once the broker is back the relay publishes the backlog with nothing lost.
// Runs its own broker on a dedicated port and data dir, so pausing it disturbs no other suite.
import { randomUUID } from 'node:crypto';
import { KafkaRelay, type CloudEvent, type MessagingLog, type TopicNames } from '@ledger/messaging';
import { createTopics, parse, TopicReader, uniqueTopics } from './support/kafka';
import { registerSchool, sqliteLedger, type TestLedger } from './support/ledger';

const { startBroker, pauseBroker, resumeBroker } = require('../../infra/kafka/broker') as {
  startBroker(options: { port: number }): Promise<{ brokers: string; stop(): Promise<void> }>;
  pauseBroker(options: { port: number }): Promise<unknown>;
  resumeBroker(options: { port: number }): Promise<unknown>;
};

jest.setTimeout(300_000);

const PORT = Number(process.env.KAFKA_OUTAGE_PORT ?? 19392);
const OUTAGE_MS = 30_000;

describe('a broker outage', () => {
  let broker: { brokers: string; stop(): Promise<void> };
  let brokers: string[];
  let ledger: TestLedger;
  let topics: TopicNames;
  let relay: KafkaRelay;
  let reader: TopicReader | undefined;
  const logged: Array<Record<string, unknown>> = [];
  const log: MessagingLog = {
    log: (m) => logged.push({ level: 'info', ...m }),
    warn: () => undefined, // kafkajs' own retry chatter
    error: (m) => logged.push({ level: 'error', ...m }),
  };

  beforeAll(async () => {
    broker = await startBroker({ port: PORT });
    brokers = [broker.brokers];
    ledger = await sqliteLedger();
    topics = uniqueTopics();
    await createTopics(brokers, topics);
  });

  afterAll(async () => {
    await reader?.stop();
    await relay?.stop();
    await ledger?.dispose();
    await broker?.stop();
  });

  it('keeps accepting commands and publishes the backlog once the broker is back', async () => {
    relay = new KafkaRelay(ledger.store, ledger.checkpoints, { brokers, topics, log, sendTimeoutMs: 5_000 });
    await relay.start();

    // Commands arrive steadily for the whole test.
    let accepted = 0;
    let keepGoing = true;
    const traffic = (async () => {
      while (keepGoing) {
        await registerSchool(ledger.commands, randomUUID());
        accepted++;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();

    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await relay.waitFor(await ledger.store.headPosition(), 30_000);
    const beforeOutage = accepted;

    await pauseBroker({ port: PORT });
    const outageStarted = Date.now();
    const publishedAtOutage = relay.position;
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    const acceptedDuringOutage = accepted - beforeOutage;
    expect(acceptedDuringOutage).toBeGreaterThan(100);
    // Nothing could be acknowledged, so nothing was checkpointed past what the broker had.
    expect((await ledger.documents.checkpoint('relay'))?.position ?? 0).toBeLessThanOrEqual(
      (await ledger.store.headPosition()) - acceptedDuringOutage,
    );

    await resumeBroker({ port: PORT });
    const backAt = Date.now();
    const outageMs = backAt - outageStarted;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    keepGoing = false;
    await traffic;

    const head = await ledger.store.headPosition();
    await relay.waitFor(head, 120_000);
    const caughtUpMs = Date.now() - backAt;

    reader = await TopicReader.start(brokers, [topics.events]);
    const stored = await ledger.store.readAll({ after: 0, limit: head + 1 });
    const ids = new Set(stored.map((e) => e.id));
    await reader.until(
      () => new Set(reader!.messages.map((m) => parse<CloudEvent>(m).id)).size >= ids.size,
      60_000,
      'the backlog',
    );

    const seen = new Set<string>();
    const nextRevision = new Map<string, number>();
    for (const message of reader.messages) {
      const event = parse<CloudEvent>(message);
      expect(ids.has(event.id)).toBe(true);
      if (seen.has(event.id)) continue;
      seen.add(event.id);
      expect(event.revision).toBe(nextRevision.get(event.subject) ?? 0);
      nextRevision.set(event.subject, event.revision + 1);
    }
    expect(seen.size).toBe(ids.size);

    // One line when publishing stopped and one when it resumed, not one per retry.
    expect(logged.filter((m) => m.msg === 'relay cannot publish; retrying from the checkpoint')).toHaveLength(
      1,
    );
    expect(logged.filter((m) => m.msg === 'relay publishing again')).toHaveLength(1);
    console.log(
      `outage ${(outageMs / 1000).toFixed(1)} s; ${accepted} commands accepted (${acceptedDuringOutage} while the broker was down); ` +
        `relay at ${publishedAtOutage} when it went down; all ${head} events published ${(caughtUpMs / 1000).toFixed(1)} s after the broker answered again`,
    );
  });
});
