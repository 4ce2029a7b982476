// Who may scrape /metrics where there is no Nest guard (the worker's HTTP server): an API key (X-API-Key, or as
// `Authorization: Bearer`, the way Prometheus sends it) of a role holding `metrics.read`. Static keys
// (LEDGER_API_KEYS) are compared in constant time, then managed keys are asked. Tokens of the identity
// provider are checked by the API only.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiKeyRegistry } from '@ledger/application';
import { defaultAccessPolicy, hasPermission } from '@ledger/domain';
import type { Actor } from '@ledger/event-store';
import type { ApiKeys } from '../config/api-keys';

export type ScrapeCheck = 'allowed' | 'unauthenticated' | 'forbidden';

const digest = (value: string) => createHash('sha256').update(value).digest();

export function metricsAccess(
  staticKeys: ApiKeys | undefined,
  managedKeys: Pick<ApiKeyRegistry, 'authenticate'>,
): (headers: Record<string, string | string[] | undefined>) => Promise<ScrapeCheck> {
  const known = [...(staticKeys ?? new Map<string, Actor>())].map(([key, actor]) => ({
    hash: digest(key),
    actor,
  }));
  return async (headers) => {
    const authorization = typeof headers.authorization === 'string' ? headers.authorization : '';
    const bearer = /^Bearer (\S+)$/i.exec(authorization)?.[1];
    const presented = bearer ?? (typeof headers['x-api-key'] === 'string' ? headers['x-api-key'] : undefined);
    if (!presented) return 'unauthenticated';
    const hash = digest(presented);
    let actor: Actor | undefined;
    for (const key of known) if (timingSafeEqual(key.hash, hash)) actor = key.actor;
    if (!actor) {
      const check = await managedKeys.authenticate(presented);
      if (check.ok) actor = check.actor;
    }
    if (!actor) return 'unauthenticated';
    return hasPermission(defaultAccessPolicy, actor, 'metrics.read') ? 'allowed' : 'forbidden';
  };
}
