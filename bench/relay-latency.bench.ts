// Command → CloudEvent latency: honours issued in-process through SubjectCommands on PostgreSQL (no HTTP
// hop; bench:http measures that), published by the real KafkaRelay (started by startMessaging, as the
// workers start it), and timed until a kafkajs consumer on the events topic receives each event.
// Open loop: commands are sent on a fixed schedule without waiting for earlier ones, and latency is
// counted from the scheduled instant, so a stalled process shows up as latency (no coordinated omission).
// Usage: flock /tmp/bench.lock npm run bench:relay-latency -- [--rate 500] [--seconds 30] [--subjects 2000]
//          [--with-read-models]
// --with-read-models: the read models follow the feed in the same process, as in the one-process deployment.
// Needs PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test; a schema of its own,
// dropped at the end) and a broker (KAFKA_BROKERS, default 127.0.0.1:19092; npm run kafka:start).
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { SubjectCommands, subjectIdFor, uuidV7, type CommandResult } from '@ledger/application';
import { defaultPolicy } from '@ledger/domain';
import { openEventStore } from '@ledger/event-store';
import { createKafka, parseBrokers, silentLog, startMessaging, topicNames } from '@ledger/messaging';
import { allProjections, PostgresDocumentStore, ProjectionRunner } from '@ledger/projections';
import { benchUscc, machine, numberFlag, report } from './support';

const rate = numberFlag('rate', 500);
const seconds = numberFlag('seconds', 30);
const subjectCount = numberFlag('subjects', 2000);
const withReadModels = process.argv.includes('--with-read-models');
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const brokers = parseBrokers(process.env.KAFKA_BROKERS ?? '127.0.0.1:19092');
const schema = `bench_relay_latency_${process.pid}`;
const ID_SECRET = 'bench-relay-latency';

const actor = { userId: 'bench', role: 'admin', department: 'bench', jurisdiction: '000000' };
const context = () => ({ now: new Date().toISOString(), actor, correlationId: uuidV7() });

const honour = (subjectId: string) =>
  ({
    type: 'RecordHonour',
    data: {
      subjectId,
      recordId: uuidV7(),
      title: '2026年度市级中小学德育工作先进集体',
      category: 'advanced_collective',
      awardingBody: { name: '厦门市教育局' },
      awardedOn: '2026-09-10',
    },
  }) as const;

const percentile = (sorted: readonly number[], p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function main() {
  const store = await openEventStore({ databaseUrl, databaseSchema: schema, dataDir: '' });
  const documents = await PostgresDocumentStore.open({ connectionString: databaseUrl, schema });
  const tag = randomBytes(4).toString('hex');
  // Topics of this run only: the broker may be shared with tests that read the real names.
  const topics = topicNames(
    Object.fromEntries(Object.entries(topicNames()).map(([role, name]) => [role, `${name}.bench-${tag}`])),
  );
  const kafka = createKafka({ brokers, log: silentLog });
  const admin = kafka.admin();
  await admin.connect();
  const commands = new SubjectCommands(store, { policyVersion: defaultPolicy.version });
  const messaging = await startMessaging({ events: store, documents, checkpoints: documents.checkpoints }, {
    brokers,
    policyVersion: defaultPolicy.version,
    topics,
    feedbackGroupId: `bench-feedback-${tag}`,
    log: silentLog,
  });
  const relay = messaging.relay!;
  const readModels = withReadModels ? new ProjectionRunner(store, documents, allProjections) : undefined;
  await readModels?.start();

  /** performance.now() at which each CloudEvent id first arrived. */
  const arrivals = new Map<string, number>();
  const consumer = kafka.consumer({ groupId: `bench-latency-${tag}` });
  try {
    const subjectIds = Array.from({ length: subjectCount }, (_, n) =>
      subjectIdFor(benchUscc(process.pid * 10_000 + n), ID_SECRET),
    );
    process.stderr.write(`[bench] registering ${subjectCount} subjects with one honour each\n`);
    for (let n = 0; n < subjectCount; n += 16) {
      await Promise.all(
        subjectIds.slice(n, n + 16).map(async (subjectId, k) => {
          const identifier = benchUscc(process.pid * 10_000 + n + k);
          const registration = {
            type: 'RegisterSubject',
            data: {
              subjectId,
              kind: 'training_institution',
              name: `培训机构${n + k}`,
              identifier,
              jurisdiction: '350213',
            },
          } as const;
          await commands.execute(registration, context());
          // The first honour puts the subject on the red list and opens a case: done before the clock starts.
          await commands.execute(honour(subjectId), context());
        }),
      );
    }
    // Cases opened by the initiator are appended too: the relay waits for the head after them.
    await messaging.initiator.waitFor(await store.headPosition(), 120_000);
    await relay.waitFor(await store.headPosition(), 120_000);

    // The relay has created the topics with its first batch by now.
    await consumer.connect();
    // From the beginning, so no event can be lost to where a new group starts reading.
    await consumer.subscribe({ topic: topics.events, fromBeginning: true });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      eachBatch: async ({ batch }) => {
        const at = performance.now();
        for (const message of batch.messages) {
          const id = (JSON.parse(message.value!.toString()) as { id: string }).id;
          if (!arrivals.has(id)) arrivals.set(id, at);
        }
      },
    });
    await joined;
    // Lets the consumer read through the setup's events before the clock starts.
    await new Promise((resolve) => setTimeout(resolve, 2000));

    process.stderr.write(`[bench] ${rate} commands/s for ${seconds} s\n`);
    const total = Math.round(rate * seconds);
    /** at: scheduled instant; done: when the command's append returned. */
    const issued: Array<{ at: number; done?: number; result?: CommandResult; failed?: unknown }> = [];
    const pending: Promise<void>[] = [];
    let schedulerLagMax = 0;
    const started = performance.now();
    await new Promise<void>((resolve) => {
      const tick = () => {
        const now = performance.now();
        // Send everything due by now, each timed from its scheduled instant, then sleep until the next one.
        while (issued.length < total && started + (issued.length * 1000) / rate <= now) {
          const command = { at: started + (issued.length * 1000) / rate } as (typeof issued)[number];
          schedulerLagMax = Math.max(schedulerLagMax, now - command.at);
          const subjectId = subjectIds[issued.length % subjectIds.length]!;
          issued.push(command);
          pending.push(
            commands.execute(honour(subjectId), context()).then(
              (result) => void ((command.result = result), (command.done = performance.now())),
              (error: unknown) => void (command.failed = error),
            ),
          );
        }
        if (issued.length >= total) return resolve();
        setTimeout(tick, Math.max(0, started + (issued.length * 1000) / rate - performance.now()));
      };
      tick();
    });
    const sendSeconds = (performance.now() - started) / 1000;
    await Promise.all(pending);
    const commandSeconds = (performance.now() - started) / 1000;

    const expected = issued.flatMap((c) => c.result?.eventIds ?? []);
    const deadline = performance.now() + 30_000;
    while (expected.some((id) => !arrivals.has(id)) && performance.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));

    const latencies: number[] = [];
    const commandLatencies: number[] = [];
    const publishLatencies: number[] = [];
    let missing = 0;
    for (const command of issued) {
      const ids = command.result?.eventIds ?? [];
      const arrived = ids.map((id) => arrivals.get(id));
      missing += arrived.filter((at) => at === undefined).length;
      if (ids.length > 0 && arrived.every((at) => at !== undefined)) {
        const last = Math.max(...(arrived as number[]));
        latencies.push(last - command.at);
        commandLatencies.push(command.done! - command.at);
        publishLatencies.push(last - command.done!);
      }
    }
    for (const list of [latencies, commandLatencies, publishLatencies]) list.sort((a, b) => a - b);
    const ms = (value: number) => `${value.toFixed(1)} ms`;
    const p99 = percentile(latencies, 99);
    report(
      'Command → CloudEvent latency (in-process SubjectCommands, PostgreSQL, KafkaRelay, kafkajs consumer)',
      {
        'commands scheduled': `${total.toLocaleString('en')} at ${rate}/s over ${subjectCount} subjects`,
        'commands/s reached': `${Math.round(total / sendSeconds)} sent, ${Math.round(total / commandSeconds)} completed`,
        'commands failed': issued.filter((c) => c.failed).length,
        'events expected': expected.length.toLocaleString('en'),
        'events missing': `${missing} (must be 0)`,
        'latency p50': ms(percentile(latencies, 50)),
        'latency p95': ms(percentile(latencies, 95)),
        'latency p99': `${ms(p99)} (target ≤ 250 ms${p99 <= 250 ? ', met' : ', NOT MET'})`,
        'latency max': ms(latencies[latencies.length - 1] ?? NaN),
        'of which command p50/p99': `${ms(percentile(commandLatencies, 50))} / ${ms(percentile(commandLatencies, 99))}`,
        'append → consumer p50/p99': `${ms(percentile(publishLatencies, 50))} / ${ms(percentile(publishLatencies, 99))}`,
        'scheduler lag max': ms(schedulerLagMax),
      },
      {
        ...machine(),
        store: 'postgres',
        broker: brokers.join(','),
        readModels: withReadModels ? 'read models in this process' : 'no read models',
      },
    );
    if (issued.some((c) => c.failed)) console.error(issued.find((c) => c.failed)!.failed);
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await messaging.stop();
    await readModels?.stop();
    await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
    await admin.disconnect();
    await documents.close();
    await store.close();
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
