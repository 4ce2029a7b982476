// A relay in a process of its own, so a test can kill it with SIGKILL mid-batch: no finally blocks, no
// shutdown hooks, whatever was sent but not checkpointed stays that way.
// Usage: node -r ts-node/register/transpile-only -r tsconfig-paths/register relay-process.ts
//          <dataDir> <brokers> <topics JSON> [<freeze after position>]
// With a freeze position, the first checkpoint past it is never written: the process reports
// `acknowledged <position>` (the broker has the batch) and waits to be killed, which is the worst moment.
import { SqliteEventStore } from '@ledger/event-store';
import { KafkaRelay, silentLog } from '@ledger/messaging';
import { SqliteDocumentStore, type Checkpoints } from '@ledger/projections';

async function main(): Promise<void> {
  const [dataDir, brokers, topicsJson, freezeAfter] = process.argv.slice(2);
  const store = await SqliteEventStore.open({ dataDir: dataDir! });
  const documents = await SqliteDocumentStore.open({ dataDir: dataDir! });
  // Small batches: many checkpoints, so a kill lands between one and the next.
  const relay = new KafkaRelay(store, freezingCheckpoints(documents.checkpoints, Number(freezeAfter ?? 0)), {
    brokers: brokers!.split(','),
    topics: JSON.parse(topicsJson!),
    batchSize: 250,
    log: silentLog,
  });
  await relay.start();
  setInterval(() => process.stdout.write(`position ${relay.position}\n`), 20);
}

function freezingCheckpoints(checkpoints: Checkpoints, freezeAfter: number): Checkpoints {
  if (!freezeAfter) return checkpoints;
  return {
    get: (name) => checkpoints.get(name),
    save: async (name, position, state) => {
      if (position <= freezeAfter) return checkpoints.save(name, position, state);
      process.stdout.write(`acknowledged ${position}\n`);
      return new Promise<void>(() => undefined);
    },
  };
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
