// Which subject an event is about, and what kind of person it is, for events that do not say so
// themselves (a case's DepartmentResponded, a subject's RecordRevoked). Read from the first event of
// the stream (SubjectRegistered, CaseOpened) and cached: the relay asks once per subject.
import {
  accessedSubjectIdOf,
  CALENDAR_STREAM_ID,
  caseIdOf,
  subjectIdOf,
  toSubjectStreamId,
} from '@ledger/domain';
import type { EventStore, StoredEvent } from '@ledger/event-store';
import type { SubjectFacts } from './privacy';

export class StreamFacts {
  private readonly cache = new Map<string, Promise<SubjectFacts>>();
  // The same answers, synchronously: most events need no promise at all.
  private readonly resolved = new Map<string, SubjectFacts>();

  constructor(
    private readonly store: EventStore,
    private readonly maxEntries = 50_000,
  ) {}

  /** The facts without a read, when the event names its subject and that subject was looked up before. */
  known(event: StoredEvent): SubjectFacts | undefined {
    const subjectId = (event.data as { subjectId?: unknown } | null)?.subjectId;
    return typeof subjectId === 'string' ? this.resolved.get(subjectId) : undefined;
  }

  async of(event: StoredEvent): Promise<SubjectFacts> {
    const subjectId = (event.data as { subjectId?: unknown } | null)?.subjectId;
    if (typeof subjectId === 'string') return this.subject(subjectId);
    const caseId = caseIdOf(event.streamId);
    if (caseId !== undefined) return this.caseSubject(event.streamId, caseId);
    // About no subject: the calendar is named by its stream, so its events keep one key and their order.
    if (event.streamId === CALENDAR_STREAM_ID) return { subjectId: event.streamId };
    // Not about a subject we know of: the stream id names it.
    return {
      subjectId: subjectIdOf(event.streamId) ?? accessedSubjectIdOf(event.streamId) ?? event.streamId,
    };
  }

  private subject(subjectId: string): Promise<SubjectFacts> {
    return this.cached(`s:${subjectId}`, async () => {
      const [first] = await this.store.readStream(toSubjectStreamId(subjectId), { toRevision: 0 });
      if (first?.type !== 'SubjectRegistered') return { subjectId };
      const { kind, birthDate } = first.data as Pick<SubjectFacts, 'kind' | 'birthDate'>;
      const facts = { subjectId, kind, birthDate };
      this.resolved.set(subjectId, facts);
      if (this.resolved.size > this.maxEntries) this.resolved.delete(this.resolved.keys().next().value!);
      return facts;
    });
  }

  private caseSubject(streamId: string, caseId: string): Promise<SubjectFacts> {
    return this.cached(`c:${streamId}`, async () => {
      const [first] = await this.store.readStream(streamId, { toRevision: 0 });
      const subjectId = (first?.data as { subjectId?: unknown } | undefined)?.subjectId;
      if (typeof subjectId !== 'string') return { subjectId: caseId };
      return this.subject(subjectId);
    });
  }

  private cached(key: string, load: () => Promise<SubjectFacts>): Promise<SubjectFacts> {
    const hit = this.cache.get(key);
    if (hit) return hit;
    const loading = load();
    // A failed read is not remembered: the relay retries the batch and asks again.
    loading.catch(() => this.cache.delete(key));
    this.cache.set(key, loading);
    if (this.cache.size > this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
    return loading;
  }
}
