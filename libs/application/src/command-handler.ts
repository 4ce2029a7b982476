// The one way a command changes the ledger: load the stream, answer a replayed idempotency key, check
// If-Match, decide, append at the revision that was read. A concurrent writer makes the append fail; the
// command is then decided again on the new state, a bounded number of times. Idempotency keys travel in
// the events' metadata, so a retried request is recognised from the stream itself, in any process, forever.
import { currentSchemaVersion, upcastEvent, type Decider } from '@ledger/domain';
import {
  WrongExpectedRevision,
  type Actor,
  type EventStore,
  type NewEvent,
  type StoredEvent,
} from '@ledger/event-store';
import { StreamStateCache, type FoldedStream, type KeyedAnswer } from './stream-state-cache';
import { uuidV7 } from './uuid-v7';

/** What a request brings besides its command: what the stored events' metadata records about it. */
export interface RequestContext {
  /** Record-side instant of the request (also the command's `now`). */
  readonly now: string;
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId?: string;
  /** Client-chosen key: a retried request with the same key gets the first answer. */
  readonly idempotencyKey?: string;
  /** Fingerprint of the request, so a key reused for a different request is refused. */
  readonly requestHash?: string;
  /** From If-Match: the stream must be exactly at this revision (-1: must not exist). */
  readonly expectedRevision?: number;
  /**
   * Version of the policy the command is decided under. A runner fills in its own when the request names
   * none; a case opened from a list entry names the policy that decided the entry.
   */
  readonly policyVersion?: string;
  /** Business time the request states (a department's decision time), for events that carry none of their own. */
  readonly occurredAt?: string;
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

type DomainEvent = { readonly type: string; readonly data: unknown };

export interface HandleCommandOptions<Command, Event extends DomainEvent, State> {
  readonly store: EventStore;
  readonly decider: Decider<Command, Event, State>;
  readonly streamId: string;
  /** The command with its decision metadata (time, actor, policy, calendar). */
  readonly command: Command;
  readonly request: RequestContext;
  /** Business time an event carries itself (a decision date); otherwise the request's, otherwise `now`. */
  readonly occurredAt?: (event: Event) => string | undefined;
  /** Folded states kept between commands; the first attempt decides on the cached state without a read. */
  readonly cache?: StreamStateCache<State>;
  readonly maxAttempts?: number;
}

export async function handleCommand<Command, Event extends DomainEvent, State>(
  options: HandleCommandOptions<Command, Event, State>,
): Promise<CommandResult> {
  const { store, decider, streamId, command, request, cache } = options;
  const maxAttempts = options.maxAttempts ?? 10;
  for (let attempt = 1; ; attempt++) {
    // 1. Load the folded stream. The first attempt takes the cached state without a read: if another
    //    process wrote meanwhile, the append's revision check fails and the next attempt reads what was
    //    appended since.
    const stream = await loadStream(store, decider, streamId, attempt === 1 ? cache : undefined, cache);

    // 2. Answer a replayed idempotency key with the answer the stream holds for it.
    const earlier = request.idempotencyKey ? stream.answers.get(request.idempotencyKey) : undefined;
    if (earlier) return replayed(streamId, request, earlier);

    // 3. Check If-Match: the stream must be at the revision the client saw.
    if (request.expectedRevision !== undefined && request.expectedRevision !== stream.revision) {
      if (attempt === 1 && cache) continue; // the cached state may be behind the client: judge on the stored stream
      throw new WrongExpectedRevision(
        streamId,
        request.expectedRevision < 0 ? 'no_stream' : request.expectedRevision,
        stream.revision < 0 ? 'no_stream' : stream.revision,
      );
    }

    // 4. Decide on the folded state. Nothing to say writes nothing.
    const decided = decider.decide(command, stream.state);
    if (decided.length === 0) {
      const { revision, position } = stream;
      return { streamId, eventIds: [], eventTypes: [], revision, position, replayed: false };
    }

    // 5. Append at the revision read. Someone wrote first: decide again on what they wrote, unless the
    //    client pinned the revision.
    try {
      return await append(options, stream, decided);
    } catch (error) {
      const decideAgain =
        error instanceof WrongExpectedRevision &&
        request.expectedRevision === undefined &&
        attempt < maxAttempts;
      if (!decideAgain) throw error;
    }
  }
}

/** Appends the decided events at the stream's revision and keeps the new state and answer in the cache. */
async function append<Command, Event extends DomainEvent, State>(
  options: HandleCommandOptions<Command, Event, State>,
  stream: FoldedStream<State>,
  decided: readonly Event[],
): Promise<CommandResult> {
  const { store, decider, streamId, request, occurredAt, cache } = options;
  const events: NewEvent[] = decided.map((event) => ({
    id: uuidV7(),
    type: event.type,
    data: event.data,
    metadata: {
      occurredAt: occurredAt?.(event) ?? request.occurredAt ?? request.now,
      actor: request.actor,
      correlationId: request.correlationId,
      causationId: request.causationId,
      policyVersion: request.policyVersion,
      schemaVersion: currentSchemaVersion(event.type),
      idempotencyKey: request.idempotencyKey,
      requestHash: request.requestHash,
    },
  }));
  const result = await store.append(streamId, events, {
    expectedRevision: stream.revision < 0 ? 'no_stream' : stream.revision,
  });
  const answer: KeyedAnswer = {
    requestHash: request.requestHash,
    eventIds: result.events.map((e) => e.id),
    eventTypes: events.map((e) => e.type),
    revision: result.nextExpectedRevision,
    position: result.position,
  };
  cache?.set(streamId, {
    revision: result.nextExpectedRevision,
    position: result.position,
    state: decided.reduce(decider.evolve, stream.state),
    answers: request.idempotencyKey
      ? new Map(stream.answers).set(request.idempotencyKey, answer)
      : stream.answers,
  });
  const { requestHash: _requestHash, ...written } = answer;
  return { streamId, ...written, replayed: false };
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
    // Folded in the current shape of each event (an older version is upcast; a newer one throws
    // UnknownEventVersion: this release cannot decide on a stream it cannot read).
    state: newer.reduce(
      (s, e) => decider.evolve(s, upcastEvent(e) as unknown as Event),
      cached?.state ?? decider.initialState(),
    ),
    answers,
  };
  cache?.set(streamId, folded);
  return folded;
}

function replayed(streamId: string, request: RequestContext, earlier: KeyedAnswer): CommandResult {
  if (earlier.requestHash !== request.requestHash) throw new IdempotencyKeyReused(request.idempotencyKey!);
  const { requestHash: _requestHash, ...answer } = earlier;
  return { streamId, ...answer, replayed: true };
}
