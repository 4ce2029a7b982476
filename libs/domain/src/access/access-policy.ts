// Who may do what, as data: roles grant permissions, purposes say why a natural person's record may be read,
// and departments may name their superior. Versioned like the credit policy; the version that allowed a read
// goes into the access log.

/** Every permission a route or a follower can ask for. */
export const PERMISSIONS = [
  /** Register a credit subject in the actor's divisions. */
  'subjects.register',
  /** Record penalties, honours, commitments and their outcomes, rectification notices, repair applications, objections. */
  'records.write',
  /** Correct or revoke a record: the recording department or its superior only. */
  'records.correct',
  /** Approve or reject a repair application (信用修复). */
  'repairs.decide',
  /** Uphold or reject an objection (异议). */
  'objections.resolve',
  /** A legal person's status and history (schools, institutions: public information). */
  'subjects.read',
  /** A natural person's (teacher, researcher, staff, student) status and history, with a purpose. */
  'subjects.read.natural',
  /** A minor's status and history, with a purpose. */
  'subjects.read.minor',
  /** Find a subject by its identifier (USCC, or a resident ID number in a POST body). */
  'subjects.lookup',
  /** Events as stored, full resident ID numbers included (hashes can be recomputed). */
  'identifiers.read.full',
  /** History: events of a subject, status and lists as of an instant. */
  'history.read',
  /** The global feed of every event (every province's full ID numbers). */
  'audit.feed.read',
  /** Who read whose record. */
  'audit.access-log.read',
  /** Verify the chains and digests, inclusion proofs. */
  'ledger.verify',
  /** Red, black and key-supervision lists. */
  'lists.read',
  /** Joint reward and punishment cases. */
  'cases.read',
  /**
   * Credit reviews (信用审查): whether a subject is restricted for a purpose (admission, promotion, funding…),
   * one at a time or in batches; natural persons' and minors' reviews need their read permissions besides.
   */
  'credit-reviews.conduct',
  /** Reporting timeliness and other figures about departments. */
  'reports.read',
  /** Answer joint-discipline requests (the feedback topic). */
  'feedback.send',
  /** The working calendar. */
  'calendar.read',
  /** Publish and amend the working calendar. */
  'calendar.manage',
  /** Issue, rotate and revoke API keys. */
  'keys.manage',
  /** Change credit and access policies. */
  'policies.manage',
  /** The operational metrics (GET /metrics, for Prometheus): figures about the ledger, no one's record. */
  'metrics.read',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export const isPermission = (value: string): value is Permission =>
  (PERMISSIONS as readonly string[]).includes(value);

/** What a reason for reading a natural person's record may be (a code; free text goes beside it). */
export interface AccessPurpose {
  readonly code: string;
  readonly description: string;
  /** Roles that may read for this purpose. */
  readonly roles: readonly string[];
}

export interface AccessPolicy {
  /** Recorded with every logged read; a new version when a role, purpose or superior changes. */
  readonly version: string;
  readonly roles: Readonly<Record<string, readonly Permission[]>>;
  readonly purposes: readonly AccessPurpose[];
  /**
   * Department → its superior department (上级主管部门), for departments whose superior is not simply the
   * same role one division level up.
   */
  readonly superiorDepartments: Readonly<Record<string, string>>;
  /**
   * Whether an actor whose jurisdiction strictly contains the recording actor's counts as the recording
   * department's superior (a provincial education department over a city bureau: 谁主管谁监管).
   */
  readonly superiorByDivision: boolean;
}

export const permissionsOf = (policy: AccessPolicy, role: string): readonly Permission[] =>
  Object.prototype.hasOwnProperty.call(policy.roles, role) ? policy.roles[role]! : [];

export const purposeByCode = (policy: AccessPolicy, code: string): AccessPurpose | undefined =>
  policy.purposes.find((purpose) => purpose.code === code);
