// Audit endpoints serve raw events (full ID numbers included, so hashes can be recomputed): only callers
// whose API key carries the role `auditor` (or `admin`) may use them.
import {
  applyDecorators,
  ForbiddenException,
  Injectable,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { ApiForbiddenResponse } from '@nestjs/swagger';
import type { Actor } from '@ledger/event-store';
import type { AuthenticatedRequest } from '../../auth/api-key.guard';
import { ErrorResponse } from '../../errors/error-response';

export const AUDITOR_ROLES: readonly string[] = ['auditor', 'admin'];

export const isAuditor = (actor: Actor | undefined): boolean =>
  actor !== undefined && AUDITOR_ROLES.includes(actor.role);

@Injectable()
export class AuditorGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const { actor } = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!isAuditor(actor)) {
      throw new ForbiddenException({
        code: 'AUTH.AUDITOR_ROLE_REQUIRED',
        message: `Only ${AUDITOR_ROLES.join(' or ')} API keys may use audit endpoints`,
      });
    }
    return true;
  }
}

export const AuditorsOnly = () =>
  applyDecorators(
    UseGuards(AuditorGuard),
    ApiForbiddenResponse({
      type: ErrorResponse,
      description: 'AUTH.AUDITOR_ROLE_REQUIRED: the API key is not an auditor’s (role auditor or admin)',
    }),
  );
