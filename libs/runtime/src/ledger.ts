// The composition root every process builds on: the configuration, the stores it names, the command
// runners, and the followers of the feed. The API wraps it in Nest providers, the worker adds a /health
// server, the CLI opens only the stores it needs (see stores.ts).
import {
  ApiKeyRegistry,
  DisciplineCases,
  SubjectCommands,
  WorkingCalendars,
  type SubjectCommandExecutor,
} from '@ledger/application';
import { warnIfCalendarRunsOut } from './calendar-warning';
import type { LedgerConfig } from './config/ledger-config';
import { Followers } from './followers';
import { checkHealth, type HealthReport } from './health';
import { LedgerMetrics } from './metrics/ledger-metrics';
import { logFor, silentLogger, type LedgerLogger } from './logging/ledger-logger';
import { followedElsewhere, followedHere, type ReadModelProgress } from './read-model-progress';
import { openStores, type LedgerStores } from './stores';
import { FollowerLease, type LeaseState } from './follower-lease';
import { PostgresLeases } from '@ledger/projections';

export interface LedgerOptions {
  readonly logger?: LedgerLogger;
}

export class Ledger {
  /** Subject commands, decided and appended (once more when another process recorded a calendar year). */
  readonly subjects: SubjectCommandExecutor;
  /** Joint-discipline case commands (and a case's status). */
  readonly cases: DisciplineCases;
  readonly followers: Followers;
  /** How far the read models are, whether this process follows the feed or another one does. */
  readonly readModels: ReadModelProgress;
  /** On PostgreSQL with followers: the lease that decides whether they run here. */
  readonly lease: FollowerLease | undefined;
  /** Prometheus metrics; absent with LEDGER_METRICS=off. */
  readonly metrics: LedgerMetrics | undefined;
  private stopping: Promise<void> | undefined;
  private followersRunning: Promise<void> | undefined;
  private leaseLostHandlers: Array<() => void> = [];
  private readonly log;

  private constructor(
    readonly config: LedgerConfig,
    readonly stores: LedgerStores,
    /** The working calendar every decision of this process uses (package years and recorded notices). */
    readonly calendars: WorkingCalendars,
    /** Managed API keys (the `api-keys` stream), re-read every LEDGER_API_KEY_REFRESH_MS. */
    readonly apiKeys: ApiKeyRegistry,
    logger: LedgerLogger,
    leases: PostgresLeases | undefined,
  ) {
    const runnerOptions = { policyVersion: config.policyVersion, calendar: calendars.current };
    const metrics = config.metricsEnabled ? new LedgerMetrics() : undefined;
    this.metrics = metrics;
    // Commands append through a store whose appends are timed; followers read the store itself.
    const commandStore = metrics ? metrics.timeAppends(stores.events) : stores.events;
    const subjects = new SubjectCommands(commandStore, runnerOptions);
    const execute = calendars.retryOnUnknownYear(subjects.execute.bind(subjects));
    this.subjects = { execute: metrics ? metrics.countCommands(execute) : execute };
    this.cases = new DisciplineCases(commandStore, runnerOptions);
    if (metrics) this.cases.execute = metrics.countCommands(this.cases.execute.bind(this.cases));
    this.followers = new Followers(
      config,
      stores,
      { subjects: this.subjects, cases: this.cases, calendars },
      logger,
    );
    this.log = logFor(logger, 'Workers');
    this.lease = leases
      ? new FollowerLease(leases, { ttlMs: config.leaseTtlMs, pollMs: config.leasePollMs, log: this.log })
      : undefined;
    const here = followedHere(this.followers.readModels);
    const elsewhere = followedElsewhere(stores.documents);
    // A process standing by for the lease reads the progress of the one holding it from the checkpoints.
    this.readModels = !config.runWorkers
      ? elsewhere
      : !this.lease
        ? here
        : {
            position: () => (this.lease!.state.state === 'held' ? here : elsewhere).position(),
            waitFor: (p, ms) => (this.lease!.state.state === 'held' ? here : elsewhere).waitFor(p, ms),
          };
    if (!config.digestsEnabled) {
      this.log.warn({
        msg: 'LEDGER_DIGESTS is deprecated: on PostgreSQL the followers lease decides which process makes digests',
      });
    }
    if (metrics) this.measureFollowers(metrics);
  }

  private measureFollowers(metrics: LedgerMetrics): void {
    const { config, followers, stores } = this;
    metrics.followFeeds(stores.events, () => (config.runWorkers ? followers.feeds() : []));
    metrics.followMessaging({
      relayPublished: () => followers.messaging?.relay?.published,
      feedbackHandled: () => followers.messaging?.feedback?.handled,
      deadLettersByCode: () => followers.messaging?.feedback?.health.deadLettersByCode,
    });
    const digests = stores.digests;
    if (digests) metrics.followDigests(async () => (await digests.latest())?.createdAt);
  }

  /** Opens the stores and builds the runners; nothing follows the feed until `start`. */
  static async open(config: LedgerConfig, options: LedgerOptions = {}): Promise<Ledger> {
    const logger = options.logger ?? silentLogger;
    const stores = await openStores(config, logger);
    const calendars = await WorkingCalendars.open(stores.events, { log: logFor(logger, 'Calendar') });
    const file = config.calendarFile;
    if (file) await calendars.importYears(file.years, file.path, new Date().toISOString());
    // Calendar amendments recorded by other processes reach this one on every process, followers or not.
    calendars.start(config.calendarRefreshMs);
    warnIfCalendarRunsOut(calendars.current(), logger);
    const apiKeys = await ApiKeyRegistry.open(stores.events, {
      usage: stores.checkpoints,
      log: logFor(logger, 'Auth'),
    });
    apiKeys.start(config.apiKeyRefreshMs);
    // Several processes may share a PostgreSQL store: the followers run only where their lease is held.
    const leases =
      config.runWorkers && config.databaseUrl
        ? await PostgresLeases.open({ connectionString: config.databaseUrl, schema: config.databaseSchema })
        : undefined;
    return new Ledger(config, stores, calendars, apiKeys, logger, leases);
  }

  /** Starts the followers, unless LEDGER_WORKERS=off leaves them to another process. */
  async start(): Promise<void> {
    if (!this.config.runWorkers) {
      this.log.warn({
        msg: 'LEDGER_WORKERS=off: read models, scheduler and messaging are not run by this process',
      });
      return;
    }
    if (!this.lease) {
      this.followersRunning = this.followers.start();
      return this.followersRunning;
    }
    // Stand by in the background: the process answers (/health, commands) while another holds the lease.
    const lease = this.lease;
    lease.onLost(() => {
      void (async () => {
        this.stores.fenceWith(undefined);
        await this.followersRunning?.catch(() => undefined);
        await this.followers.stop().catch(() => undefined);
        for (const handler of this.leaseLostHandlers) handler();
      })();
    });
    void lease.acquire().then(async (grant) => {
      if (!grant || this.stopping) return;
      this.stores.fenceWith(grant);
      this.followersRunning = this.followers.start();
      await this.followersRunning.catch((error: Error) =>
        this.log.error({ msg: 'followers did not start', reason: error.message }),
      );
    });
  }

  /** Called once the followers' lease was lost (another process has it now); the apps exit then. */
  onLeaseLost(handler: () => void): void {
    this.leaseLostHandlers.push(handler);
  }

  /** The followers' lease as this process sees it: held (with its token), standby, lost; absent without one. */
  leaseState(): LeaseState | undefined {
    return this.lease?.state;
  }

  health(): Promise<HealthReport> {
    return checkHealth(
      this.stores.events,
      this.readModels,
      () => this.followers.kafkaHealth(),
      this.config.runWorkers ? this.followers.halted() : [],
      this.lease?.state,
    );
  }

  /** Stops the followers in reverse order, then closes the stores, so nothing writes to a closed pool. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (this.followersRunning) {
        await this.followersRunning.catch(() => undefined);
        await this.followers.stop(); // each follower leaves its checkpoint
      }
      await this.lease?.release(); // after the last fenced write: the next holder starts from there
      await this.calendars.stop();
      await this.apiKeys.stop(); // its last uses are written before the stores close
      await this.stores.close();
      this.log.log({ msg: 'workers stopped, stores closed' });
    })();
    return this.stopping;
  }
}
