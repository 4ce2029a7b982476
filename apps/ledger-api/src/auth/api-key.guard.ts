import {
  CanActivate,
  ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Actor } from '@ledger/event-store';
import { API_KEYS, type ApiKeys } from './api-keys';

export const PUBLIC_ROUTE = Symbol('PUBLIC');
/** Marks a route anyone may call (health, public disclosure). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** Whether the route (or its controller) is marked @Public(). */
export const isPublicRoute = (reflector: Reflector, context: ExecutionContext): boolean =>
  reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()]) === true;

export interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  actor?: Actor;
}

@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    @Inject(API_KEYS) private readonly keys: ApiKeys,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = apiKeyOf(request);
    const actor = key ? this.keys.get(key) : undefined;
    if (actor) request.actor = actor;
    if (isPublicRoute(this.reflector, context)) return true;
    if (!key)
      throw new UnauthorizedException({
        code: 'AUTH.MISSING_API_KEY',
        message: 'Send an API key in the X-API-Key header',
      });
    if (!actor)
      throw new UnauthorizedException({ code: 'AUTH.UNKNOWN_API_KEY', message: 'The API key is not known' });
    return true;
  }
}

function apiKeyOf(request: AuthenticatedRequest): string | undefined {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header) return header;
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string' && authorization.startsWith('Bearer ')) return authorization.slice(7);
  return undefined;
}
