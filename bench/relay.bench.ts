// Relay throughput against a bare kafkajs producer on the same broker in the same run, and the time to
// publish a backlog of N events. Usage:
//   KAFKA_BROKERS=127.0.0.1:19092 npm run bench:relay -- [--events N] [--baseline M] [--batch B] [--subjects S]
//     [--rounds R]
// Defaults: N = 1,000,000 events, baseline M = min(N, 100,000) messages, batches of 1000, 1000 subjects, 3 rounds.
// Both sides are warmed up first (a bare run, and the relay over the first M events), then alternate: each
// round a bare run, then the relay over the whole backlog from a checkpoint of its own. Each round's ratio is
// the relay against the bare run just before it, and the median round is reported. Both run in this process
// with the V8 settings of the ledger's own processes (`npm start`: a 64 MB young generation).
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { SqliteEventStore, type NewEvent } from '@ledger/event-store';
import {
  createKafka,
  DEFAULT_SOURCE,
  ensureTopics,
  KafkaRelay,
  messagesFor,
  parseBrokers,
  silentLog,
  splitByBytes,
  StreamFacts,
  topicConfigs,
  topicNames,
} from '@ledger/messaging';
import { SqliteDocumentStore } from '@ledger/projections';
import { machine, numberFlag, report } from './support';

const total = numberFlag('events', 1_000_000);
const baselineCount = numberFlag('baseline', Math.min(total, 100_000));
const batchSize = numberFlag('batch', 1000);
const subjectCount = numberFlag('subjects', 1000);
const rounds = numberFlag('rounds', 3);
const brokers = parseBrokers(process.env.KAFKA_BROKERS);

// A penalty-sized event (about 600 bytes of data), the ledger's commonest kind of record.
const penalty = (subjectId: string, i: number): NewEvent => ({
  id: randomUUID(),
  type: 'PenaltyRecorded',
  data: {
    subjectId,
    subject: { kind: 'training_institution', name: '海淀区某培训机构', jurisdiction: '110108' },
    recordId: randomUUID(),
    penalty: {
      documentNumber: `京教罚字〔2026〕${i}号`,
      offenceType: 'unlicensed off-campus training',
      facts:
        'Organised subject training for compulsory-education pupils without a licence during the holidays.',
      legalBasis: 'Private Education Promotion Law, Art. 62',
      categories: ['fine'],
      content: 'Fine and order to stop the training',
      fineAmountTenThousandYuan: 5.5,
      decisionDate: '2026-03-01',
      authority: { name: 'Haidian District Education Commission', uscc: '11110108000085419C' },
    },
    severity: 'general',
  },
  metadata: {
    occurredAt: '2026-03-01T00:00:00+08:00',
    policyVersion: '2025-01',
    schemaVersion: 1,
    correlationId: randomUUID(),
  },
});

const registration = (subjectId: string): NewEvent => ({
  id: randomUUID(),
  type: 'SubjectRegistered',
  data: {
    subjectId,
    kind: 'training_institution',
    name: '海淀区某培训机构',
    jurisdiction: '110108',
    identifier: { scheme: 'uscc', value: '91110108MA01ABCD1X' },
    registeredOn: '2026-01-05',
  },
  metadata: { occurredAt: '2026-01-05T00:00:00+08:00', schemaVersion: 1 },
});

async function fillBacklog(store: SqliteEventStore): Promise<void> {
  const subjects = Array.from({ length: subjectCount }, () => randomUUID());
  const perSubject = Math.ceil(total / subjectCount);
  const chunk = 500;
  let written = 0;
  const started = performance.now();
  for (let from = 0; from < perSubject && written < total; from += chunk) {
    for (const subjectId of subjects) {
      const count = Math.min(chunk, perSubject - from, total - written);
      if (count <= 0) break;
      const events = Array.from({ length: count }, (_, i) =>
        from + i === 0 ? registration(subjectId) : penalty(subjectId, from + i),
      );
      await store.append(`subject-${subjectId}`, events);
      written += count;
    }
    process.stderr.write(`\r[bench] backlog ${written}/${total}`);
  }
  process.stderr.write(` in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

/** The relay's own messages for the first `count` events, built before the clock starts. */
type Prebuilt = { key: string; value: string | null; headers: Record<string, string> };

async function prebuiltMessages(store: SqliteEventStore, count: number): Promise<Prebuilt[]> {
  const facts = new StreamFacts(store);
  const topics = topicNames();
  const messages: Prebuilt[] = [];
  for (let after = 0; messages.length < count;) {
    const batch = await store.readAll({ after, limit: 5000 });
    if (batch.length === 0) break;
    for (const event of batch) {
      for (const m of messagesFor(event, await facts.of(event), { topics, source: DEFAULT_SOURCE })) {
        messages.push({ key: m.key, value: m.value, headers: { ...m.headers } });
      }
    }
    after = batch[batch.length - 1]!.position;
  }
  return messages.slice(0, count);
}

/** A bare kafkajs producer sending prebuilt messages in batches, split exactly as the relay splits them. */
async function bareProducer(kafka: Kafka, topic: string, messages: readonly Prebuilt[]) {
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  const started = performance.now();
  for (let i = 0; i < messages.length; i += batchSize) {
    for (const run of splitByBytes(messages.slice(i, i + batchSize), 900_000)) {
      await producer.sendBatch({ acks: -1, topicMessages: [{ topic, messages: run }] });
    }
  }
  const seconds = (performance.now() - started) / 1000;
  await producer.disconnect();
  return { rate: messages.length / seconds, seconds };
}

async function main(): Promise<void> {
  if (brokers.length === 0)
    throw new Error('Set KAFKA_BROKERS (e.g. 127.0.0.1:19092; npm run kafka:start starts one)');
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-relay-bench-'));
  const store = await SqliteEventStore.open({ dataDir });
  const documents = await SqliteDocumentStore.open({ dataDir });
  const tag = randomBytes(4).toString('hex');
  const topics = topicNames(
    Object.fromEntries(Object.entries(topicNames()).map(([role, name]) => [role, `${name}.bench-${tag}`])),
  );
  const baselineTopic = `credit.events.v1.baseline-${tag}`;
  const kafka = createKafka({ brokers, log: silentLog });
  const admin = kafka.admin();
  try {
    await fillBacklog(store);
    await admin.connect();
    await ensureTopics(admin, [
      ...topicConfigs(topics),
      { ...topicConfigs(topics)[0]!, topic: baselineTopic },
    ]);

    // Baseline: the same messages, the same producer guarantees, the same batch size, nothing else.
    const messages = await prebuiltMessages(store, baselineCount);
    const head = await store.headPosition();
    // The relay: the backlog from a checkpoint of its own (so from 0), reading, mapping, publishing, checkpointing.
    const relayRun = async (name: string, upTo: number) => {
      const relay = new KafkaRelay(store, documents.checkpoints, {
        brokers,
        topics,
        batchSize,
        log: silentLog,
        checkpointName: `relay-${name}`,
      });
      const started = performance.now();
      await relay.start();
      const progress = setInterval(
        () => process.stderr.write(`\r[bench] relay ${name} at ${relay.position}/${upTo}`),
        1000,
      );
      await relay.waitFor(upTo, 60 * 60 * 1000);
      const seconds = (performance.now() - started) / 1000;
      clearInterval(progress);
      process.stderr.write('\n');
      const published = relay.published;
      await relay.stop();
      return { rate: published / seconds, seconds, published };
    };

    // Warm-up, not measured: a bare run, and the relay over the first M events (SQLite positions count 1, 2, …).
    await bareProducer(kafka, baselineTopic, messages);
    await relayRun('warm-up', Math.min(baselineCount, head));
    const measured: Array<{
      bare: { rate: number; seconds: number };
      relay: Awaited<ReturnType<typeof relayRun>>;
    }> = [];
    for (let round = 1; round <= rounds; round++) {
      const bare = await bareProducer(kafka, baselineTopic, messages);
      measured.push({ bare, relay: await relayRun(`round-${round}`, head) });
    }
    const ratios = measured.map(({ bare, relay }) => relay.rate / bare.rate);
    // The lower middle when the count is even: never the kinder of two.
    const middle = (values: number[]) =>
      [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
    const rate = (r: number) => `${Math.round(r).toLocaleString('en')} msg/s`;

    report(
      'Relay vs bare kafkajs producer (idempotent, acks=all, maxInFlight 1)',
      {
        'backlog events': total.toLocaleString('en'),
        'batch size': batchSize,
        'bare run messages': messages.length.toLocaleString('en'),
        ...Object.fromEntries(
          measured.map(({ bare, relay }, i) => [
            `round ${i + 1}`,
            `bare ${rate(bare.rate)}, relay ${rate(relay.rate)} (${relay.published.toLocaleString('en')} messages in ${relay.seconds.toFixed(1)} s): ${(ratios[i]! * 100).toFixed(0)} %`,
          ]),
        ),
        'relay / bare (median)': `${(middle(ratios) * 100).toFixed(0)} % (target ≥ 70 %)`,
        'backlog published in': `${middle(measured.map((m) => m.relay.seconds)).toFixed(1)} s, median round (target for 1,000,000: ≤ 120 s)`,
      },
      { ...machine(), store: 'sqlite (embedded)', broker: brokers.join(',') },
    );
  } finally {
    await admin.deleteTopics({ topics: [...Object.values(topics), baselineTopic] }).catch(() => undefined);
    await admin.disconnect();
    await store.close();
    await documents.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
