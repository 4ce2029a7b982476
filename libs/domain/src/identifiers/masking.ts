// What of an identifier may appear in public output. Legal persons' codes are public by law;
// natural persons' ID numbers never are (privacy, DESIGN.md), so only region and tail remain.

/** `11010519491231002X` → `110105********002X`: the birth date, which also reveals age, is hidden. */
export const maskResidentId = (id: string): string =>
  id.length === 18 ? `${id.slice(0, 6)}********${id.slice(14)}` : '*'.repeat(id.length);

export const publicIdentifier = (identifier: {
  readonly scheme: 'uscc' | 'resident_id';
  readonly value: string;
}): string => (identifier.scheme === 'uscc' ? identifier.value : maskResidentId(identifier.value));
