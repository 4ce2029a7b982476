// The red, black and key-supervision lists as they were at any instant. A read model keeps, per list and
// subject, every ListMembershipChanged (with both times); a question "who was on the black list at T"
// then reads the documents of the subjects ever on that list, not the whole feed.
import {
  isSubjectStream,
  type CreditList,
  type ListMembershipChanged,
  type ListReason,
  type MeasureCode,
  type SubjectSummary,
} from '@ledger/domain';
import type { StoredEvent } from '@ledger/event-store';
import { singleStreamProjection, type DocumentStore, type Projection } from '@ledger/projections';
import type { TimeAxis } from './subject-as-of';

export interface ListMembershipChange {
  readonly position: number;
  readonly recordedAt: string;
  readonly occurredAt: string;
  readonly change: 'entered' | 'left';
  readonly disclosure: 'public' | 'restricted';
  readonly reasons: readonly ListReason[];
  readonly measures: readonly MeasureCode[];
  readonly changedOn: string;
  /** The subject's kind, name and jurisdiction at this change, when they differ from the document's. */
  readonly subject?: SubjectSummary;
}

export interface ListMembershipHistory {
  readonly list: CreditList;
  readonly subjectId: string;
  /** As of the first change; a change that saw other values carries its own. */
  readonly subject: SubjectSummary;
  readonly changes: readonly ListMembershipChange[];
  readonly lastPosition: number;
}

const sameSubject = (a: SubjectSummary, b: SubjectSummary) =>
  a.kind === b.kind && a.name === b.name && a.jurisdiction === b.jurisdiction;

const isListChange = (
  event: StoredEvent,
): event is StoredEvent<'ListMembershipChanged', ListMembershipChanged['data']> =>
  event.type === 'ListMembershipChanged' && isSubjectStream(event.streamId);

export const listMembershipHistoryProjection = singleStreamProjection<ListMembershipHistory>({
  name: 'list_membership_history',
  version: 1,
  eventTypes: ['ListMembershipChanged'],
  // Keyed by list and the subject whose stream records the change.
  documentIds: (event) => (isListChange(event) ? [`${event.data.list}:${event.data.subjectId}`] : []),
  evolve(doc, event) {
    if (!isListChange(event)) return doc ?? null;
    if (doc && event.position <= doc.lastPosition) return doc;
    const { data } = event;
    const change: { -readonly [K in keyof ListMembershipChange]: ListMembershipChange[K] } = {
      position: event.position,
      recordedAt: event.recordedAt,
      occurredAt: event.metadata.occurredAt,
      change: data.change,
      disclosure: data.disclosure,
      reasons: data.reasons,
      measures: data.measures,
      changedOn: data.changedOn,
    };
    if (doc && !sameSubject(doc.subject, data.subject)) change.subject = data.subject;
    return {
      list: data.list,
      subjectId: data.subjectId,
      subject: doc?.subject ?? data.subject,
      // concat, not spread: it copies the earlier changes in one go (a rebuild appends one per list change).
      changes: doc ? doc.changes.concat(change) : [change],
      lastPosition: event.position,
    };
  },
  // kind = the list, code = the subject's kind: the filters of an as-of listing. sortKey = the earliest
  // instant any change counts on either clock, so a question about T skips subjects first seen after T.
  index: (doc) => {
    // One loop, no copies: a rebuild indexes every history document, each with all its changes.
    let latest = doc.subject;
    const earliest = new EarliestInstant();
    for (const c of doc.changes) {
      if (c.subject) latest = c.subject;
      earliest.add(c.recordedAt);
      earliest.add(c.occurredAt);
    }
    return {
      kind: doc.list,
      code: latest.kind,
      jurisdiction: latest.jurisdiction,
      sortKey: earliest.toISOString(),
    };
  },
});

/**
 * The earliest of many instants. Canonical UTC strings (`2026-01-02T03:04:05.678Z`, what toISOString and the
 * store give) order as text, so only other forms are parsed: a rebuild indexes two instants per change of
 * every history, and parsing them all showed in its time.
 */
class EarliestInstant {
  private canonical: string | undefined;
  private parsed = Infinity;

  add(instant: string): void {
    if (instant.length === 24 && instant[23] === 'Z' && instant[10] === 'T') {
      if (this.canonical === undefined || instant < this.canonical) this.canonical = instant;
    } else this.parsed = Math.min(this.parsed, Date.parse(instant));
  }

  toISOString(): string {
    const canonical = this.canonical === undefined ? Infinity : Date.parse(this.canonical);
    return new Date(Math.min(canonical, this.parsed)).toISOString();
  }
}

/** Read models the audit layer keeps beside the ledger's own (run them with the same runner). */
export const auditProjections: readonly Projection<unknown>[] = [
  listMembershipHistoryProjection,
] as readonly Projection<unknown>[];

export interface ListEntryAsOf {
  readonly subjectId: string;
  readonly subject: SubjectSummary;
  readonly list: CreditList;
  readonly reasons: readonly ListReason[];
  readonly measures: readonly MeasureCode[];
  /** Business date the subject entered (the first entry of the run of entries in force at asOf). */
  readonly enteredOn: string;
  /** Record time and position of the change in force at asOf. */
  readonly recordedAt: string;
  readonly position: number;
}

export interface ListAsOfQuery {
  readonly asOf: string;
  readonly by: TimeAxis;
  readonly jurisdictionPrefix?: string;
  readonly kind?: string;
  readonly limit: number;
  readonly offset: number;
}

/** Membership at `asOf` from one subject's history: the last change at or before it decides. */
export function entryAsOf(
  history: ListMembershipHistory,
  asOf: string,
  by: TimeAxis,
): ListEntryAsOf | undefined {
  const limit = Date.parse(asOf);
  const known = history.changes.filter(
    (c) => Date.parse(by === 'record' ? c.recordedAt : c.occurredAt) <= limit,
  );
  // Business times of a subject's changes need not grow with position: order by the axis, then position.
  if (by === 'business')
    known.sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || a.position - b.position);
  const current = known[known.length - 1];
  if (!current || current.change !== 'entered' || current.disclosure !== 'public') return undefined;
  let first = known.length - 1;
  while (first > 0 && known[first - 1]!.change === 'entered') first -= 1;
  return {
    subjectId: history.subjectId,
    subject: current.subject ?? history.subject,
    list: history.list,
    reasons: current.reasons,
    measures: current.measures,
    enteredOn: known[first]!.changedOn,
    recordedAt: current.recordedAt,
    position: current.position,
  };
}

/**
 * Who was on a list at `asOf`. Cost: the history documents of the subjects on that list by `asOf` (filtered
 * by first appearance, jurisdiction and kind in the database), folded in memory; no pass over the feed.
 */
export async function listAsOf(
  documents: DocumentStore,
  list: CreditList,
  query: ListAsOfQuery,
): Promise<{ items: ListEntryAsOf[]; total: number }> {
  const members: ListEntryAsOf[] = [];
  const pageSize = 5000;
  const upTo = new Date(query.asOf).toISOString();
  for (let offset = 0; ; offset += pageSize) {
    const { items } = await documents.query<ListMembershipHistory>(listMembershipHistoryProjection.name, {
      kind: list,
      code: query.kind,
      jurisdictionPrefix: query.jurisdictionPrefix,
      sortKeyUpTo: upTo,
      limit: pageSize,
      offset,
    });
    for (const { doc } of items) {
      const entry = entryAsOf(doc, query.asOf, query.by);
      if (entry) members.push(entry);
    }
    if (items.length < pageSize) break;
  }
  members.sort((a, b) =>
    a.enteredOn < b.enteredOn ? -1 : a.enteredOn > b.enteredOn ? 1 : a.subjectId < b.subjectId ? -1 : 1,
  );
  return { items: members.slice(query.offset, query.offset + query.limit), total: members.length };
}
