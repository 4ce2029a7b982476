// The one way a command changes the ledger: load the stream, fold, decide, append at the revision that
// was read. A concurrent writer makes the append fail; the command is then decided again on the new
// state, a bounded number of times. Idempotency keys travel in the events' metadata, so a retried
// request is recognised from the stream itself, in any process, forever.
import type { Decider } from '@ledger/domain';
import {
  WrongExpectedRevision,
  type Actor,
  type EventStore,
  type NewEvent,
  type StoredEvent,
} from '@ledger/event-store';
import { StreamStateCache, type FoldedStream, type KeyedAnswer } from './stream-state-cache';
import { uuidV7 } from './uuid-v7';

export interface CommandContext {
  /** Record-side instant of the request (also the command's `now`). */
  readonly now: string;
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId?: string;
  readonly policyVersion: string;
  /** Client-chosen key: a retried request with the same key gets the first answer. */
  readonly idempotencyKey?: string;
  /** Fingerprint of the request, so a key reused for a different request is refused. */
  readonly requestHash?: string;
  /** From If-Match: the stream must be exactly at this revision (-1: must not exist). */
  readonly expectedRevision?: number;
}

export interface CommandResult {
  readonly streamId: string;
  readonly eventIds: readonly string[];
  readonly eventTypes: readonly string[];
  /** Stream revision after the command (-1 when the stream is still empty). */
  readonly revision: number;
  /** Global position of the command's last event (or of the stream's last, when nothing was new). */
  readonly position: number;
  /** True when the answer is the stored one of an earlier request with the same idempotency key. */
  readonly replayed: boolean;
}

export class IdempotencyKeyReused extends Error {
  readonly code = 'IDEMPOTENCY.KEY_REUSED';
  constructor(readonly key: string) {
    super(`Idempotency-Key "${key}" was already used for a different request`);
  }
}

export interface HandleCommandOptions<Event> {
  /** Business time of an event (its decision date), when it differs from the request time. */
  readonly occurredAt?: (event: Event, now: string) => string;
  readonly maxAttempts?: number;
  readonly schemaVersion?: number;
}

type DomainEvent = { readonly type: string; readonly data: unknown };

/** A command as a caller states it: the decision metadata (time, actor, policy, calendar) is added by the runner. */
export type WithoutMetadata<Command> = Command extends unknown ? Omit<Command, 'metadata'> : never;

export async function handleCommand<Command, Event extends DomainEvent, State>(
  store: EventStore,
  decider: Decider<Command, Event, State>,
  streamId: string,
  command: Command,
  context: CommandContext,
  options: HandleCommandOptions<Event> = {},
  cache?: StreamStateCache<State>,
): Promise<CommandResult> {
  const maxAttempts = options.maxAttempts ?? 10;
  for (let attempt = 1; ; attempt++) {
    // First try on the cached state without a read: if another process wrote meanwhile, the append's
    // revision check fails and the next attempt reads what was appended since.
    const stream = await loadStream(store, decider, streamId, attempt === 1 ? cache : undefined, cache);
    const { revision, state } = stream;
    if (context.idempotencyKey) {
      const earlier = stream.answers.get(context.idempotencyKey);
      if (earlier) return replayed(streamId, context, earlier);
    }
    if (
      context.expectedRevision !== undefined &&
      context.expectedRevision !== revision &&
      attempt === 1 &&
      cache
    ) {
      continue; // the cached state may be behind what the client saw: judge on the stored stream
    }
    if (context.expectedRevision !== undefined && context.expectedRevision !== revision) {
      throw new WrongExpectedRevision(
        streamId,
        context.expectedRevision < 0 ? 'no_stream' : context.expectedRevision,
        revision < 0 ? 'no_stream' : revision,
      );
    }
    const decided = decider.decide(command, state);
    if (decided.length === 0) {
      return { streamId, eventIds: [], eventTypes: [], revision, position: stream.position, replayed: false };
    }
    const events: NewEvent[] = decided.map((event) => ({
      id: uuidV7(),
      type: event.type,
      data: event.data,
      metadata: {
        occurredAt: options.occurredAt?.(event, context.now) ?? context.now,
        actor: context.actor,
        correlationId: context.correlationId,
        causationId: context.causationId,
        policyVersion: context.policyVersion,
        schemaVersion: options.schemaVersion ?? 1,
        idempotencyKey: context.idempotencyKey,
        requestHash: context.requestHash,
      },
    }));
    try {
      const result = await store.append(streamId, events, {
        expectedRevision: revision < 0 ? 'no_stream' : revision,
      });
      const answer: KeyedAnswer = {
        requestHash: context.requestHash,
        eventIds: result.events.map((e) => e.id),
        eventTypes: events.map((e) => e.type),
        revision: result.nextExpectedRevision,
        position: result.position,
      };
      cache?.set(streamId, {
        revision: result.nextExpectedRevision,
        position: result.position,
        state: decided.reduce(decider.evolve, state),
        answers: context.idempotencyKey
          ? new Map(stream.answers).set(context.idempotencyKey, answer)
          : stream.answers,
      });
      const { requestHash: _requestHash, ...written } = answer;
      return { streamId, ...written, replayed: false };
    } catch (error) {
      // Someone wrote first: decide again on what they wrote, unless the client pinned the revision.
      if (
        error instanceof WrongExpectedRevision &&
        context.expectedRevision === undefined &&
        attempt < maxAttempts
      )
        continue;
      throw error;
    }
  }
}

/**
 * The stream folded up to its last event. A trusted cached entry is used as it is; otherwise the cached
 * entry (if any) is brought up to date with what was appended since, or the stream is folded from the start.
 */
async function loadStream<Command, Event extends DomainEvent, State>(
  store: EventStore,
  decider: Decider<Command, Event, State>,
  streamId: string,
  trusted: StreamStateCache<State> | undefined,
  cache: StreamStateCache<State> | undefined,
): Promise<FoldedStream<State>> {
  const hit = trusted?.get(streamId);
  if (hit) return hit;
  const cached = cache?.get(streamId);
  const newer = await store.readStream(streamId, { fromRevision: cached ? cached.revision + 1 : 0 });
  if (cached && newer.length === 0) return cached;
  let answers: ReadonlyMap<string, KeyedAnswer> = cached?.answers ?? new Map<string, KeyedAnswer>();
  const byKey = new Map<string, StoredEvent[]>();
  for (const event of newer) {
    const key = event.metadata.idempotencyKey;
    if (typeof key === 'string' && !answers.has(key)) byKey.set(key, [...(byKey.get(key) ?? []), event]);
  }
  if (byKey.size > 0) {
    const withNew = new Map(answers);
    for (const [key, events] of byKey) {
      const last = events[events.length - 1]!;
      withNew.set(key, {
        requestHash: events[0]!.metadata.requestHash as string | undefined,
        eventIds: events.map((e) => e.id),
        eventTypes: events.map((e) => e.type),
        revision: last.revision,
        position: last.position,
      });
    }
    answers = withNew;
  }
  const last = newer[newer.length - 1];
  const folded: FoldedStream<State> = {
    revision: last ? last.revision : (cached?.revision ?? -1),
    position: last ? last.position : (cached?.position ?? 0),
    state: newer.reduce(
      (s, e) => decider.evolve(s, e as unknown as Event),
      cached?.state ?? decider.initialState(),
    ),
    answers,
  };
  cache?.set(streamId, folded);
  return folded;
}

function replayed(streamId: string, context: CommandContext, earlier: KeyedAnswer): CommandResult {
  if (earlier.requestHash !== context.requestHash) throw new IdempotencyKeyReused(context.idempotencyKey!);
  const { requestHash: _requestHash, ...answer } = earlier;
  return { streamId, ...answer, replayed: true };
}
