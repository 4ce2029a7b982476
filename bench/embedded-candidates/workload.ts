// Event generation and the hash chain for the embedded-store benchmark. Events are generated on the fly
// (never held all at once), so the RSS measured is the store's, not the benchmark's data set.
import { createHash, randomBytes } from 'node:crypto';

// Self-contained on purpose (the event-store library is being written concurrently): the same work as the
// store's per-stream hash chain, SHA-256 over a key-sorted JSON form of the event and its predecessor's hash.
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const record = value as Record<string, unknown>;
  return `{${Object.keys(record)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonical(record[key])}`)
    .join(',')}}`;
}

function hashEvent(fields: Record<string, unknown>): string {
  return createHash('sha256').update(canonical(fields), 'utf8').digest('hex');
}

export const STREAMS = 1_000;
export const SINGLE_APPENDS = 10_000;
export const BATCH_SIZE = 100;
export const TOTAL_EVENTS = 100_000;
export const PAGE_SIZE = 1_000;

/** One row as both adapters write it. `data` and `metadata` are JSON text. */
export interface EventRow {
  readonly streamId: string;
  readonly revision: number;
  readonly id: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
  readonly recordedAt: string;
  readonly prevHash: string | null;
  readonly hash: string;
}

/** The head of a stream as an append reads it. */
export interface StreamHead {
  readonly revision: number;
  readonly hash: string;
}

export function streamId(n: number): string {
  return `learner-${String(n % STREAMS).padStart(6, '0')}`;
}

/** UUID v7 (48-bit ms timestamp, then random), as the event store port asks writers to use. */
export function uuidv7(): string {
  const bytes = randomBytes(16);
  const ms = Date.now();
  bytes[0] = Math.floor(ms / 2 ** 40) & 0xff;
  bytes[1] = Math.floor(ms / 2 ** 32) & 0xff;
  bytes[2] = (ms >>> 24) & 0xff;
  bytes[3] = (ms >>> 16) & 0xff;
  bytes[4] = (ms >>> 8) & 0xff;
  bytes[5] = ms & 0xff;
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const NOTES = 'Credit recognised after moderation; evidence on file.';

/** ~400 bytes of JSON once serialised (checked by `sampleSizes`). */
function makeData(seq: number, stream: string): Record<string, unknown> {
  return {
    learnerId: stream,
    institutionId: `inst-${String(seq % 97).padStart(4, '0')}`,
    programmeId: `prog-${String(seq % 331).padStart(5, '0')}`,
    courseCode: `MATH-${2000 + (seq % 500)}`,
    courseTitle: 'Linear Algebra',
    credits: 7.5,
    level: 6,
    grade: 'B+',
    attempt: 1 + (seq % 3),
    awardedOn: '2026-06-30',
    framework: 'EQF',
    recognition: { kind: 'prior-learning', reference: `RPL-${seq}`, approvedBy: 'registry' },
    notes: NOTES,
    seq,
  };
}

function makeMetadata(seq: number): Record<string, unknown> {
  return {
    occurredAt: '2026-06-30T12:00:00.000Z',
    actor: { userId: `user-${seq % 50}`, role: 'registrar', department: 'registry', jurisdiction: 'EU' },
    correlationId: `corr-${seq}`,
    schemaVersion: 1,
  };
}

export interface PendingEvent {
  readonly id: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
}

export function makeEvent(seq: number, stream: string): PendingEvent {
  return { id: uuidv7(), type: 'CreditAwarded', data: makeData(seq, stream), metadata: makeMetadata(seq) };
}

/** Chains `events` after `head` (undefined: a new stream), as an event store's append does inside its transaction. */
export function chain(
  stream: string,
  head: StreamHead | undefined,
  events: readonly PendingEvent[],
): EventRow[] {
  const recordedAt = new Date().toISOString();
  let revision = head ? head.revision : -1;
  let prevHash: string | null = head ? head.hash : null;
  const rows: EventRow[] = [];
  for (const event of events) {
    revision += 1;
    const hash = hashEvent({
      id: event.id,
      streamId: stream,
      revision,
      type: event.type,
      data: event.data,
      metadata: event.metadata,
      recordedAt,
      prevHash,
    });
    rows.push({
      streamId: stream,
      revision,
      id: event.id,
      type: event.type,
      data: JSON.stringify(event.data),
      metadata: JSON.stringify(event.metadata),
      recordedAt,
      prevHash,
      hash,
    });
    prevHash = hash;
  }
  return rows;
}

export function sampleSizes(): { dataBytes: number; metadataBytes: number } {
  const e = makeEvent(12_345, streamId(12_345));
  return {
    dataBytes: Buffer.byteLength(JSON.stringify(e.data)),
    metadataBytes: Buffer.byteLength(JSON.stringify(e.metadata)),
  };
}
