// Kept for routes written before the access policy: @AdminsOnly() is @Requires('keys.manage') with a
// national jurisdiction, checked by the PermissionGuard. New routes say their permission with @Requires.
import { Injectable, type CanActivate } from '@nestjs/common';
import { Requires } from '../access/requires';

/** No check of its own any more: the PermissionGuard decides from the route's declared permission. */
@Injectable()
export class AdminGuard implements CanActivate {
  canActivate(): boolean {
    return true;
  }
}

export const AdminsOnly = () => Requires('keys.manage', { national: true });
