// A subject's credit status as it was at an instant, folded from its events. Two clocks:
// - record time (`recordedAt`, the store's clock): what the ledger said at that instant;
// - business time (`metadata.occurredAt`, e.g. a decision date): what, as the ledger knows it now
//   (or knew at `knownAt`), was the case at that instant, late reports included.
import {
  beijingDateOf,
  defaultPolicy,
  deriveCreditStatus,
  evolveSubject,
  initialSubjectState,
  policyFor,
  publicIdentifier,
  toSubjectStreamId,
  upcastEvent,
  type CreditStatus,
  type SubjectEvent,
  type SubjectKind,
  type SubjectState,
} from '@ledger/domain';
import type { EventStore, StoredEvent } from '@ledger/event-store';

export type TimeAxis = 'record' | 'business';

export interface SubjectStatusAsOf {
  readonly subjectId: string;
  readonly asOf: string;
  readonly by: TimeAxis;
  /** Business time only: the record-time instant whose knowledge was used (absent: everything known now). */
  readonly knownAt?: string;
  readonly kind: SubjectKind;
  /** Public form: a natural person's ID number is masked. */
  readonly identifier: string;
  readonly status: CreditStatus;
  /** Last event folded: its stream revision, global position and both times. */
  readonly revision: number;
  readonly position: number;
  readonly lastRecordedAt: string;
  readonly lastOccurredAt: string;
  readonly eventsApplied: number;
}

const instant = (value: string): number => Date.parse(value);

/** The events of a subject that count at `asOf` on the chosen axis, in stream order. */
export async function subjectEventsAsOf(
  store: EventStore,
  subjectId: string,
  options: { readonly asOf: string; readonly by: TimeAxis; readonly knownAt?: string },
): Promise<StoredEvent[]> {
  const streamId = toSubjectStreamId(subjectId);
  if (options.by === 'record') return store.readStream(streamId, { recordedUpTo: options.asOf });
  const known = await store.readStream(streamId, options.knownAt ? { recordedUpTo: options.knownAt } : {});
  const limit = instant(options.asOf);
  return known.filter((event) => instant(event.metadata.occurredAt) <= limit);
}

/** Folds the events through the domain's own evolve and deriveCreditStatus, as the live read model does. */
export function foldStatusAsOf(
  subjectId: string,
  events: readonly StoredEvent[],
  options: { readonly asOf: string; readonly by: TimeAxis; readonly knownAt?: string },
): SubjectStatusAsOf | undefined {
  let state: SubjectState = initialSubjectState();
  let last: StoredEvent | undefined;
  for (const event of events) {
    state = evolveSubject(state, upcastEvent(event) as unknown as SubjectEvent); // in its current shape
    last = event;
  }
  if (state.status !== 'registered' || !last) return undefined;
  // The policy that decided the last event; events written without one fall back to the default.
  const policy = policyFor(last.metadata.policyVersion ?? defaultPolicy.version);
  return {
    subjectId,
    asOf: options.asOf,
    by: options.by,
    ...(options.knownAt ? { knownAt: options.knownAt } : {}),
    kind: state.summary.kind,
    identifier: publicIdentifier(state.identifier),
    status: deriveCreditStatus(state, policy, beijingDateOf(options.asOf)),
    revision: last.revision,
    position: last.position,
    lastRecordedAt: last.recordedAt,
    lastOccurredAt: last.metadata.occurredAt,
    eventsApplied: events.length,
  };
}

/** The status at `asOf`, or undefined when the subject was not registered then (on that axis). */
export async function subjectStatusAsOf(
  store: EventStore,
  subjectId: string,
  options: { readonly asOf: string; readonly by: TimeAxis; readonly knownAt?: string },
): Promise<SubjectStatusAsOf | undefined> {
  return foldStatusAsOf(subjectId, await subjectEventsAsOf(store, subjectId, options), options);
}
