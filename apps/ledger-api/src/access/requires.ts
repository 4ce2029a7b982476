// Every route says which permission it needs (or that it is public): the guard checks the role, the
// handler checks the target (jurisdiction, department, whose data), and the OpenAPI document carries the
// permission as `x-permission` so the access matrix test is generated from it.
import { applyDecorators, HttpException, HttpStatus, SetMetadata } from '@nestjs/common';
import { ApiExtension, ApiForbiddenResponse } from '@nestjs/swagger';
import type { AccessRefused, Permission } from '@ledger/domain';
import { ErrorResponse } from '../errors/error-response';

export const REQUIRED_PERMISSION = Symbol('REQUIRED_PERMISSION');
export const NATIONAL_SCOPE = Symbol('NATIONAL_SCOPE');
export const PERMISSION_EXTENSION = 'x-permission';
/** `national`: the route acts on the whole country (the working calendar, the global feed). */
export const PERMISSION_SCOPE_EXTENSION = 'x-permission-scope';

export interface RequiresOptions {
  /** Only callers whose jurisdiction is national (000000) may use the permission here. */
  readonly national?: boolean;
}

export const ACCESS_REFUSALS_DOC =
  'ACCESS.PERMISSION_REQUIRED (the role lacks `permission`), ACCESS.OUTSIDE_JURISDICTION or ' +
  'ACTOR.OUTSIDE_JURISDICTION (the target lies outside the caller’s divisions), ACCESS.NOT_RECORDING_DEPARTMENT ' +
  '(only the recording department or its superior corrects or revokes); `permission` names the permission asked for';

/** The permission a route needs; documented as `x-permission` and as its 403 answer. */
export const Requires = (permission: Permission, options: RequiresOptions = {}) =>
  applyDecorators(
    SetMetadata(REQUIRED_PERMISSION, permission),
    ApiExtension(PERMISSION_EXTENSION, permission),
    ...(options.national
      ? [SetMetadata(NATIONAL_SCOPE, true), ApiExtension(PERMISSION_SCOPE_EXTENSION, 'national')]
      : []),
    ApiForbiddenResponse({
      type: ErrorResponse,
      description: `Needs ${permission}${options.national ? ' with a national jurisdiction (000000)' : ''}. ${ACCESS_REFUSALS_DOC}`,
    }),
  );

/** A refusal: 403 with a stable code and the permission that was missing or may not be used here. */
export class AccessForbidden extends HttpException {
  constructor(refusal: Pick<AccessRefused, 'code' | 'message' | 'missingPermission'>) {
    super(
      { code: refusal.code, message: refusal.message, permission: refusal.missingPermission },
      HttpStatus.FORBIDDEN,
    );
  }
}
