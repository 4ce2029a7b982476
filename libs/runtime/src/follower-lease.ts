// Who runs the feed followers when several processes share one PostgreSQL store: the one holding the
// `followers` lease (PostgresLeases). The others stand by and try again every `pollMs`; the holder renews
// every third of the lease's life and, from the moment it got it, fences the read models' and checkpoints'
// writes with its token. Losing it (a renewal refused, or none possible before it expired) is final for
// the process: its followers stop and `onLost` is told (the apps exit, an orchestrator starts them again).
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { LeaseGrant, PostgresLeases } from '@ledger/projections';

export interface LeaseState {
  readonly name: string;
  /** This process's identity as a holder. */
  readonly holder: string;
  /** `standby` until acquired; `held` while it renews; `lost` or `released` after. */
  readonly state: 'standby' | 'held' | 'lost' | 'released';
  /** The fencing token while held. */
  readonly token?: number;
  readonly acquiredAt?: string;
}

export interface FollowerLeaseOptions {
  readonly name?: string;
  readonly ttlMs: number;
  readonly pollMs: number;
  readonly log: { log(entry: object): void; warn(entry: object): void; error(entry: object): void };
}

export class FollowerLease {
  readonly name: string;
  readonly holder = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private grant: LeaseGrant | undefined;
  private status: LeaseState['state'] = 'standby';
  private acquiredAt: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private lostHandler: (() => void) | undefined;

  constructor(
    private readonly leases: PostgresLeases,
    private readonly options: FollowerLeaseOptions,
  ) {
    this.name = options.name ?? 'followers';
  }

  get state(): LeaseState {
    return {
      name: this.name,
      holder: this.holder,
      state: this.status,
      ...(this.grant && this.status === 'held'
        ? { token: this.grant.token, acquiredAt: this.acquiredAt }
        : {}),
    };
  }

  /** Resolves with the grant once this process holds the lease, or undefined when stopped first. */
  async acquire(): Promise<LeaseGrant | undefined> {
    while (!this.stopped) {
      try {
        const grant = await this.leases.tryAcquire(this.name, this.holder, this.options.ttlMs);
        if (grant) {
          if (this.stopped) {
            await this.leases.release(grant).catch(() => undefined);
            return undefined;
          }
          this.grant = grant;
          this.status = 'held';
          this.acquiredAt = new Date().toISOString();
          this.options.log.log({
            msg: 'lease acquired',
            lease: this.name,
            token: grant.token,
            holder: this.holder,
          });
          this.scheduleRenewal(Date.now() + this.options.ttlMs);
          return grant;
        }
      } catch (error) {
        this.options.log.warn({
          msg: 'lease not acquirable now',
          lease: this.name,
          reason: (error as Error).message,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, this.options.pollMs).unref());
    }
    return undefined;
  }

  /** Called once when the lease is lost (not when released). */
  onLost(handler: () => void): void {
    this.lostHandler = handler;
  }

  private scheduleRenewal(expiresBy: number): void {
    this.timer = setTimeout(() => void this.renew(expiresBy), Math.floor(this.options.ttlMs / 3));
  }

  private async renew(expiresBy: number): Promise<void> {
    const grant = this.grant;
    if (!grant || this.status !== 'held') return;
    const startedAt = Date.now();
    let renewed: boolean | undefined;
    try {
      renewed = await this.leases.renew(grant, this.options.ttlMs);
    } catch (error) {
      // The database is unreachable: keep trying while the lease may still be ours.
      this.options.log.warn({
        msg: 'lease renewal failed',
        lease: this.name,
        reason: (error as Error).message,
      });
    }
    if (this.status !== 'held') return;
    if (renewed) return this.scheduleRenewal(startedAt + this.options.ttlMs);
    if (renewed === false || Date.now() >= expiresBy) return this.lose();
    this.scheduleRenewal(expiresBy);
  }

  private lose(): void {
    this.status = 'lost';
    this.options.log.error({ msg: 'lease lost: followers stop', lease: this.name, token: this.grant?.token });
    this.lostHandler?.();
  }

  /** Stops standing by or renewing; gives a held lease up so another process takes over at once. */
  async release(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const grant = this.grant;
    if (grant && this.status === 'held') {
      this.status = 'released';
      await this.leases.release(grant).catch(() => undefined);
      this.options.log.log({ msg: 'lease released', lease: this.name, token: grant.token });
    }
    await this.leases.close().catch(() => undefined);
  }
}
