// Which Kafka messages one stored event becomes. Pure, so the mapping is specified without a broker.
import {
  caseIdOf,
  isAccessStream,
  isApiKeysStream,
  isCreditReportStream,
  type CreditList,
  type ListMembershipChanged,
} from '@ledger/domain';
import type { StoredEvent } from '@ledger/event-store';
import { CLOUD_EVENT_CONTENT_TYPE, toCloudEvent } from './cloud-events';
import { isRestricted, type SubjectFacts } from './privacy';
import type { TopicNames } from './topics';

export interface OutgoingMessage {
  readonly topic: string;
  readonly key: string;
  /** null: a tombstone (the key's record is deleted by compaction). */
  readonly value: string | null;
  readonly headers: Readonly<Record<string, string>>;
}

/** The value on credit.lists.v1: a subject's current membership of one list. */
export interface ListMembershipDocument {
  readonly list: CreditList;
  readonly subjectId: string;
  readonly subject: ListMembershipChanged['data']['subject'];
  readonly reasons: ListMembershipChanged['data']['reasons'];
  readonly measures: ListMembershipChanged['data']['measures'];
  /** Date the subject entered the list (Beijing date). */
  readonly since: string;
  readonly restricted: boolean;
  /** The event that made this the current state, and its feed position: newer wins. */
  readonly eventId: string;
  readonly position: number;
  readonly policyVersion?: string;
}

export interface MessageContext {
  readonly topics: TopicNames;
  readonly source: string;
}

export function messagesFor(
  event: StoredEvent,
  facts: SubjectFacts,
  context: MessageContext,
): OutgoingMessage[] {
  // The log of who read a person's record is for the ledger's auditors, never for outside systems.
  if (isAccessStream(event.streamId)) return [];
  // Managed API keys (their digests, holders and revocations) concern this ledger's access alone.
  if (isApiKeysStream(event.streamId)) return [];
  // Who pulled whose credit report is access information, like the access log: for the ledger's auditors.
  if (isCreditReportStream(event.streamId)) return [];
  const restricted = isRestricted(event.data, event.metadata.occurredAt, facts);
  const { topics } = context;
  const cloudEvent = JSON.stringify(
    toCloudEvent(event, { source: context.source, subjectId: facts.subjectId, restricted }),
  );
  const headers = { 'content-type': CLOUD_EVENT_CONTENT_TYPE };
  // Students' and minors' records never reach a topic every subscriber reads: they go to its restricted twin.
  const messages: OutgoingMessage[] = [
    {
      topic: restricted ? topics.restrictedEvents : topics.events,
      key: facts.subjectId,
      value: cloudEvent,
      headers,
    },
  ];
  const caseId = caseIdOf(event.streamId);
  if (caseId !== undefined) {
    // One partition per case: a department reads a case's opening before its closure.
    messages.push({
      topic: restricted ? topics.restrictedDisciplineRequests : topics.disciplineRequests,
      key: caseId,
      value: cloudEvent,
      headers,
    });
  }
  if (event.type === 'ListMembershipChanged') {
    messages.push(
      ...listMessages(
        event as StoredEvent<string, ListMembershipChanged['data']>,
        restricted,
        facts,
        context,
      ),
    );
  }
  return messages;
}

function listMessages(
  event: StoredEvent<string, ListMembershipChanged['data']>,
  restricted: boolean,
  facts: SubjectFacts,
  context: MessageContext,
): OutgoingMessage[] {
  const { list, subjectId, subject, reasons, measures, change, changedOn } = event.data;
  const headers = {
    'content-type': 'application/json',
    'event-id': event.id,
    'event-position': String(event.position),
  };
  const key = `${list}:${subjectId}`;
  const { topics } = context;
  if (change === 'left') {
    const tombstone = (topic: string): OutgoingMessage => ({ topic, key, value: null, headers });
    if (restricted) return [tombstone(topics.restrictedLists)];
    // A person who entered the list as a minor may leave it as an adult: the entry is on the restricted
    // topic, so its tombstone goes there too (a tombstone carries nothing but the key).
    return facts.birthDate === undefined
      ? [tombstone(topics.lists)]
      : [tombstone(topics.lists), tombstone(topics.restrictedLists)];
  }
  const membership: ListMembershipDocument = {
    list,
    subjectId,
    subject,
    reasons,
    measures,
    since: changedOn,
    restricted,
    eventId: event.id,
    position: event.position,
    ...(event.metadata.policyVersion === undefined ? {} : { policyVersion: event.metadata.policyVersion }),
  };
  return [
    {
      topic: restricted ? topics.restrictedLists : topics.lists,
      key,
      value: JSON.stringify(membership),
      headers,
    },
  ];
}

/**
 * Consecutive runs of messages of at most `maxBytes` in all (a single larger message goes alone). The
 * broker refuses a partition's record batch above max.message.bytes (1 MiB by default), and a backlog of
 * one subject's events all lands on one partition: sending in runs keeps every batch below the limit
 * while keeping the order.
 */
export function splitByBytes<M extends { key: string | null; value: string | null }>(
  messages: readonly M[],
  maxBytes: number,
): M[][] {
  const runs: M[][] = [];
  let run: M[] = [];
  let bytes = 0;
  for (const message of messages) {
    // Characters, not bytes: Chinese text takes three bytes a character in UTF-8.
    const size = Buffer.byteLength(message.value ?? '') + Buffer.byteLength(message.key ?? '') + 64;
    if (run.length > 0 && bytes + size > maxBytes) {
      runs.push(run);
      run = [];
      bytes = 0;
    }
    run.push(message);
    bytes += size;
  }
  if (run.length > 0) runs.push(run);
  return runs;
}
