// The command handler against the real embedded store, with a toy decider: a counter that refuses to pass 100.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Decider } from '@ledger/domain';
import { SqliteEventStore, WrongExpectedRevision } from '@ledger/event-store';
import { handleCommand, IdempotencyKeyReused, type RequestContext } from './command-handler';
import { StreamStateCache } from './stream-state-cache';

type Add = { type: 'Add'; by: number };
type Added = { type: 'Added'; data: { by: number } };
const counter: Decider<Add, Added, number> = {
  initialState: () => 0,
  evolve: (total, event) => total + event.data.by,
  decide: (command, total) => {
    if (total + command.by > 100) throw new Error('over 100');
    return command.by === 0 ? [] : [{ type: 'Added', data: { by: command.by } }];
  },
};

const context = (extra: Partial<RequestContext> = {}): RequestContext => ({
  now: '2026-11-21T10:00:00.000Z',
  actor: { userId: 'u', role: 'official', department: 'd', jurisdiction: '110000' },
  correlationId: 'c',
  policyVersion: 'test',
  ...extra,
});

describe('handleCommand', () => {
  let dir: string;
  let store: SqliteEventStore;
  const handle = (
    streamId: string,
    command: Add,
    request: RequestContext,
    cache?: StreamStateCache<number>,
  ) => handleCommand({ store, decider: counter, streamId, command, request, cache });
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'handler-'));
    store = await SqliteEventStore.open({ dataDir: dir });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('decides on the folded stream and appends at the revision it read', async () => {
    await handle('counter-1', { type: 'Add', by: 60 }, context());
    await expect(handle('counter-1', { type: 'Add', by: 50 }, context())).rejects.toThrow('over 100');
    const result = await handle('counter-1', { type: 'Add', by: 40 }, context());
    expect(result).toMatchObject({ revision: 1, eventTypes: ['Added'], replayed: false });
    expect((await store.readStream('counter-1')).map((e) => e.metadata.policyVersion)).toEqual([
      'test',
      'test',
    ]);
  });

  it('decides again when a concurrent command wrote first, so both land', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () => handle('counter-2', { type: 'Add', by: 1 }, context())),
    );
    expect(new Set(results.map((r) => r.revision)).size).toBe(8);
    expect(await store.readStream('counter-2')).toHaveLength(8);
  });

  it('refuses a pinned revision that is stale, without retrying', async () => {
    await handle('counter-3', { type: 'Add', by: 1 }, context());
    await expect(
      handle('counter-3', { type: 'Add', by: 1 }, context({ expectedRevision: -1 })),
    ).rejects.toBeInstanceOf(WrongExpectedRevision);
    await handle('counter-3', { type: 'Add', by: 1 }, context({ expectedRevision: 0 }));
  });

  it('answers a repeated idempotency key from the stream, also through a cache and after a restart', async () => {
    const cache = new StreamStateCache<number>();
    const keyed = context({ idempotencyKey: 'k1', requestHash: 'h1' });
    const first = await handle('counter-4', { type: 'Add', by: 5 }, keyed, cache);
    const again = await handle('counter-4', { type: 'Add', by: 5 }, keyed, cache);
    const fresh = await handle('counter-4', { type: 'Add', by: 5 }, keyed, new StreamStateCache());
    expect(again).toEqual({ ...first, replayed: true });
    expect(fresh).toEqual({ ...first, replayed: true });
    await expect(
      handle(
        'counter-4',
        { type: 'Add', by: 6 },
        context({ idempotencyKey: 'k1', requestHash: 'h2' }),
        cache,
      ),
    ).rejects.toBeInstanceOf(IdempotencyKeyReused);
    expect(await store.readStream('counter-4')).toHaveLength(1);
  });

  it('never decides on a stale cached state: another writer’s events are read first', async () => {
    const mine = new StreamStateCache<number>();
    const theirs = new StreamStateCache<number>();
    await handle('counter-5', { type: 'Add', by: 50 }, context(), mine);
    await handle('counter-5', { type: 'Add', by: 40 }, context(), theirs);
    // mine still holds 50; the stream holds 90: adding 20 must be refused.
    await expect(handle('counter-5', { type: 'Add', by: 20 }, context(), mine)).rejects.toThrow('over 100');
    expect(mine.get('counter-5')).toMatchObject({ revision: 1, state: 90 });
  });

  it('writes nothing when the decider has nothing to say', async () => {
    const result = await handle('counter-6', { type: 'Add', by: 0 }, context());
    expect(result).toMatchObject({ eventIds: [], revision: -1 });
  });
});
