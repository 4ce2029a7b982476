// Input checks shared by every adapter, run before anything touches storage.
import { canonicalJson, NotCanonicalJson } from './canonical-json';
import { InvalidEvent } from './event-store.errors';
import type { ExpectedRevision, NewEvent } from './event-store.port';

export const DEFAULT_MAX_EVENT_BYTES = 256 * 1024;
export const MAX_EVENTS_PER_APPEND = 10_000;

const STREAM_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;
const EVENT_TYPE = /^[A-Za-z][A-Za-z0-9_.]{0,99}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

export function validateStreamId(streamId: unknown): asserts streamId is string {
  if (typeof streamId !== 'string' || !STREAM_ID.test(streamId)) {
    throw new InvalidEvent(
      'streamId',
      'must be 1-200 characters of letters, digits, . _ : - (not starting with a symbol)',
    );
  }
}

export function validateExpectedRevision(expected: unknown): asserts expected is ExpectedRevision {
  if (expected === 'any' || expected === 'no_stream') return;
  if (typeof expected === 'number' && Number.isSafeInteger(expected) && expected >= 0) return;
  throw new InvalidEvent('expectedRevision', "must be 'any', 'no_stream' or a revision >= 0");
}

/**
 * An event's data and metadata in canonical form, computed once per append: they are hashed, stored and,
 * for a retry, compared, without serialising the event again.
 */
export interface PreparedEvent {
  readonly data: string;
  readonly metadata: string;
  /** Canonical {type, data, metadata}: what a retry with the same id must repeat exactly. */
  readonly content: string;
}

/** Validates a batch and prepares each event's canonical form. */
export function validateNewEvents(
  events: readonly NewEvent[],
  maxEventBytes = DEFAULT_MAX_EVENT_BYTES,
): PreparedEvent[] {
  if (!Array.isArray(events) || events.length === 0)
    throw new InvalidEvent('events', 'must be a non-empty array');
  if (events.length > MAX_EVENTS_PER_APPEND) {
    throw new InvalidEvent('events', `must hold at most ${MAX_EVENTS_PER_APPEND} events per append`);
  }
  const seen = new Set<string>();
  return events.map((event, i) => {
    const at = `events[${i}]`;
    if (typeof event?.id !== 'string' || !UUID.test(event.id))
      throw new InvalidEvent(`${at}.id`, 'must be a lower-case UUID');
    if (seen.has(event.id)) throw new InvalidEvent(`${at}.id`, 'appears twice in one append');
    seen.add(event.id);
    if (typeof event.type !== 'string' || !EVENT_TYPE.test(event.type)) {
      throw new InvalidEvent(`${at}.type`, 'must be a name of letters, digits, _ and . (1-100 characters)');
    }
    const metadata = event.metadata;
    if (typeof metadata !== 'object' || metadata === null)
      throw new InvalidEvent(`${at}.metadata`, 'is required');
    if (
      typeof metadata.occurredAt !== 'string' ||
      !ISO_INSTANT.test(metadata.occurredAt) ||
      Number.isNaN(Date.parse(metadata.occurredAt))
    ) {
      throw new InvalidEvent(`${at}.metadata.occurredAt`, 'must be an ISO 8601 instant');
    }
    if (!Number.isInteger(metadata.schemaVersion))
      throw new InvalidEvent(`${at}.metadata.schemaVersion`, 'must be an integer');
    if (event.data === undefined) throw new InvalidEvent(`${at}.data`, 'is required (use null for none)');
    const prepared = {
      data: canonicalOrInvalid(event.data, `${at}.data`),
      metadata: canonicalOrInvalid(event.metadata, `${at}.metadata`),
    };
    if (
      Buffer.byteLength(prepared.data, 'utf8') + Buffer.byteLength(prepared.metadata, 'utf8') >
      maxEventBytes
    ) {
      throw new InvalidEvent(at, `is larger than ${maxEventBytes} bytes`);
    }
    return { ...prepared, content: composeContent(event.type, prepared.data, prepared.metadata) };
  });
}

function canonicalOrInvalid(value: unknown, at: string): string {
  try {
    return canonicalJson(value);
  } catch (error) {
    if (error instanceof NotCanonicalJson)
      throw new InvalidEvent(error.path ? `${at}.${error.path}` : at, error.reason);
    throw error;
  }
}

/** canonicalJson({type, data, metadata}) from parts already canonical (keys in RFC 8785 order). */
function composeContent(type: string, data: string, metadata: string): string {
  return `{"data":${data},"metadata":${metadata},"type":${JSON.stringify(type)}}`;
}

/** The part of an event a retry must repeat exactly. */
export function canonicalContent(event: Pick<NewEvent, 'type' | 'data' | 'metadata'>): string {
  return canonicalJson({ type: event.type, data: event.data, metadata: event.metadata });
}
