// Reads of a natural person's record are events of their own, in one stream per subject
// (`access-<subjectId>`): who read, when, why and what. They sit in the global feed, so the hash chain
// and the digests cover them like every other fact.
import { uuidV7 } from '@ledger/application';
import { toAccessStreamId } from '@ledger/domain';
import type { Actor, EventStore, StoredEvent } from '@ledger/event-store';

/** What was read: names the endpoint or tool, so auditors see the extent of each access. */
export type AccessedResource =
  'credit-status' | 'history' | 'status-as-of' | 'proof' | 'export' | 'state-as-of';

export interface PersonalRecordViewedData {
  readonly subjectId: string;
  readonly viewer: Actor;
  readonly reason: string;
  /** When the record was read (the store's recordedAt is the same instant, give or take the append). */
  readonly at: string;
  readonly resource: AccessedResource;
}

export type PersonalRecordViewed = StoredEvent<'PersonalRecordViewed', PersonalRecordViewedData>;

export const MAX_REASON_LENGTH = 500;

export async function logPersonalRecordView(
  store: EventStore,
  view: {
    readonly subjectId: string;
    readonly viewer: Actor;
    readonly reason: string;
    readonly resource: AccessedResource;
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
    at,
    resource: view.resource,
  };
  const result = await store.append(toAccessStreamId(view.subjectId), [
    {
      id,
      type: 'PersonalRecordViewed',
      data,
      metadata: { occurredAt: at, actor: view.viewer, correlationId: view.correlationId, schemaVersion: 1 },
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
