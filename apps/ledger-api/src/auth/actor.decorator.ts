import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Actor } from '@ledger/event-store';
import type { AuthenticatedRequest } from './api-key.guard';

/** The authenticated caller (the guard has run). */
export const CurrentActor = createParamDecorator(
  (_: unknown, context: ExecutionContext): Actor | undefined => {
    return context.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  },
);
