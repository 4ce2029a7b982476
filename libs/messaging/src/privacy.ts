// What of an event may leave the ledger (DESIGN.md "Privacy"): natural persons' ID numbers never do,
// birth dates (which reveal age) neither, and minors' and students' records are marked restricted so
// that the official consumers never publish them.
import {
  beijingDateOf,
  isMinorOn,
  maskResidentId,
  validateResidentId,
  type SubjectKind,
} from '@ledger/domain';

/** What the relay knows about the subject an event is about (see StreamFacts). */
export interface SubjectFacts {
  readonly subjectId: string;
  readonly kind?: SubjectKind;
  readonly birthDate?: string;
}

// Any 18-character run shaped like a resident ID, not glued to other letters or digits.
const RESIDENT_ID_LIKE = /(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])/g;
// Cheap first look: most strings have no 17 digits in a row, and the relay checks every string.
const SEVENTEEN_DIGITS = /[0-9]{17}/;

/**
 * Event data fit for output: known ID fields masked, birth dates dropped, and any other string that
 * holds a valid resident ID masked too, so a new event type or free text cannot leak one. Copies only
 * what it changes (the relay runs this on every event), so the input must not be mutated afterwards.
 */
export function redactPersonalData(value: unknown): unknown {
  if (typeof value === 'string') return maskResidentIdsIn(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const items = value.map(redactPersonalData);
    return items.some((item, i) => item !== value[i]) ? items : value;
  }
  const personId = (value as { scheme?: unknown }).scheme === 'resident_id';
  let copy: Record<string, unknown> | undefined;
  for (const key in value) {
    const field = (value as Record<string, unknown>)[key];
    if (key === 'birthDate') {
      copy ??= { ...value };
      delete copy[key];
      continue;
    }
    const isIdNumber = key === 'idNumber' || (personId && key === 'value');
    const redacted =
      isIdNumber && typeof field === 'string' ? maskResidentId(field) : redactPersonalData(field);
    if (redacted !== field) (copy ??= { ...value })[key] = redacted;
  }
  return copy ?? value;
}

function maskResidentIdsIn(text: string): string {
  if (text.length < 18 || !SEVENTEEN_DIGITS.test(text)) return text;
  return text.replace(RESIDENT_ID_LIKE, (candidate) =>
    validateResidentId(candidate.toUpperCase()).valid ? maskResidentId(candidate.toUpperCase()) : candidate,
  );
}

/**
 * Restricted: a student's record (students' records are protected, seed 002 §6), a record of a person
 * who was a minor when it happened (004 §四2), or one the domain itself marked `disclosure: restricted`.
 */
export function isRestricted(data: unknown, occurredAt: string, facts: SubjectFacts): boolean {
  if (facts.kind === 'student' || subjectKindIn(data) === 'student') return true;
  if (facts.birthDate !== undefined && isMinorOn(facts.birthDate, beijingDateOf(occurredAt))) return true;
  return marksRestricted(data);
}

function subjectKindIn(data: unknown): unknown {
  const record = data as { kind?: unknown; subject?: { kind?: unknown } } | null;
  return record?.subject?.kind ?? record?.kind;
}

function marksRestricted(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(marksRestricted);
  for (const key in value) {
    const field = (value as Record<string, unknown>)[key];
    if ((key === 'disclosure' && field === 'restricted') || marksRestricted(field)) return true;
  }
  return false;
}
