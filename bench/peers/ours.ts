// This ledger's store (libs/event-store, opened as `bench:store` opens it) behind the peer benchmark's
// interface; commands go through the ledger's own command handler, without its stream-state cache, so
// every command reads its stream as Emmett's CommandHandler does.
import { randomUUID } from 'node:crypto';
import { handleCommand } from '@ledger/application';
import type { Decider } from '@ledger/domain';
import { PostgresEventStore, SqliteEventStore, type EventStore, type NewEvent } from '@ledger/event-store';
import type { SideOptions } from './side';
import {
  commandMetadata,
  evolveTally,
  honourRecorded,
  initialTally,
  type PeerEvent,
  type PeerStore,
  type Tally,
} from './workloads';

type RecordHonour = { readonly type: 'RecordHonour' };
type HonourRecorded = ReturnType<typeof honourRecorded>;

const tallyDecider: Decider<RecordHonour, HonourRecorded, Tally> = {
  decide: (_command, state) => [honourRecorded(state)],
  evolve: evolveTally,
  initialState: initialTally,
};

const withId = (event: PeerEvent): NewEvent => ({
  id: randomUUID(),
  type: event.type,
  data: event.data,
  metadata: event.metadata as unknown as NewEvent['metadata'],
});

export async function openOurs(options: SideOptions): Promise<PeerStore> {
  const store: EventStore =
    options.backend === 'postgres'
      ? await PostgresEventStore.open({
          connectionString: options.databaseUrl,
          schema: options.schema,
          poolSize: 16,
        })
      : await SqliteEventStore.open({ dataDir: options.dataDir });
  const { actor } = commandMetadata();
  return {
    async append(streamId, events, expected) {
      await store.append(streamId, events.map(withId), {
        expectedRevision: expected === undefined ? 'any' : expected === 0 ? 'no_stream' : expected - 1,
      });
    },
    async readAll(count, page) {
      let read = 0;
      for (let after = 0; read < count;) {
        const events = await store.readAll({ after, limit: Math.min(page, count - read) });
        if (events.length === 0) break;
        read += events.length;
        after = events[events.length - 1]!.position;
      }
      return read;
    },
    async command(streamId) {
      await handleCommand({
        store,
        decider: tallyDecider,
        streamId,
        command: { type: 'RecordHonour' },
        request: { now: new Date().toISOString(), actor, correlationId: randomUUID() },
      });
    },
    close: () => store.close(),
  };
}
