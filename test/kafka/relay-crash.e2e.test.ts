// Kill the relay hard in the middle of a large backlog and start it again: every event reaches the topic,
// each subject's events in order, and an event published twice is the same message with the same id.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { NewEvent } from '@ledger/event-store';
import type { CloudEvent, TopicNames } from '@ledger/messaging';
import {
  createTopics,
  eventually,
  parse,
  requireKafkaBrokers,
  TopicReader,
  uniqueTopics,
} from './support/kafka';
import { sqliteLedger, type TestLedger } from './support/ledger';

jest.setTimeout(180_000);

const SUBJECTS = 40;
const EVENTS_PER_SUBJECT = 500;

class RelayProcess {
  position = 0;
  /** Position of a batch the broker acknowledged but whose checkpoint was never written. */
  acknowledgedNotCommitted = 0;
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;

  constructor(dataDir: string, brokers: string[], topics: TopicNames, freezeAfter = 0) {
    const root = join(__dirname, '..', '..');
    this.child = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-r',
        'tsconfig-paths/register',
        join(__dirname, 'support', 'relay-process.ts'),
        dataDir,
        brokers.join(','),
        JSON.stringify(topics),
        String(freezeAfter),
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    this.child.stdout!.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().trim().split('\n')) {
        const [what, value] = line.split(' ');
        if (what === 'position') this.position = Number(value);
        if (what === 'acknowledged') this.acknowledgedNotCommitted = Number(value);
      }
    });
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }
}

describe('the relay killed mid-stream', () => {
  const brokers = requireKafkaBrokers();
  let ledger: TestLedger;
  let dataDir: string;
  let topics: TopicNames;
  let reader: TopicReader;
  let relay: RelayProcess | undefined;

  beforeAll(async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-relay-crash-'));
    ledger = await sqliteLedger(dataDir);
    topics = uniqueTopics();
    await createTopics(brokers, topics);
  });

  afterAll(async () => {
    await relay?.kill();
    await reader?.stop();
    await ledger?.dispose();
  });

  it('publishes everything after a SIGKILL and a restart, in order per subject, duplicates only with the same id', async () => {
    const subjects = Array.from({ length: SUBJECTS }, () => randomUUID());
    for (let batch = 0; batch < EVENTS_PER_SUBJECT / 100; batch++) {
      for (const subjectId of subjects) {
        const events: NewEvent[] = Array.from({ length: 100 }, (_, i) => ({
          id: randomUUID(),
          type: 'SomethingRecorded',
          data: { subjectId, n: batch * 100 + i },
          metadata: { occurredAt: new Date().toISOString(), schemaVersion: 1 },
        }));
        await ledger.store.append(`subject-${subjectId}`, events);
      }
    }
    const head = await ledger.store.headPosition();
    expect(head).toBe(SUBJECTS * EVENTS_PER_SUBJECT);

    // Killed at the worst moment: a batch is on the broker, its checkpoint is not written.
    relay = new RelayProcess(dataDir, brokers, topics, head / 4);
    await eventually(
      () => relay!.acknowledgedNotCommitted > 0,
      60_000,
      'a batch acknowledged past a quarter',
    );
    await relay.kill();
    const checkpointAtKill = (await ledger.documents.checkpoint('relay'))?.position ?? 0;
    const acknowledgedAtKill = relay.acknowledgedNotCommitted;
    expect(checkpointAtKill).toBeLessThan(acknowledgedAtKill);

    relay = new RelayProcess(dataDir, brokers, topics);
    await eventually(() => relay!.position === head, 90_000, 'the restarted relay to reach the head');
    await relay.kill();
    relay = undefined;

    reader = await TopicReader.start(brokers, [topics.events]);
    const ids = new Set((await ledger.store.readAll({ after: 0, limit: head })).map((e) => e.id));
    await reader.until(
      () => new Set(reader.messages.map((m) => parse<CloudEvent>(m).id)).size >= ids.size,
      60_000,
      'every event',
    );

    const firstSeen = new Map<string, string>();
    const nextRevision = new Map<string, number>();
    let duplicates = 0;
    // Within a partition the reader sees offset order; each subject lives in one partition.
    for (const message of reader.messages) {
      const event = parse<CloudEvent>(message);
      expect(ids.has(event.id)).toBe(true);
      expect(message.key).toBe(event.subject);
      const earlier = firstSeen.get(event.id);
      if (earlier !== undefined) {
        duplicates++;
        expect(message.value).toBe(earlier);
        continue;
      }
      firstSeen.set(event.id, message.value!);
      expect(event.revision).toBe(nextRevision.get(event.subject) ?? 0);
      nextRevision.set(event.subject, event.revision + 1);
    }
    expect(firstSeen.size).toBe(ids.size);
    expect([...nextRevision.values()]).toEqual(subjects.map(() => EVENTS_PER_SUBJECT));
    // The batch between the checkpoint and the kill was published again: same ids, same bytes.
    expect(duplicates).toBeGreaterThanOrEqual(acknowledgedAtKill - checkpointAtKill);
    console.log(
      `relay killed with positions ${checkpointAtKill + 1}..${acknowledgedAtKill} acknowledged but not checkpointed; ` +
        `${duplicates} duplicate messages after the restart`,
    );
  });
});
