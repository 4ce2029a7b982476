// Every upcaster of the ledger's events, and so every event type's current version: what writers stamp on
// new events and what readers turn old ones into.
import { subjectUpcasters } from '../subject/subject.upcasters';
import { eventVersions, type VersionedEvent } from './event-versions';

export const ledgerEventVersions = eventVersions([...subjectUpcasters]);

/** The version a new event of this type is written in. */
export const currentSchemaVersion = (type: string): number => ledgerEventVersions.current(type);

/** The event in its type's current shape (the same object when it already is); throws UnknownEventVersion. */
export const upcastEvent = <E extends VersionedEvent>(event: E): E => ledgerEventVersions.upcast(event);
