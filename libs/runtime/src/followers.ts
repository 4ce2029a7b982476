// Everything that follows the store's feed, started in order and stopped in reverse: the read models, the
// deadline scheduler (once the read models caught up), joint-discipline case initiation with, when
// KAFKA_BROKERS is set, the relay and the feedback consumer, the list-history read model, the digester and
// digest publishing. The stores stay open: whoever opened them closes them after `stop`.
import { auditProjections, DigestScheduler, type LedgerDigest } from '@ledger/audit';
import {
  DeadlineScheduler,
  type DisciplineCases,
  type SubjectCommandExecutor,
  type WorkingCalendars,
} from '@ledger/application';
import { DigestPublisher, parseBrokers, startMessaging, type Messaging } from '@ledger/messaging';
import { allProjections, ProjectionRunner } from '@ledger/projections';
import type { IntegrityViolation } from '@ledger/event-store';
import type { LedgerConfig } from './config/ledger-config';
import type { KafkaHealth } from './health';
import { logFor, schedulerLog, type LedgerLogger } from './logging/ledger-logger';
import type { FollowedFeed } from './metrics/ledger-metrics';
import type { LedgerStores } from './stores';

/** A follower that an event failed verification stopped, and that event. */
export interface FollowerHalt extends IntegrityViolation {
  readonly follower: string;
}

/** The deadline scheduler waits at most this long for the read models to catch up before it starts. */
const CATCH_UP_BEFORE_SCHEDULING_MS = 10 * 60_000;

export class Followers {
  /** The read models the API answers from. */
  readonly readModels: ProjectionRunner;
  /** The audit layer's list-membership history (lists as of an instant). */
  readonly listHistory: ProjectionRunner;
  readonly scheduler: DeadlineScheduler;
  /** Absent where the store keeps no digests, or with LEDGER_DIGESTS=off. */
  readonly digester: DigestScheduler | undefined;
  /** Absent, besides, without KAFKA_BROKERS. */
  readonly digestPublisher: DigestPublisher | undefined;
  private messagingRunning: Messaging | undefined;
  private running = false;
  private readonly log;

  constructor(
    private readonly config: LedgerConfig,
    private readonly stores: LedgerStores,
    private readonly runners: {
      readonly subjects: SubjectCommandExecutor;
      readonly cases: DisciplineCases;
      readonly calendars: WorkingCalendars;
    },
    private readonly logger: LedgerLogger,
  ) {
    const { events, documents, digests, signing } = stores;
    this.log = logFor(logger, 'Workers');
    this.readModels = new ProjectionRunner(events, documents, allProjections, {
      onError: logFor(logger, 'Projections').failure,
      signing,
    });
    const audit = logFor(logger, 'Audit');
    this.listHistory = new ProjectionRunner(events, documents, auditProjections, {
      onError: audit.failure,
      signing,
    });
    this.scheduler = new DeadlineScheduler(documents, runners.subjects, {
      intervalMs: config.schedulerIntervalMs,
      log: schedulerLog(logFor(logger, 'DeadlineScheduler')),
    });
    const brokers = parseBrokers(config.kafkaBrokers);
    this.digestPublisher =
      digests && config.digestsEnabled && brokers.length > 0
        ? new DigestPublisher(digests, stores.checkpoints, {
            brokers,
            ...config.kafkaSecurity,
            log: logFor(logger, 'DigestPublisher'),
            topics: config.digestTopic ? { digests: config.digestTopic } : undefined,
          })
        : undefined;
    this.digester =
      digests && config.digestsEnabled
        ? new DigestScheduler(events, digests, {
            everyEvents: config.digestEveryEvents,
            everySeconds: config.digestEverySeconds,
            onError: audit.failure,
            signing,
            digestSigning: stores.digestSigning,
            onDigest: (digest: LedgerDigest) => {
              audit.log({ msg: 'ledger digest', ...digest });
              this.digestPublisher?.poke();
            },
          })
        : undefined;
  }

  /** Joint-discipline messaging while it runs: the case initiator, and the relay and feedback with Kafka. */
  get messaging(): Messaging | undefined {
    return this.messagingRunning;
  }

  /**
   * Followers stopped by an event that failed verification (hash, chain link or signature): each stays at the
   * position before it until the row is repaired and the process restarted. Empty while all is well.
   */
  halted(): FollowerHalt[] {
    const followers: [string, { readonly halted: IntegrityViolation | undefined } | undefined][] = [
      ['read-models', this.readModels],
      ['list-history', this.listHistory],
      ['digester', this.digester],
      ['case-initiator', this.messagingRunning?.initiator],
      ['relay', this.messagingRunning?.relay],
    ];
    return followers.flatMap(([follower, running]) =>
      running?.halted ? [{ follower, ...running.halted }] : [],
    );
  }

  /** The followers of the store's feed, with their positions, for the lag metrics. */
  feeds(): FollowedFeed[] {
    const followers: [string, { readonly position: number; readonly halted: unknown } | undefined][] = [
      ['read-models', this.readModels],
      ['list-history', this.listHistory],
      ['digester', this.digester],
      ['case-initiator', this.messagingRunning?.initiator],
      ['relay', this.messagingRunning?.relay],
    ];
    return followers.flatMap(([name, running]) =>
      running && this.running
        ? [{ name, position: () => running.position, halted: () => running.halted !== undefined }]
        : [],
    );
  }

  /** The link to Kafka while the followers run, for /health. */
  kafkaHealth(): KafkaHealth | undefined {
    const messaging = this.messagingRunning?.health();
    if (!messaging || messaging.status === 'off') return messaging;
    const digestPublisher = this.digestPublisher?.health;
    if (!digestPublisher) return messaging;
    const status = digestPublisher.state === 'failing' ? 'failing' : messaging.status;
    return { ...messaging, status, digestPublisher };
  }

  async start(): Promise<void> {
    this.running = true;
    await this.readModels.start();
    this.log.log({ msg: 'read models following the feed', from: this.readModels.position });
    // Deadlines come from a read model: let it catch up first, or settled deadlines would be re-tried once.
    const head = await this.stores.events.headPosition();
    void this.readModels
      .waitFor(head, CATCH_UP_BEFORE_SCHEDULING_MS)
      .catch(() => undefined)
      .then(() => {
        if (this.running) this.scheduler.start();
      });
    this.messagingRunning = await startMessaging(this.stores, {
      brokers: parseBrokers(this.config.kafkaBrokers),
      ...this.config.kafkaSecurity,
      policyVersion: this.config.policyVersion,
      calendar: this.runners.calendars.current,
      cases: this.runners.cases,
      clientId: 'credit-ledger',
      signing: this.stores.signing,
      log: logFor(this.logger, 'Messaging'),
    });
    await this.listHistory.start();
    await this.digester?.start();
    await this.digestPublisher?.start();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.digestPublisher?.stop();
    await this.digester?.stop();
    await this.listHistory.stop();
    await this.messagingRunning?.stop();
    this.messagingRunning = undefined;
    await this.scheduler.stop();
    await this.readModels.stop();
  }
}
