// A retried append carries the same event ids. If they are all stored, in order, with the same content,
// the retry gets the original answer; anything else reusing an id is a conflict, never a silent accept.
import { IdempotencyConflict } from './event-store.errors';
import type { AppendResult, NewEvent, StoredEvent } from './event-store.port';
import { canonicalContent, type PreparedEvent } from './event-validation';

export function replayOrConflict(
  streamId: string,
  sent: readonly NewEvent[],
  prepared: readonly PreparedEvent[],
  stored: readonly StoredEvent[],
): AppendResult {
  const byId = new Map(stored.map((event) => [event.id, event]));
  const found = sent.map((event) => byId.get(event.id));
  sent.forEach((event, i) => {
    const original = found[i];
    if (!original) throw new IdempotencyConflict(event.id, 'only part of the batch was stored before');
    if (original.streamId !== streamId)
      throw new IdempotencyConflict(event.id, `it belongs to stream ${original.streamId}`);
    if (canonicalContent(original) !== prepared[i]!.content)
      throw new IdempotencyConflict(event.id, 'type, data or metadata differ');
    if (i > 0 && original.revision !== found[i - 1]!.revision + 1)
      throw new IdempotencyConflict(event.id, 'the batch was stored in another order');
  });
  const written = found as StoredEvent[];
  const last = written[written.length - 1]!;
  return {
    streamId,
    nextExpectedRevision: last.revision,
    position: last.position,
    events: written.map(({ id, revision, position }) => ({ id, revision, position })),
    idempotentReplay: true,
  };
}
