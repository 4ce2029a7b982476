// Runs after authentication: a route's permission against the caller's role. Target checks (jurisdiction,
// department, natural persons) need the target and happen where it is loaded.
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { authorize, NATIONAL_DIVISION, type AccessPolicy, type Permission } from '@ledger/domain';
import { isPublicRoute, type AuthenticatedRequest } from '../auth/api-key.guard';
import { ACCESS_POLICY } from './access-policy.provider';
import { AccessForbidden, NATIONAL_SCOPE, REQUIRED_PERMISSION } from './requires';

/** The request as the guard leaves it: the route's permission, so later refusals can name it. */
export interface PermittedRequest extends AuthenticatedRequest {
  permission?: Permission;
}

@Injectable()
export class PermissionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(ACCESS_POLICY) private readonly policy: AccessPolicy,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (isPublicRoute(this.reflector, context)) return true;
    const request = context.switchToHttp().getRequest<PermittedRequest>();
    const targets = [context.getHandler(), context.getClass()];
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(REQUIRED_PERMISSION, targets);
    // The start-up check refuses such routes; this keeps one that slipped through closed.
    if (!permission || !request.actor)
      throw new AccessForbidden({
        code: 'ACCESS.PERMISSION_REQUIRED',
        message: 'This route declares no permission',
        missingPermission: 'policies.manage',
      });
    request.permission = permission;
    const national = this.reflector.getAllAndOverride<boolean | undefined>(NATIONAL_SCOPE, targets) === true;
    const decision = authorize(
      this.policy,
      request.actor,
      permission,
      national ? { jurisdiction: NATIONAL_DIVISION } : {},
    );
    if (!decision.allowed) throw new AccessForbidden(decision);
    return true;
  }
}
