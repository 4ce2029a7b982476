// A relay in a process of its own, so a test can kill it with SIGKILL mid-batch: no finally blocks, no
// shutdown hooks, whatever was sent but not checkpointed stays that way.
// Usage: node -r ts-node/register/transpile-only -r tsconfig-paths/register relay-process.ts
//          <dataDir> <brokers> <topics JSON> [<freeze after position>]
// With a freeze position, the first checkpoint past it is never written: the process reports
// `acknowledged <position>` (the broker has the batch) and waits to be killed, which is the worst moment.
import { SqliteEventStore } from '@ledger/event-store';
import { KafkaRelay, silentLog } from '@ledger/messaging';
import { SqliteDocumentStore, type DocumentStore } from '@ledger/projections';

async function main(): Promise<void> {
  const [dataDir, brokers, topicsJson, freezeAfter] = process.argv.slice(2);
  const store = await SqliteEventStore.open({ dataDir: dataDir! });
  const documents = freezingCheckpoints(
    await SqliteDocumentStore.open({ dataDir: dataDir! }),
    Number(freezeAfter ?? 0),
  );
  // Small batches: many checkpoints, so a kill lands between one and the next.
  const relay = new KafkaRelay(store, documents, {
    brokers: brokers!.split(','),
    topics: JSON.parse(topicsJson!),
    batchSize: 250,
    log: silentLog,
  });
  await relay.start();
  setInterval(() => process.stdout.write(`position ${relay.position}\n`), 20);
}

function freezingCheckpoints(documents: DocumentStore, freezeAfter: number): DocumentStore {
  if (!freezeAfter) return documents;
  return Object.assign(Object.create(documents) as DocumentStore, {
    commit: async (...args: Parameters<DocumentStore['commit']>) => {
      if (args[3] <= freezeAfter) return documents.commit(...args);
      process.stdout.write(`acknowledged ${args[3]}\n`);
      return new Promise<void>(() => undefined);
    },
  });
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
