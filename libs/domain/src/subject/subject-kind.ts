// Who a record can be about (信用主体): legal persons by USCC, natural persons by resident ID.

export const legalPersonKinds = [
  'school',
  'private_school',
  'training_institution',
  'tutoring_institution',
  'education_service_organisation',
  'research_institution',
  'administrative_body',
] as const;

export const naturalPersonKinds = ['teacher', 'researcher', 'staff', 'student'] as const;

export type LegalPersonKind = (typeof legalPersonKinds)[number];
export type NaturalPersonKind = (typeof naturalPersonKinds)[number];
export type SubjectKind = LegalPersonKind | NaturalPersonKind;

export type IdentifierScheme = 'uscc' | 'resident_id';

export const isSubjectKind = (value: string): value is SubjectKind =>
  (legalPersonKinds as readonly string[]).includes(value) ||
  (naturalPersonKinds as readonly string[]).includes(value);

export const isNaturalPersonKind = (kind: SubjectKind): kind is NaturalPersonKind =>
  (naturalPersonKinds as readonly string[]).includes(kind);

export const identifierSchemeFor = (kind: SubjectKind): IdentifierScheme =>
  isNaturalPersonKind(kind) ? 'resident_id' : 'uscc';

/** What every event that a read model lists carries, so projections never look a subject up. */
export interface SubjectSummary {
  readonly kind: SubjectKind;
  readonly name: string;
  readonly jurisdiction: string;
}
