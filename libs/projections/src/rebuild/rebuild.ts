// Rebuilds read models from zero beside the live ones: one pass over the events up to the head feeds every
// read model being rebuilt into a new generation; then the generation is handed to the live runner
// (which catches it up and switches) or, with nothing running, switched to at once.
//
// Where the store offers it (PostgreSQL, SQLite) and every read model can be, the pass reads stream by stream
// (stream-pass.ts): a single-stream read model's documents are final when their stream ends and are written
// while the rest is read; a read model gathering many streams' events (per department and month) folds each
// stream apart and merges. Otherwise the pass follows the feed in order (feed-pass.ts).
import { offersRebuildReads, type EventStore } from '@ledger/event-store';
import type { DocumentStore, Projection } from '../projection';
import { FeedPass } from './feed-pass';
import { claimGenerations, dropUnread, markReady, switchTo, type NewGeneration } from './new-generations';
import { foldStreams } from './stream-pass';

export interface RebuildProgress {
  /** In feed order, the position reached; stream by stream, the events folded so far (at most the head). */
  readonly position: number;
  readonly head: number;
  readonly events: number;
  readonly elapsedMs: number;
  readonly eventsPerSecond: number;
}

export interface RebuildOptions {
  /** Events per read. Default: `STREAM_PAGE` stream by stream, `FEED_BATCH` in feed order. */
  readonly batchSize?: number;
  /**
   * `handover` (default): mark the new generations ready; the process running the projections switches
   * to them once its runner has reached the rebuilt position. `now`: catch up to the end of the feed and
   * switch here (only when no projection runner is running).
   */
  readonly switchMode?: 'handover' | 'now';
  /** Documents per read model kept in memory while rebuilding in feed order. Default `CACHE_SIZE`. */
  readonly cacheSize?: number;
  readonly onProgress?: (progress: RebuildProgress) => void;
}

export interface RebuildReport {
  readonly projections: ReadonlyArray<{
    readonly name: string;
    readonly generation: number;
    readonly replaced: number;
    readonly documentsWritten: number;
  }>;
  readonly events: number;
  readonly upToPosition: number;
  readonly durationMs: number;
  /** Of which the pass over the feed up to the head at the start; the rest is writing and switching. */
  readonly passMs: number;
  readonly eventsPerSecond: number;
  readonly switched: boolean;
}

/**
 * Events per read stream by stream. Each event is folded as it arrives, so a page holds no memory; the next
 * one is asked for once it has ended (its last event is where the next starts), a round trip each.
 */
export const STREAM_PAGE = 20_000;
/**
 * Events per read in feed order: small batches, since a large batch outlives V8's young generation and
 * promoting it costs more garbage collection than the extra round trips (hidden by reading ahead) cost.
 */
const FEED_BATCH = 1000;
/**
 * Documents per read model in memory in feed order: large enough for the live documents of the benchmark's
 * ledger, since churning documents out and back in costs more than the memory (most documents are small).
 */
const CACHE_SIZE = 200_000;

/** `documents` is the plain store (physical names); the live read path uses GenerationalDocumentStore. */
export async function rebuildProjections(
  events: EventStore,
  documents: DocumentStore,
  projections: readonly Projection<unknown>[],
  options: RebuildOptions = {},
): Promise<RebuildReport> {
  const clock = new RebuildClock(options.onProgress);
  const { generations, unread } = await claimGenerations(documents, projections);
  const head = await events.headPosition();
  const dropped = dropUnread(documents, unread);
  let feed: FeedPass;
  try {
    feed = await passUpTo(head, events, documents, generations, options, clock);
  } catch (error) {
    await dropped.catch(() => undefined); // nothing of this rebuild still runs when it throws
    throw error;
  }
  const passMs = clock.elapsedMs();
  await dropped; // a failed drop fails the rebuild; the pointers still list what is left to drop
  const switched = options.switchMode === 'now';
  if (switched) await catchUpAndSwitch(feed, documents, generations, head, clock);
  else await handOver(feed, documents, generations);
  clock.report(feed.position, switched ? Math.max(head, feed.position) : head, feed.eventCount);
  return reportOf(generations, feed, clock.elapsedMs(), passMs, switched);
}

/**
 * The pass over the events up to `head`: stream by stream when the store offers it and every read model can
 * be, else in feed order. Returns the feed-order pass that continues from where it ended.
 */
async function passUpTo(
  head: number,
  events: EventStore,
  documents: DocumentStore,
  generations: readonly NewGeneration[],
  options: RebuildOptions,
  clock: RebuildClock,
): Promise<FeedPass> {
  const feedOptions = {
    batchSize: options.batchSize ?? FEED_BATCH,
    cacheSize: options.cacheSize ?? CACHE_SIZE,
  };
  if (offersRebuildReads(events) && generations.every(({ projection }) => foldsByStream(projection))) {
    let folded = 0;
    await foldStreams(events, documents, generations, {
      until: head,
      pageSize: options.batchSize ?? STREAM_PAGE,
      onProgress: (count) => clock.report(Math.min(count, head), head, (folded = count)),
    });
    const from = { position: head, events: folded };
    return new FeedPass(events, documents, generations, { ...feedOptions, from });
  }
  const feed = new FeedPass(events, documents, generations, feedOptions);
  await feed.follow(head, () => clock.report(feed.position, head, feed.eventCount));
  return feed;
}

const foldsByStream = (projection: Projection<unknown>): boolean =>
  projection.tuning?.perStream === true || projection.tuning?.merge !== undefined;

/** Writes what is left and marks the generations ready; the process running the projections switches. */
async function handOver(
  feed: FeedPass,
  documents: DocumentStore,
  generations: readonly NewGeneration[],
): Promise<void> {
  await feed.flush();
  await markReady(documents, generations, feed.position);
}

/** With nothing else writing these read models: follows the feed to its end, writes, and switches. */
async function catchUpAndSwitch(
  feed: FeedPass,
  documents: DocumentStore,
  generations: readonly NewGeneration[],
  head: number,
  clock: RebuildClock,
): Promise<void> {
  const progress = () => clock.report(feed.position, head, feed.eventCount);
  await feed.follow(undefined, progress);
  await feed.flush();
  await feed.follow(undefined, progress); // what arrived while flushing
  await feed.flush();
  await switchTo(documents, generations, feed.position);
}

function reportOf(
  generations: readonly NewGeneration[],
  feed: FeedPass,
  durationMs: number,
  passMs: number,
  switched: boolean,
): RebuildReport {
  const events = feed.eventCount;
  return {
    projections: generations.map((built) => ({
      name: built.projection.name,
      generation: built.generation,
      replaced: built.pointer.live,
      documentsWritten: built.written.size,
    })),
    events,
    upToPosition: feed.position,
    durationMs: Math.round(durationMs),
    passMs: Math.round(passMs),
    eventsPerSecond: durationMs > 0 ? Math.round((events / durationMs) * 1000) : events,
    switched,
  };
}

/** Time since the rebuild started, and its progress reports. */
class RebuildClock {
  private readonly started = performance.now();

  constructor(private readonly onProgress: RebuildOptions['onProgress']) {}

  elapsedMs(): number {
    return performance.now() - this.started;
  }

  report(position: number, head: number, events: number): void {
    if (!this.onProgress) return;
    const elapsedMs = this.elapsedMs();
    this.onProgress({
      position,
      head,
      events,
      elapsedMs,
      eventsPerSecond: elapsedMs > 0 ? Math.round((events / elapsedMs) * 1000) : 0,
    });
  }
}
