// The one access decision: may this actor use this permission on this target? Pure; the edge asks it for
// every route, the answer names what is missing so a refusal can say it.
import type { Actor } from '../command-metadata';
import { divisionContains } from '../identifiers/division-code';
import {
  permissionsOf,
  purposeByCode,
  type AccessPolicy,
  type AccessPurpose,
  type Permission,
} from './access-policy';

/** Whose data a read shows: natural persons' and minors' need a permission of their own. */
export type PersonalData = 'legal-person' | 'natural-person' | 'minor';

export interface AccessTarget {
  /** The division the subject (or the listing asked for) belongs to. */
  readonly jurisdiction?: string;
  readonly personalData?: PersonalData;
  /** Who recorded the record a correction or revocation is about. */
  readonly recordedBy?: { readonly department: string; readonly jurisdiction: string };
}

export type AccessRefusalCode =
  'ACCESS.PERMISSION_REQUIRED' | 'ACCESS.OUTSIDE_JURISDICTION' | 'ACCESS.NOT_RECORDING_DEPARTMENT';

export interface AccessRefused {
  readonly allowed: false;
  readonly code: AccessRefusalCode;
  /** The permission the actor lacks, or the one it holds but may not use on this target. */
  readonly missingPermission: Permission;
  readonly message: string;
}

export type AccessDecision = { readonly allowed: true } | AccessRefused;

const ALLOWED: AccessDecision = { allowed: true };

/** The permission reading this kind of data needs besides the route's own. */
export const personalDataPermission = (data: PersonalData | undefined): Permission | undefined => {
  switch (data) {
    case undefined:
    case 'legal-person':
      return undefined;
    case 'natural-person':
      return 'subjects.read.natural';
    case 'minor':
      return 'subjects.read.minor';
    default: {
      const unhandled: never = data;
      return unhandled;
    }
  }
};

export const hasPermission = (policy: AccessPolicy, actor: Actor, permission: Permission): boolean =>
  permissionsOf(policy, actor.role).includes(permission);

/**
 * Whether the actor's department recorded the record or stands above the department that did: named as its
 * superior in the policy (transitively), or, when the policy says so, an actor whose jurisdiction strictly
 * contains the recording actor's.
 */
export const isRecordingDepartmentOrSuperior = (
  policy: AccessPolicy,
  actor: Actor,
  recordedBy: NonNullable<AccessTarget['recordedBy']>,
): boolean => {
  if (actor.department === recordedBy.department) return true;
  const seen = new Set<string>([recordedBy.department]);
  let department = recordedBy.department;
  while (Object.prototype.hasOwnProperty.call(policy.superiorDepartments, department)) {
    department = policy.superiorDepartments[department]!;
    if (department === actor.department) return true;
    if (seen.has(department)) break; // a cycle in the data: stop rather than loop
    seen.add(department);
  }
  return (
    policy.superiorByDivision &&
    actor.jurisdiction !== recordedBy.jurisdiction &&
    divisionContains(actor.jurisdiction, recordedBy.jurisdiction)
  );
};

export const authorize = (
  policy: AccessPolicy,
  actor: Actor,
  permission: Permission,
  target: AccessTarget = {},
): AccessDecision => {
  const needed = [permission, personalDataPermission(target.personalData)].filter(
    (p): p is Permission => p !== undefined,
  );
  for (const p of needed) {
    if (!hasPermission(policy, actor, p)) {
      return {
        allowed: false,
        code: 'ACCESS.PERMISSION_REQUIRED',
        missingPermission: p,
        message: `Role ${actor.role} lacks the permission ${p}`,
      };
    }
  }
  if (target.jurisdiction !== undefined && !divisionContains(actor.jurisdiction, target.jurisdiction)) {
    return {
      allowed: false,
      code: 'ACCESS.OUTSIDE_JURISDICTION',
      missingPermission: permission,
      message: `An actor of ${actor.jurisdiction} holds ${permission} only within its divisions, not in ${target.jurisdiction}`,
    };
  }
  if (target.recordedBy !== undefined && !isRecordingDepartmentOrSuperior(policy, actor, target.recordedBy)) {
    return {
      allowed: false,
      code: 'ACCESS.NOT_RECORDING_DEPARTMENT',
      missingPermission: permission,
      message: `Only ${target.recordedBy.department}, which recorded it, or its superior may do this`,
    };
  }
  return ALLOWED;
};

export type PurposeRefusalCode =
  'ACCESS.PURPOSE_REQUIRED' | 'ACCESS.UNKNOWN_PURPOSE' | 'ACCESS.PURPOSE_NOT_FOR_ROLE';

export type PurposeDecision =
  | { readonly allowed: true; readonly purpose: AccessPurpose }
  | { readonly allowed: false; readonly code: PurposeRefusalCode; readonly message: string };

/** Whether the purpose given for reading a natural person's record is on the policy's list for the actor's role. */
export const checkPurpose = (
  policy: AccessPolicy,
  actor: Actor,
  code: string | undefined,
): PurposeDecision => {
  const codes = policy.purposes
    .filter((purpose) => purpose.roles.includes(actor.role))
    .map((purpose) => purpose.code);
  if (code === undefined || code === '') {
    return {
      allowed: false,
      code: 'ACCESS.PURPOSE_REQUIRED',
      message: `Reading a natural person's record needs a purpose: one of ${codes.join(', ') || '(none for this role)'}`,
    };
  }
  const purpose = purposeByCode(policy, code);
  if (!purpose) {
    return {
      allowed: false,
      code: 'ACCESS.UNKNOWN_PURPOSE',
      message: `Not a purpose of the access policy ${policy.version}: use one of ${codes.join(', ') || '(none for this role)'}`,
    };
  }
  if (!purpose.roles.includes(actor.role)) {
    return {
      allowed: false,
      code: 'ACCESS.PURPOSE_NOT_FOR_ROLE',
      message: `Role ${actor.role} may not read for the purpose ${code}`,
    };
  }
  return { allowed: true, purpose };
};
