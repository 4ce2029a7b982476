// Managed API keys: issued to a holder (the actor the key stands for) until an expiry, rotated (a new key for
// the same holder, the old one kept valid for an overlap), revoked. One `api-keys` stream holds every key's
// lifecycle — a few events per key, so every process loads it whole at start and decides against one state.
// The stream holds SHA-256 digests of the keys, never the keys: a key is shown once, when it is issued.
import { assertNever, type Decider } from '../decider';
import type { Actor } from '../command-metadata';
import { Conflict, InvalidInput, NotFound, RuleViolation } from '../errors';
import { requireText } from '../input-checks';

import { defaultAccessPolicy } from '../access/default-access-policy';

/** Roles a key may stand for: the roles of the access policy (a role it does not name could do nothing). */
export const API_KEY_ROLES: readonly string[] = Object.keys(defaultAccessPolicy.roles);

/** Longest life a key may be issued with: keys that never expire are how shared secrets leak for years. */
export const MAX_API_KEY_LIFETIME_DAYS = 397;
/** Longest overlap of an old key with its replacement. */
export const MAX_ROTATION_OVERLAP_DAYS = 30;

export type ApiKeyHolder = Actor;

interface CommandMetadata {
  readonly now: string;
  readonly actor: Actor;
}

export interface IssueApiKey {
  readonly type: 'IssueApiKey';
  readonly data: {
    readonly keyId: string;
    /** Hex SHA-256 of the whole key (its secret part has 256 random bits, so no salt or slow hash is needed). */
    readonly secretSha256: string;
    readonly holder: ApiKeyHolder;
    readonly label?: string;
    readonly expiresAt: string;
  };
  readonly metadata: CommandMetadata;
}

export interface RotateApiKey {
  readonly type: 'RotateApiKey';
  readonly data: {
    readonly keyId: string;
    readonly newKeyId: string;
    readonly secretSha256: string;
    readonly expiresAt: string;
    /** Until when the old key stays valid beside the new one (never beyond its own expiry). */
    readonly overlapUntil: string;
  };
  readonly metadata: CommandMetadata;
}

export interface RevokeApiKey {
  readonly type: 'RevokeApiKey';
  readonly data: { readonly keyId: string; readonly reason: string };
  readonly metadata: CommandMetadata;
}

export type ApiKeyCommand = IssueApiKey | RotateApiKey | RevokeApiKey;

export interface ApiKeyIssued {
  readonly type: 'ApiKeyIssued';
  readonly data: {
    readonly keyId: string;
    readonly secretSha256: string;
    readonly holder: ApiKeyHolder;
    readonly label?: string;
    readonly issuedAt: string;
    readonly expiresAt: string;
    /** Set when the key replaces another, which then expires at `previousKeyExpiresAt`. */
    readonly rotatedFrom?: string;
    readonly previousKeyExpiresAt?: string;
  };
}

export interface ApiKeyRevoked {
  readonly type: 'ApiKeyRevoked';
  readonly data: { readonly keyId: string; readonly reason: string; readonly revokedAt: string };
}

export type ApiKeyEvent = ApiKeyIssued | ApiKeyRevoked;

export interface ApiKeyRecord {
  readonly keyId: string;
  readonly secretSha256: string;
  readonly holder: ApiKeyHolder;
  readonly label?: string;
  readonly issuedAt: string;
  readonly issuedBy: string | undefined;
  readonly expiresAt: string;
  readonly rotatedFrom?: string;
  readonly replacedBy?: string;
  readonly revokedAt?: string;
  readonly revocationReason?: string;
}

export interface ApiKeysState {
  readonly keys: ReadonlyMap<string, ApiKeyRecord>;
}

/** Whether a key authenticates at `now`: not revoked, not expired. */
export const apiKeyStatus = (key: ApiKeyRecord, now: string): 'active' | 'expired' | 'revoked' =>
  key.revokedAt !== undefined
    ? 'revoked'
    : Date.parse(key.expiresAt) <= Date.parse(now)
      ? 'expired'
      : 'active';

const KEY_ID = /^[A-Za-z0-9]{8,32}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const DIVISION = /^\d{6}$/;
const DAY_MS = 86_400_000;

const invalid = (message: string, field: string) =>
  new InvalidInput('INPUT.INVALID_VALUE', message, { field });

function requireInstantAfter(field: string, value: string, now: string, maxDays: number): string {
  const at = Date.parse(value);
  if (typeof value !== 'string' || Number.isNaN(at) || !/(Z|[+-]\d{2}:\d{2})$/.test(value))
    throw invalid(`${field} must be an ISO 8601 instant with a zone`, field);
  if (at <= Date.parse(now)) throw invalid(`${field} must be in the future`, field);
  if (at - Date.parse(now) > maxDays * DAY_MS)
    throw invalid(`${field} must be at most ${maxDays} days ahead`, field);
  return new Date(at).toISOString();
}

function requireNewKey(state: ApiKeysState, keyId: string, secretSha256: string): void {
  if (!KEY_ID.test(keyId)) throw invalid('keyId must be 8-32 letters or digits', 'keyId');
  if (!SHA256_HEX.test(secretSha256)) throw invalid('secretSha256 must be 64 hex digits', 'secretSha256');
  if (state.keys.has(keyId))
    throw new Conflict('API_KEY.ALREADY_EXISTS', `API key ${keyId} exists already`, { keyId });
}

function requireHolder(holder: ApiKeyHolder): ApiKeyHolder {
  const userId = requireText('userId', holder?.userId).trim();
  const department = requireText('department', holder.department).trim();
  if (!API_KEY_ROLES.includes(holder.role))
    throw invalid(`role must be one of ${API_KEY_ROLES.join(', ')}`, 'role');
  if (!DIVISION.test(holder.jurisdiction))
    throw invalid('jurisdiction must be a 6-digit division code', 'jurisdiction');
  return { userId, role: holder.role, department, jurisdiction: holder.jurisdiction };
}

function requireKey(state: ApiKeysState, keyId: string): ApiKeyRecord {
  const key = state.keys.get(keyId);
  if (!key) throw new NotFound('API_KEY.NOT_FOUND', `No API key ${keyId}`, { keyId });
  return key;
}

function decide(command: ApiKeyCommand, state: ApiKeysState): ApiKeyEvent[] {
  const { now } = command.metadata;
  switch (command.type) {
    case 'IssueApiKey': {
      const { keyId, secretSha256, label } = command.data;
      requireNewKey(state, keyId, secretSha256);
      const holder = requireHolder(command.data.holder);
      const expiresAt = requireInstantAfter(
        'expiresAt',
        command.data.expiresAt,
        now,
        MAX_API_KEY_LIFETIME_DAYS,
      );
      return [
        {
          type: 'ApiKeyIssued',
          data: {
            keyId,
            secretSha256,
            holder,
            ...(label?.trim() ? { label: label.trim() } : {}),
            issuedAt: now,
            expiresAt,
          },
        },
      ];
    }
    case 'RotateApiKey': {
      const old = requireKey(state, command.data.keyId);
      const status = apiKeyStatus(old, now);
      if (status !== 'active')
        throw new RuleViolation('API_KEY.NOT_ACTIVE', `API key ${old.keyId} is ${status}: issue a new key`, {
          keyId: old.keyId,
          status,
        });
      if (old.replacedBy)
        throw new Conflict('API_KEY.ALREADY_ROTATED', `API key ${old.keyId} was rotated already`, {
          keyId: old.keyId,
          replacedBy: old.replacedBy,
        });
      const { newKeyId, secretSha256 } = command.data;
      requireNewKey(state, newKeyId, secretSha256);
      const expiresAt = requireInstantAfter(
        'expiresAt',
        command.data.expiresAt,
        now,
        MAX_API_KEY_LIFETIME_DAYS,
      );
      const overlapUntil = requireInstantAfter(
        'overlapUntil',
        command.data.overlapUntil,
        now,
        MAX_ROTATION_OVERLAP_DAYS,
      );
      const previousKeyExpiresAt =
        Date.parse(overlapUntil) < Date.parse(old.expiresAt) ? overlapUntil : old.expiresAt;
      return [
        {
          type: 'ApiKeyIssued',
          data: {
            keyId: newKeyId,
            secretSha256,
            holder: old.holder,
            ...(old.label ? { label: old.label } : {}),
            issuedAt: now,
            expiresAt,
            rotatedFrom: old.keyId,
            previousKeyExpiresAt,
          },
        },
      ];
    }
    case 'RevokeApiKey': {
      const key = requireKey(state, command.data.keyId);
      const reason = requireText('reason', command.data.reason).trim();
      if (key.revokedAt)
        throw new Conflict('API_KEY.ALREADY_REVOKED', `API key ${key.keyId} was revoked already`, {
          keyId: key.keyId,
        });
      return [{ type: 'ApiKeyRevoked', data: { keyId: key.keyId, reason, revokedAt: now } }];
    }
    default:
      return assertNever(command);
  }
}

/** `issuedBy` comes from the stored event's actor, which the decider's events do not carry. */
export function evolveApiKeys(state: ApiKeysState, event: ApiKeyEvent, issuedBy?: string): ApiKeysState {
  const keys = new Map(state.keys);
  switch (event.type) {
    case 'ApiKeyIssued': {
      const { rotatedFrom, previousKeyExpiresAt, ...data } = event.data;
      keys.set(data.keyId, { ...data, issuedBy, ...(rotatedFrom ? { rotatedFrom } : {}) });
      const old = rotatedFrom ? keys.get(rotatedFrom) : undefined;
      if (old)
        keys.set(old.keyId, {
          ...old,
          replacedBy: data.keyId,
          expiresAt: previousKeyExpiresAt ?? old.expiresAt,
        });
      return { keys };
    }
    case 'ApiKeyRevoked': {
      const key = keys.get(event.data.keyId);
      if (key)
        keys.set(key.keyId, { ...key, revokedAt: event.data.revokedAt, revocationReason: event.data.reason });
      return { keys };
    }
    default:
      return assertNever(event);
  }
}

export const apiKeyDecider: Decider<ApiKeyCommand, ApiKeyEvent, ApiKeysState> = {
  decide,
  evolve: (state, event) => evolveApiKeys(state, event),
  initialState: () => ({ keys: new Map() }),
};
