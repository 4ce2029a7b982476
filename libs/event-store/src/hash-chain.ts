// The per-stream hash chain: each event's hash covers its canonical content and its predecessor's hash,
// so altering, removing or reordering any stored event breaks every hash after it.
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import type { StoredEvent } from './event-store.port';

export type HashedFields = Pick<
  StoredEvent,
  'id' | 'streamId' | 'revision' | 'type' | 'data' | 'metadata' | 'recordedAt' | 'prevHash'
>;

export function hashEvent(event: HashedFields): string {
  const { id, streamId, revision, type, data, metadata, recordedAt, prevHash } = event;
  const canonical = canonicalJson({ id, streamId, revision, type, data, metadata, recordedAt, prevHash });
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/**
 * The same hash as hashEvent, for an event whose data and metadata are already canonical: the hashed text
 * is composed with the keys in RFC 8785 order instead of serialising the event again (the append path).
 */
export function hashPrepared(
  event: Omit<HashedFields, 'data' | 'metadata'>,
  prepared: { readonly data: string; readonly metadata: string },
): string {
  const { id, streamId, revision, type, recordedAt, prevHash } = event;
  const canonical =
    `{"data":${prepared.data},"id":${JSON.stringify(id)},"metadata":${prepared.metadata},` +
    `"prevHash":${prevHash === null ? 'null' : JSON.stringify(prevHash)},"recordedAt":${JSON.stringify(recordedAt)},` +
    `"revision":${revision},"streamId":${JSON.stringify(streamId)},"type":${JSON.stringify(type)}}`;
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

export type ChainBreak = {
  readonly streamId: string;
  readonly revision: number;
  readonly position: number;
  readonly reason: 'hash_mismatch' | 'prev_hash_mismatch' | 'revision_gap';
};

/** Checks one stream's events (in revision order, from revision 0). Returns the first break, if any. */
export function verifyStreamChain(events: readonly StoredEvent[]): ChainBreak | undefined {
  let previous: StoredEvent | undefined;
  for (const event of events) {
    const at = { streamId: event.streamId, revision: event.revision, position: event.position };
    if (event.revision !== (previous ? previous.revision + 1 : 0)) return { ...at, reason: 'revision_gap' };
    if (event.prevHash !== (previous?.hash ?? null)) return { ...at, reason: 'prev_hash_mismatch' };
    if (hashEvent(event) !== event.hash) return { ...at, reason: 'hash_mismatch' };
    previous = event;
  }
  return undefined;
}
