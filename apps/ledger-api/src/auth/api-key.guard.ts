// Authenticates every call: a bearer JWT from the province's identity provider (when LEDGER_OIDC_ISSUER is
// set), or an API key (X-API-Key, or `Authorization: Bearer <key>` for a key that is not a JWT). Sets
// `request.actor`, which everything downstream (role checks, the events' actor) reads. Refusals are 401 with
// a stable code (403 for a valid token the ledger cannot use, 503 when the provider cannot be reached), each
// logged without the credential.
import {
  CanActivate,
  ExecutionContext,
  HttpException,
  Inject,
  Injectable,
  Logger,
  Optional,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKeyRegistry } from '@ledger/application';
import type { Actor } from '@ledger/event-store';
import { API_KEYS, StaticApiKeys, type ApiKeys } from './api-keys';
import { actorFromClaims, AuthenticationRefused, looksLikeJwt, TokenVerifier } from './token-verifier';

export const PUBLIC_ROUTE = Symbol('PUBLIC');
/** Marks a route anyone may call (health, public disclosure). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** Whether the route (or its controller) is marked @Public(). */
export const isPublicRoute = (reflector: Reflector, context: ExecutionContext): boolean =>
  reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()]) === true;

export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');

/** How the caller proved who they are (beside the actor; not written into events). */
export interface Authentication {
  readonly method: 'token' | 'api-key';
  /** A managed key's id (not secret). */
  readonly keyId?: string;
  /** The token's `sub` (stable at the provider even when the username changes). */
  readonly subject?: string;
  readonly issuer?: string;
}

export interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  actor?: Actor;
  authentication?: Authentication;
  method?: string;
  url?: string;
  ip?: string;
}

type Credential = { kind: 'token' | 'api-key'; value: string };

@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly log = new Logger('Auth');
  private readonly staticKeys: StaticApiKeys;

  constructor(
    @Inject(API_KEYS) keys: ApiKeys,
    private readonly reflector: Reflector,
    @Optional() private readonly managedKeys?: ApiKeyRegistry,
    @Optional() @Inject(TOKEN_VERIFIER) private readonly tokens?: TokenVerifier,
  ) {
    this.staticKeys = new StaticApiKeys(keys);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const isPublic = isPublicRoute(this.reflector, context);
    const credential = credentialOf(request);
    if (!credential) {
      if (isPublic) return true;
      throw this.refuse(
        request,
        undefined,
        new AuthenticationRefused(
          401,
          'AUTH.MISSING_API_KEY',
          'Send a bearer token (Authorization: Bearer) or an API key (X-API-Key)',
          'no credential',
        ),
        context,
      );
    }
    try {
      await this.authenticate(request, credential);
    } catch (error) {
      // A public route serves anonymous callers the same as callers whose credential failed.
      if (isPublic) return true;
      if (error instanceof AuthenticationRefused) throw this.refuse(request, credential, error, context);
      throw error;
    }
    return true;
  }

  private async authenticate(request: AuthenticatedRequest, credential: Credential): Promise<void> {
    if (credential.kind === 'token') {
      if (!this.tokens)
        throw new AuthenticationRefused(
          401,
          'AUTH.TOKENS_NOT_ACCEPTED',
          'This ledger accepts no bearer tokens (no identity provider is configured); use an API key',
          'no identity provider configured',
        );
      const chosen = header(request, 'x-ledger-role');
      const payload = await this.tokens.verify(credential.value);
      request.actor = actorFromClaims(payload, this.tokens.settings, chosen);
      request.authentication = { method: 'token', subject: payload.sub, issuer: payload.iss };
      return;
    }
    const actor = this.staticKeys.match(credential.value);
    if (actor) {
      request.actor = actor;
      request.authentication = { method: 'api-key' };
      return;
    }
    const check = this.managedKeys
      ? await this.managedKeys.authenticate(credential.value)
      : ({ ok: false, reason: 'unknown' } as const);
    if (check.ok) {
      request.actor = check.actor;
      request.authentication = { method: 'api-key', keyId: check.keyId };
      return;
    }
    const keyId = check.keyId ? { keyId: check.keyId } : undefined;
    if (check.reason === 'expired')
      throw new AuthenticationRefused(
        401,
        'AUTH.API_KEY_EXPIRED',
        'The API key has expired',
        'expired',
        keyId,
      );
    if (check.reason === 'revoked')
      throw new AuthenticationRefused(
        401,
        'AUTH.API_KEY_REVOKED',
        'The API key was revoked',
        'revoked',
        keyId,
      );
    throw new AuthenticationRefused(401, 'AUTH.UNKNOWN_API_KEY', 'The API key is not known', 'unknown key');
  }

  private refuse(
    request: AuthenticatedRequest,
    credential: Credential | undefined,
    refusal: AuthenticationRefused,
    context: ExecutionContext,
  ): HttpException {
    this.log.warn({
      msg: 'authentication failed',
      code: refusal.code,
      reason: refusal.reason,
      credential: credential?.kind ?? 'none',
      // A managed key's id is not secret; the key itself never appears.
      ...(refusal.details?.keyId ? { keyId: refusal.details.keyId } : {}),
      method: request.method,
      // The path only: query strings may carry identifiers.
      path: request.url?.split('?')[0],
      ip: request.ip,
    });
    if (refusal.status === 401) {
      // RFC 6750 §3: tell a client that sent a token what was wrong with it.
      const reply = context.switchToHttp().getResponse<{ header(name: string, value: string): unknown }>();
      reply.header(
        'www-authenticate',
        credential?.kind === 'token'
          ? `Bearer error="invalid_token", error_description="${refusal.code}"`
          : 'Bearer',
      );
    }
    return new HttpException(
      {
        code: refusal.code,
        message: refusal.message,
        ...(refusal.details ? { details: refusal.details } : {}),
      },
      refusal.status,
    );
  }
}

function header(request: AuthenticatedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function credentialOf(request: AuthenticatedRequest): Credential | undefined {
  const key = header(request, 'x-api-key');
  if (key) return { kind: 'api-key', value: key };
  const authorization = header(request, 'authorization');
  if (!authorization || !/^bearer /i.test(authorization)) return undefined;
  const value = authorization.slice(7).trim();
  return value ? { kind: looksLikeJwt(value) ? 'token' : 'api-key', value } : undefined;
}
