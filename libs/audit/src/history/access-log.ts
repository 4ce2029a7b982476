// Reads of a natural person's record are events of their own, in one stream per subject
// (`access-<subjectId>`): who read, when, why and what. They sit in the global feed, so the hash chain
// and the digests cover them like every other fact.
import { uuidV7 } from '@ledger/application';
import { currentSchemaVersion, toAccessStreamId } from '@ledger/domain';
import type { Actor, EventStore, StoredEvent } from '@ledger/event-store';

/** What was read: names the endpoint or tool, so auditors see the extent of each access. */
export type AccessedResource =
  | 'credit-status'
  | 'history'
  | 'status-as-of'
  | 'proof'
  | 'export'
  | 'state-as-of'
  | 'lookup'
  | 'credit-report'
  | 'credit-review';

/** A credit review (信用审查): for what, at whose request, and what it answered. */
export interface CreditReviewLogged {
  /** A credit-use purpose (`promotion`, `funding`…); the entry's `purpose` is the same code. */
  readonly purpose: string;
  readonly requestingOrganisation: { readonly name: string; readonly uscc: string };
  readonly outcome: 'clear' | 'restricted' | 'not_found';
  /** The credit policy whose review rules decided. */
  readonly creditPolicyVersion?: string;
  readonly asOf?: string;
}

export interface PersonalRecordViewedData {
  readonly subjectId: string;
  readonly viewer: Actor;
  /** Free text beside the purpose. */
  readonly reason: string;
  /** The purpose code of the access policy (absent in entries written before purposes existed). */
  readonly purpose?: string;
  /** The access policy version that allowed the read. */
  readonly policyVersion?: string;
  /** Lookups by identifier: whether the caller got an answer; unknown and refused look the same to it. */
  readonly outcome?: 'answered' | 'unknown-or-refused';
  /** When the record was read (the store's recordedAt is the same instant, give or take the append). */
  readonly at: string;
  readonly resource: AccessedResource;
  /** Set for `credit-review`. */
  readonly review?: CreditReviewLogged;
}

export type PersonalRecordViewed = StoredEvent<'PersonalRecordViewed', PersonalRecordViewedData>;

export const MAX_REASON_LENGTH = 500;

export async function logPersonalRecordView(
  store: EventStore,
  view: {
    readonly subjectId: string;
    readonly viewer: Actor;
    readonly reason: string;
    readonly purpose?: string;
    readonly policyVersion?: string;
    readonly outcome?: PersonalRecordViewedData['outcome'];
    readonly resource: AccessedResource;
    readonly review?: CreditReviewLogged;
    readonly at?: string;
    readonly correlationId?: string;
  },
): Promise<{ eventId: string; position: number }> {
  const at = view.at ?? new Date().toISOString();
  const id = uuidV7();
  const data: PersonalRecordViewedData = {
    subjectId: view.subjectId,
    viewer: view.viewer,
    reason: view.reason,
    ...(view.purpose !== undefined ? { purpose: view.purpose } : {}),
    ...(view.policyVersion !== undefined ? { policyVersion: view.policyVersion } : {}),
    ...(view.outcome !== undefined ? { outcome: view.outcome } : {}),
    at,
    resource: view.resource,
    ...(view.review !== undefined ? { review: view.review } : {}),
  };
  const result = await store.append(toAccessStreamId(view.subjectId), [
    {
      id,
      type: 'PersonalRecordViewed',
      data,
      metadata: {
        occurredAt: at,
        actor: view.viewer,
        correlationId: view.correlationId,
        schemaVersion: currentSchemaVersion('PersonalRecordViewed'),
      },
    },
  ]);
  return { eventId: id, position: result.position };
}

/** The reads of one subject's record, oldest first; `from`/`to` bound the read instant (inclusive). */
export async function readAccessLog(
  store: EventStore,
  subjectId: string,
  range: { readonly from?: string; readonly to?: string } = {},
): Promise<PersonalRecordViewed[]> {
  const events = (await store.readStream(toAccessStreamId(subjectId))) as PersonalRecordViewed[];
  const from = range.from ? Date.parse(range.from) : Number.NEGATIVE_INFINITY;
  const to = range.to ? Date.parse(range.to) : Number.POSITIVE_INFINITY;
  return events.filter(
    (event) =>
      event.type === 'PersonalRecordViewed' &&
      Date.parse(event.data.at) >= from &&
      Date.parse(event.data.at) <= to,
  );
}

/** The stream that logs reads of the global feed (every province's full ID numbers). */
export const AUDIT_FEED_ACCESS_STREAM = 'access-audit-feed';

export interface AuditFeedReadData {
  readonly viewer: Actor;
  readonly purpose: string;
  readonly reason: string;
  readonly policyVersion: string;
  /** The page read: events after `fromPosition`, at most `limit`. */
  readonly fromPosition: number;
  readonly limit: number;
  readonly at: string;
}

export type AuditFeedRead = StoredEvent<'AuditFeedRead', AuditFeedReadData>;

export async function logAuditFeedRead(
  store: EventStore,
  read: Omit<AuditFeedReadData, 'at'> & { readonly correlationId?: string },
): Promise<{ eventId: string; position: number }> {
  const at = new Date().toISOString();
  const id = uuidV7();
  const { correlationId, ...rest } = read;
  const data: AuditFeedReadData = { ...rest, at };
  const result = await store.append(AUDIT_FEED_ACCESS_STREAM, [
    {
      id,
      type: 'AuditFeedRead',
      data,
      metadata: {
        occurredAt: at,
        actor: read.viewer,
        correlationId,
        schemaVersion: currentSchemaVersion('AuditFeedRead'),
      },
    },
  ]);
  return { eventId: id, position: result.position };
}

/** Reads of the global feed, oldest first. */
export async function readAuditFeedReads(store: EventStore): Promise<AuditFeedRead[]> {
  return ((await store.readStream(AUDIT_FEED_ACCESS_STREAM)) as AuditFeedRead[]).filter(
    (event) => event.type === 'AuditFeedRead',
  );
}

/**
 * Batch credit reviews (an award round, a funding call) are logged in one append to this stream, not one
 * append per subject's access stream: parts of at most REVIEW_LOG_PART_SIZE subjects each, so every event
 * stays well under the store's event size limit (docs/benchmarks.md has the figures).
 */
export const CREDIT_REVIEW_BATCH_STREAM = 'access-credit-review-batches';
export const REVIEW_LOG_PART_SIZE = 2_000;

export interface CreditReviewBatchLoggedData {
  readonly batchId: string;
  /** 1-based; `parts` events together name every subject of the batch. */
  readonly part: number;
  readonly parts: number;
  readonly viewer: Actor;
  readonly purpose: string;
  readonly requestingOrganisation: { readonly name: string; readonly uscc: string };
  readonly reason: string;
  readonly policyVersion: string;
  readonly asOf?: string;
  readonly at: string;
  /**
   * The subjects named in this part, in request order (identifiers under the id they map to, registered or not).
   * Written while the standings are read, so it holds no answers: a review is a pure function of the standing,
   * which status-as-of at `at` gives again.
   */
  readonly subjects: readonly string[];
}

export type CreditReviewBatchLogged = StoredEvent<'CreditReviewBatchLogged', CreditReviewBatchLoggedData>;

export async function logCreditReviewBatch(
  store: EventStore,
  batch: Omit<CreditReviewBatchLoggedData, 'part' | 'parts' | 'at' | 'subjects'> & {
    readonly subjects: CreditReviewBatchLoggedData['subjects'];
    readonly at?: string;
    readonly correlationId?: string;
  },
): Promise<{ eventIds: string[]; position: number }> {
  const at = batch.at ?? new Date().toISOString();
  const { correlationId, subjects, ...rest } = batch;
  const parts = Math.max(1, Math.ceil(subjects.length / REVIEW_LOG_PART_SIZE));
  const events = Array.from({ length: parts }, (_, index) => {
    const data: CreditReviewBatchLoggedData = {
      ...rest,
      part: index + 1,
      parts,
      at,
      subjects: subjects.slice(index * REVIEW_LOG_PART_SIZE, (index + 1) * REVIEW_LOG_PART_SIZE),
    };
    return {
      id: uuidV7(),
      type: 'CreditReviewBatchLogged',
      data,
      metadata: { occurredAt: at, actor: batch.viewer, correlationId, schemaVersion: 1 },
    };
  });
  const result = await store.append(CREDIT_REVIEW_BATCH_STREAM, events);
  return { eventIds: events.map((event) => event.id), position: result.position };
}

/** Batch reviews, oldest first; with `subjectId`, only the parts that name that subject. */
export async function readCreditReviewBatches(
  store: EventStore,
  subjectId?: string,
): Promise<CreditReviewBatchLogged[]> {
  const events = (await store.readStream(CREDIT_REVIEW_BATCH_STREAM)) as CreditReviewBatchLogged[];
  return events.filter(
    (event) =>
      event.type === 'CreditReviewBatchLogged' &&
      (subjectId === undefined || event.data.subjects.includes(subjectId)),
  );
}
