// Read models see stored events; those of subject streams carry the domain's SubjectEvent shapes.
import { isSubjectStream, type SubjectEvent } from '@ledger/domain';
import type { StoredEvent } from '@ledger/event-store';

export type StoredSubjectEvent = StoredEvent & SubjectEvent;

export const isSubjectEvent = (event: StoredEvent): event is StoredSubjectEvent =>
  isSubjectStream(event.streamId);
