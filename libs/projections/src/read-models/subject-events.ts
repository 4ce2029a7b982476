// Read models see stored events; those of subject streams carry the domain's SubjectEvent shapes.
import type { SubjectEvent } from '@ledger/domain';
import type { StoredEvent } from '@ledger/event-store';

export type StoredSubjectEvent = StoredEvent & SubjectEvent;

export const SUBJECT_STREAM_PREFIX = 'subject-';

export const isSubjectEvent = (event: StoredEvent): event is StoredSubjectEvent =>
  event.streamId.startsWith(SUBJECT_STREAM_PREFIX);
