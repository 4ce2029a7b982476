// Endpoints that change what every decision depends on (the working calendar): only callers whose API key
// carries the role `admin`. A permission model (DESIGN.md "Roles map to permissions") replaces this check.
import {
  applyDecorators,
  ForbiddenException,
  Injectable,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { ApiForbiddenResponse } from '@nestjs/swagger';
import { ErrorResponse } from '../errors/error-response';
import type { AuthenticatedRequest } from './api-key.guard';

@Injectable()
export class AdminGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const { actor } = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (actor?.role !== 'admin') {
      throw new ForbiddenException({
        code: 'AUTH.ADMIN_ROLE_REQUIRED',
        message: 'Only admin API keys may do this',
      });
    }
    return true;
  }
}

export const AdminsOnly = () =>
  applyDecorators(
    UseGuards(AdminGuard),
    ApiForbiddenResponse({
      type: ErrorResponse,
      description: 'AUTH.ADMIN_ROLE_REQUIRED: the API key is not an admin’s',
    }),
  );
