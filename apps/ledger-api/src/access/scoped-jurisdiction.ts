// Listings (lists, lists as of an instant) show only the caller's divisions: the division asked for must lie
// within them, and without one the caller's own jurisdiction is the filter.
import { authorize, type AccessPolicy, type Actor, type Permission } from '@ledger/domain';
import { AccessForbidden } from './requires';

export function scopedJurisdiction(
  policy: AccessPolicy,
  actor: Actor,
  permission: Permission,
  asked: string | undefined,
): string {
  if (asked === undefined) return actor.jurisdiction;
  const decision = authorize(policy, actor, permission, { jurisdiction: asked });
  if (!decision.allowed) throw new AccessForbidden(decision);
  return asked;
}
