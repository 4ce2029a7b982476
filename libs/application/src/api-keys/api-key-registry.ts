// Managed API keys as one process knows them: the `api-keys` stream folded in memory (re-read on a timer and
// when a key id is not known yet, so keys issued or revoked by another process count here within the
// refresh interval), keys checked by SHA-256 digest in constant time, and each key's last use kept outside
// the ledger (a use is no fact worth an event; the stored time is at most `usageFlushMs` behind).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  API_KEYS_STREAM_ID,
  apiKeyDecider,
  apiKeyStatus,
  evolveApiKeys,
  type ApiKeyEvent,
  type ApiKeyHolder,
  type ApiKeyRecord,
  type ApiKeysState,
} from '@ledger/domain';
import type { Actor, EventStore, StoredEvent } from '@ledger/event-store';
import { handleCommand, type CommandResult, type RequestContext } from '../command-handler';

/** Where each key's last use is kept: any store of small named JSON records (the followers' checkpoints). */
export interface ApiKeyUsageStore {
  get<State = unknown>(name: string): Promise<{ state?: State } | undefined>;
  save(name: string, position: number, state?: unknown): Promise<void>;
}

export const API_KEY_PREFIX = 'lck_';
const KEY_FORMAT = /^lck_([A-Za-z0-9]{16})_([A-Za-z0-9_-]{43})$/;
const DAY_MS = 86_400_000;
export const DEFAULT_API_KEY_LIFETIME_DAYS = 90;
export const DEFAULT_ROTATION_OVERLAP_HOURS = 24;

export type ApiKeyCheck =
  | { readonly ok: true; readonly keyId: string; readonly actor: Actor }
  | { readonly ok: false; readonly reason: 'unknown' | 'expired' | 'revoked'; readonly keyId?: string };

export interface ApiKeyView extends ApiKeyRecord {
  readonly status: 'active' | 'expired' | 'revoked';
  readonly lastUsedAt?: string;
}

/** A new key: `key` is shown this once and stored nowhere. */
export interface IssuedApiKey {
  readonly key: string;
  readonly record: ApiKeyView;
  readonly result: CommandResult;
}

export interface ApiKeyRegistryOptions {
  readonly usage?: ApiKeyUsageStore;
  readonly log?: { warn(message: unknown): void };
  /** Longest pause between two flushes of last-use times. */
  readonly usageFlushMs?: number;
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();
const usageName = (keyId: string) => `api-key-last-use:${keyId}`;

/** A fresh key: 16 letters or digits naming it (logged, listed), then 32 random bytes in base64url. */
export function newApiKey(): { keyId: string; key: string; secretSha256: string } {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const keyId = [...randomBytes(16)].map((byte) => alphabet[byte % alphabet.length]).join('');
  const key = `${API_KEY_PREFIX}${keyId}_${randomBytes(32).toString('base64url')}`;
  return { keyId, key, secretSha256: sha256(key).toString('hex') };
}

/** The key id a managed key names (not secret: for logs), or undefined for anything else. */
export const apiKeyIdOf = (presented: string): string | undefined => KEY_FORMAT.exec(presented)?.[1];

export class ApiKeyRegistry {
  private state: ApiKeysState = apiKeyDecider.initialState();
  private revision = -1;
  private reading: Promise<boolean> | undefined;
  private lastMissRefresh = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly lastUsed = new Map<string, string>();
  private readonly unflushed = new Set<string>();

  private constructor(
    private readonly store: EventStore,
    private readonly options: ApiKeyRegistryOptions,
  ) {}

  static async open(store: EventStore, options: ApiKeyRegistryOptions = {}): Promise<ApiKeyRegistry> {
    const registry = new ApiKeyRegistry(store, options);
    await registry.refresh();
    return registry;
  }

  /** Re-reads the stream every `refreshMs` and flushes last uses; `stop` ends both (and flushes). */
  start(refreshMs: number): void {
    this.stopTimers();
    const every = (ms: number, run: () => Promise<unknown>) => {
      const timer = setInterval(() => void run().catch((error: Error) => this.warn(error)), ms);
      timer.unref();
      return timer;
    };
    if (refreshMs > 0) this.timer = every(refreshMs, () => this.refresh());
    this.flushTimer = every(this.options.usageFlushMs ?? 60_000, () => this.flushUsage());
  }

  async stop(): Promise<void> {
    this.stopTimers();
    await this.flushUsage().catch((error: Error) => this.warn(error));
  }

  /** Checks a presented key (any string); a managed key's use is noted. */
  async authenticate(presented: string, now: Date = new Date()): Promise<ApiKeyCheck> {
    const keyId = apiKeyIdOf(presented);
    if (!keyId) return { ok: false, reason: 'unknown' };
    let record = this.state.keys.get(keyId);
    if (!record && Date.now() - this.lastMissRefresh >= 1_000) {
      // Issued by another process since the last read? At most one extra read a second for unknown ids.
      this.lastMissRefresh = Date.now();
      await this.refresh();
      record = this.state.keys.get(keyId);
    }
    if (!record || !timingSafeEqual(sha256(presented), Buffer.from(record.secretSha256, 'hex')))
      return { ok: false, reason: 'unknown', keyId };
    const status = apiKeyStatus(record, now.toISOString());
    if (status !== 'active') return { ok: false, reason: status, keyId };
    this.lastUsed.set(keyId, now.toISOString());
    this.unflushed.add(keyId);
    return { ok: true, keyId, actor: { ...record.holder } };
  }

  async issue(
    request: { holder: ApiKeyHolder; label?: string; expiresAt?: string },
    context: RequestContext,
  ): Promise<IssuedApiKey> {
    const fresh = newApiKey();
    const expiresAt =
      request.expiresAt ??
      new Date(Date.parse(context.now) + DEFAULT_API_KEY_LIFETIME_DAYS * DAY_MS).toISOString();
    const result = await this.execute(
      {
        type: 'IssueApiKey',
        data: {
          keyId: fresh.keyId,
          secretSha256: fresh.secretSha256,
          holder: request.holder,
          label: request.label,
          expiresAt,
        },
        metadata: { now: context.now, actor: context.actor },
      },
      context,
    );
    return { key: fresh.key, record: this.view(fresh.keyId)!, result };
  }

  /** A new key for the same holder; the old one stays valid until `overlapUntil` (default 24 h). */
  async rotate(
    keyId: string,
    request: { overlapUntil?: string; expiresAt?: string },
    context: RequestContext,
  ): Promise<IssuedApiKey & { readonly previous: ApiKeyView }> {
    const fresh = newApiKey();
    const now = Date.parse(context.now);
    const result = await this.execute(
      {
        type: 'RotateApiKey',
        data: {
          keyId,
          newKeyId: fresh.keyId,
          secretSha256: fresh.secretSha256,
          expiresAt:
            request.expiresAt ?? new Date(now + DEFAULT_API_KEY_LIFETIME_DAYS * DAY_MS).toISOString(),
          overlapUntil:
            request.overlapUntil ?? new Date(now + DEFAULT_ROTATION_OVERLAP_HOURS * 3_600_000).toISOString(),
        },
        metadata: { now: context.now, actor: context.actor },
      },
      context,
    );
    return { key: fresh.key, record: this.view(fresh.keyId)!, previous: this.view(keyId)!, result };
  }

  async revoke(keyId: string, reason: string, context: RequestContext): Promise<ApiKeyView> {
    await this.execute(
      { type: 'RevokeApiKey', data: { keyId, reason }, metadata: { now: context.now, actor: context.actor } },
      context,
    );
    return this.view(keyId)!;
  }

  /** Every key, newest first, with its status now and its last use (as stored, or newer in this process). */
  async list(now: Date = new Date()): Promise<ApiKeyView[]> {
    const stored = new Map<string, string>();
    if (this.options.usage)
      await Promise.all(
        [...this.state.keys.keys()].map(async (keyId) => {
          const at = (await this.options.usage!.get<{ lastUsedAt?: string }>(usageName(keyId)))?.state
            ?.lastUsedAt;
          if (at) stored.set(keyId, at);
        }),
      );
    return [...this.state.keys.keys()]
      .map((keyId) => this.view(keyId, now, stored.get(keyId))!)
      .sort((a, b) => b.issuedAt.localeCompare(a.issuedAt));
  }

  /** Reads what was appended since; true when anything was. */
  refresh(): Promise<boolean> {
    this.reading ??= this.readNewEvents().finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }

  private async execute(
    command: Parameters<typeof apiKeyDecider.decide>[0],
    context: RequestContext,
  ): Promise<CommandResult> {
    const result = await handleCommand({
      store: this.store,
      decider: apiKeyDecider,
      streamId: API_KEYS_STREAM_ID,
      command,
      // A retried request must not mint a second secret nor replay an answer without one: no idempotency key.
      request: { ...context, idempotencyKey: undefined, requestHash: undefined, policyVersion: undefined },
    });
    await this.refresh();
    return result;
  }

  private async readNewEvents(): Promise<boolean> {
    const newer = (await this.store.readStream(API_KEYS_STREAM_ID, {
      fromRevision: this.revision + 1,
    })) as StoredEvent[];
    if (newer.length === 0) return false;
    for (const event of newer)
      this.state = evolveApiKeys(this.state, event as unknown as ApiKeyEvent, event.metadata.actor?.userId);
    this.revision = newer[newer.length - 1]!.revision;
    return true;
  }

  private view(keyId: string, now: Date = new Date(), storedLastUse?: string): ApiKeyView | undefined {
    const record = this.state.keys.get(keyId);
    if (!record) return undefined;
    const here = this.lastUsed.get(keyId);
    const lastUsedAt = [here, storedLastUse]
      .filter((at): at is string => !!at)
      .sort()
      .at(-1);
    return {
      ...record,
      status: apiKeyStatus(record, now.toISOString()),
      ...(lastUsedAt ? { lastUsedAt } : {}),
    };
  }

  /** Writes the last uses noted since the previous flush (on a timer, and at stop). */
  async flushUsage(): Promise<void> {
    const usage = this.options.usage;
    if (!usage || this.unflushed.size === 0) return;
    const keyIds = [...this.unflushed];
    this.unflushed.clear();
    for (const keyId of keyIds) {
      const lastUsedAt = this.lastUsed.get(keyId)!;
      try {
        await usage.save(usageName(keyId), 0, { lastUsedAt });
      } catch (error) {
        this.unflushed.add(keyId);
        throw error;
      }
    }
  }

  private stopTimers(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.flushTimer) clearInterval(this.flushTimer);
    this.timer = this.flushTimer = undefined;
  }

  private warn(error: Error): void {
    this.options.log?.warn({ msg: 'API keys: refresh or usage flush failed', reason: error.message });
  }
}
