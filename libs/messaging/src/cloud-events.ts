// A stored event as a structured CloudEvent 1.0 (JSON format): what consumers of credit.events.v1 and
// credit.discipline.requests.v1 receive. Data passes through the privacy filter first.
import { caseIdOf, isCaseStream } from '@ledger/domain';
import type { StoredEvent } from '@ledger/event-store';
import { redactPersonalData } from './privacy';

export const DEFAULT_SOURCE = 'urn:cn-edu-credit:ledger';
export const CLOUD_EVENT_CONTENT_TYPE = 'application/cloudevents+json; charset=UTF-8';

export interface CloudEvent {
  readonly specversion: '1.0';
  /** The stored event's id: consumers deduplicate by it (delivery is at-least-once). */
  readonly id: string;
  readonly source: string;
  readonly type: string;
  /** The subject (信用主体) id the event is about. */
  readonly subject: string;
  /** Record time: when the ledger stored the event. */
  readonly time: string;
  readonly datacontenttype: 'application/json';
  /** The schema of `data`: the event type and its version (docs/asyncapi.yaml lists every version's). */
  readonly dataschema: string;
  readonly data: unknown;
  // Extensions: lower-case letters and digits only (CloudEvents 1.0 naming rule).
  readonly streamid: string;
  readonly revision: number;
  readonly position: number;
  /** Business time: when the decision was taken. */
  readonly occurredat: string;
  readonly schemaversion: number;
  /** A minor's or a student's record: for official use, never to be published. */
  readonly restricted: boolean;
  readonly caseid?: string;
  readonly correlationid?: string;
  readonly causationid?: string;
  readonly policyversion?: string;
}

export interface CloudEventContext {
  readonly source: string;
  readonly subjectId: string;
  readonly restricted: boolean;
}

/**
 * `PenaltyRecorded` → `cn.edu.credit.penalty.recorded.v1`. Case events are namespaced by their aggregate
 * (`CaseOpened` → `cn.edu.credit.discipline.case.opened.v1`); the version is the event's schema version.
 */
export function cloudEventType(eventType: string, schemaVersion = 1, streamId = ''): string {
  const cacheKey = `${isCaseStream(streamId)}:${eventType}:${schemaVersion}`;
  let type = typeNames.get(cacheKey);
  if (type === undefined) typeNames.set(cacheKey, (type = typeNameOf(eventType, schemaVersion, streamId)));
  return type;
}

/**
 * `urn:cn-edu-credit:ledger:schema:ObjectionResolved:v3`: the event type and the version of its data, the
 * current one (the relay publishes events upcast to it); the AsyncAPI document names it on each data schema.
 */
export function dataSchemaOf(eventType: string, schemaVersion: number): string {
  return `${DATA_SCHEMA_PREFIX}${eventType}:v${schemaVersion}`;
}

export const DATA_SCHEMA_PREFIX = 'urn:cn-edu-credit:ledger:schema:';

// Named once per event type: the relay asks for every event it publishes.
const typeNames = new Map<string, string>();

function typeNameOf(eventType: string, schemaVersion: number, streamId: string): string {
  const words = eventType
    .replace(/([a-z0-9])([A-Z])/g, '$1.$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1.$2')
    .toLowerCase();
  const namespace = isCaseStream(streamId) ? 'cn.edu.credit.discipline' : 'cn.edu.credit';
  return `${namespace}.${words}.v${schemaVersion}`;
}

export function toCloudEvent(event: StoredEvent, context: CloudEventContext): CloudEvent {
  const { metadata } = event;
  const cloudEvent: { -readonly [K in keyof CloudEvent]: CloudEvent[K] } = {
    specversion: '1.0',
    id: event.id,
    source: context.source,
    type: cloudEventType(event.type, metadata.schemaVersion, event.streamId),
    subject: context.subjectId,
    time: event.recordedAt,
    datacontenttype: 'application/json',
    dataschema: dataSchemaOf(event.type, metadata.schemaVersion),
    data: redactPersonalData(event.data),
    streamid: event.streamId,
    revision: event.revision,
    position: event.position,
    occurredat: metadata.occurredAt,
    schemaversion: metadata.schemaVersion,
    restricted: context.restricted,
  };
  // Absent optional attributes are left out, never sent as null (CloudEvents 1.0 §3.1).
  const caseId = caseIdOf(event.streamId);
  if (caseId !== undefined) cloudEvent.caseid = caseId;
  if (metadata.correlationId !== undefined) cloudEvent.correlationid = metadata.correlationId;
  if (metadata.causationId !== undefined) cloudEvent.causationid = metadata.causationId;
  if (metadata.policyVersion !== undefined) cloudEvent.policyversion = metadata.policyVersion;
  return cloudEvent;
}
