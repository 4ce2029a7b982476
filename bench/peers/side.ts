// One side of the peer benchmark in a process of its own: it opens its store, then runs each workload the
// orchestrator (peers.bench.ts) asks for and answers with what it measured. Own processes because Emmett's
// PostgreSQL driver layer replaces `pg`'s type parsers process-wide (int8 as BigInt, its own JSON parser),
// which would change how the ledger's store parses rows; it also keeps each side's heap and JIT to itself.
import { Workloads, type WorkloadRequest } from './workloads';

export interface SideOptions {
  readonly side: 'ours' | 'emmett';
  readonly backend: 'postgres' | 'sqlite';
  readonly databaseUrl: string;
  /** PostgreSQL schema of this side (created by the orchestrator). */
  readonly schema: string;
  /** SQLite: the directory this side's database file lives in. */
  readonly dataDir: string;
  readonly emmettAsReleased: boolean;
}

export type SideMessage =
  { readonly ready: true } | { readonly result: unknown } | { readonly error: string };

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2]!) as SideOptions;
  const store =
    options.side === 'ours'
      ? await (await import('./ours')).openOurs(options)
      : await (await import('./emmett')).openEmmett(options);
  const workloads = new Workloads(store);
  const send = (message: SideMessage) => process.send!(message);
  process.on('message', (request: WorkloadRequest | 'close') => {
    if (request === 'close') {
      void store.close().finally(() => process.exit(0));
      return;
    }
    workloads.run(request).then(
      (result) => send({ result }),
      (error: unknown) =>
        send({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  });
  send({ ready: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
