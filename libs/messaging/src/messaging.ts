// Everything messaging runs beside the ledger, started and stopped as one: the case initiator (always:
// cases are ledger facts), and with a broker configured the relay and the feedback consumer. Without
// one, publishing is off with one log line; the relay's checkpoint then stays where it was, so
// configuring Kafka later publishes the whole backlog.
import { DisciplineCases } from '@ledger/application';
import type { WorkingCalendar } from '@ledger/domain';
import type { EventSigning, EventStore } from '@ledger/event-store';
import type { Checkpoints, DocumentStore } from '@ledger/projections';
import { DisciplineCaseInitiator, type CaseInitiatorOptions } from './discipline/case-initiator';
import { defaultDepartmentDirectory } from './discipline/departments';
import { FeedbackConsumer, type FeedbackConsumerHealth } from './discipline/feedback-consumer';
import { consoleLog, type KafkaSecurity, type MessagingLog } from './kafka-client';
import type { PublisherHealth } from './checkpointed-publisher';
import { KafkaRelay, type RelayOptions } from './relay';
import type { TopicNames, TopicSettings } from './topics';

/** Where messaging reads and keeps its state. */
export interface MessagingStores {
  readonly events: EventStore;
  /** The case initiator's checkpoint and open-case index. */
  readonly documents: DocumentStore;
  /** The relay's checkpoint. */
  readonly checkpoints: Checkpoints;
}

export interface MessagingOptions extends KafkaSecurity {
  /** Empty: embedded mode, nothing is published. */
  readonly brokers: readonly string[];
  /** Credit policy for case commands that do not carry one. */
  readonly policyVersion: string;
  /** Working calendar for case deadlines, asked at each decision (default: the bundled national calendar). */
  readonly calendar?: () => WorkingCalendar;
  /** The cases' command runner, when the caller built it already; else one is built from the above. */
  readonly cases?: DisciplineCases;
  readonly clientId?: string;
  readonly source?: string;
  readonly topics?: Partial<TopicNames>;
  readonly topicSettings?: TopicSettings;
  readonly feedbackGroupId?: string;
  readonly relay?: Pick<
    RelayOptions,
    | 'batchSize'
    | 'checkpointName'
    | 'sendTimeoutMs'
    | 'maxRequestBytes'
    | 'pollIntervalMs'
    | 'retryDelayMs'
    | 'maxRetryDelayMs'
  >;
  readonly caseInitiator?: Omit<CaseInitiatorOptions, 'log' | 'signing'>;
  /** The keys events are signed with (default: the development key): the relay and the initiator check each. */
  readonly signing?: EventSigning | null;
  readonly log?: MessagingLog;
}

export interface Messaging {
  readonly cases: DisciplineCases;
  readonly initiator: DisciplineCaseInitiator;
  /** Absent in embedded mode. */
  readonly relay?: KafkaRelay;
  readonly feedback?: FeedbackConsumer;
  /** The link to Kafka, for /health: off without brokers; else the relay's and the consumer's states. */
  health(): MessagingHealth;
  stop(): Promise<void>;
}

export type MessagingHealth =
  | { readonly status: 'off' }
  | {
      /** `failing` when the relay or the feedback consumer is. */
      readonly status: 'ok' | 'failing';
      readonly relay: PublisherHealth;
      readonly feedback: FeedbackConsumerHealth;
    };

const FEEDBACK_RETRY_MS = 5_000;

export async function startMessaging(
  { events: store, documents, checkpoints }: MessagingStores,
  options: MessagingOptions,
): Promise<Messaging> {
  const log = options.log ?? consoleLog;
  const cases =
    options.cases ??
    new DisciplineCases(store, { policyVersion: options.policyVersion, calendar: options.calendar });
  const initiator = new DisciplineCaseInitiator(store, documents, cases, {
    ...options.caseInitiator,
    log,
    signing: options.signing,
  });
  await initiator.start();

  if (options.brokers.length === 0) {
    log.log({
      msg: 'Kafka publishing is off (no KAFKA_BROKERS): events stay in the store and are published from the relay checkpoint once a broker is configured',
    });
    return { cases, initiator, health: () => ({ status: 'off' }), stop: () => initiator.stop() };
  }

  const kafka = {
    brokers: options.brokers,
    clientId: options.clientId,
    log,
    ssl: options.ssl,
    sasl: options.sasl,
  };
  const shared = { ...kafka, topics: options.topics, topicSettings: options.topicSettings };
  const relay = new KafkaRelay(store, checkpoints, {
    ...shared,
    ...options.relay,
    source: options.source,
    signing: options.signing,
  });
  await relay.start();
  // Feedback is read from the topics of the departments cases are addressed to.
  const directory = options.caseInitiator?.departments ?? defaultDepartmentDirectory;
  const departments = [...new Set(Object.values(directory).map((d) => d.departmentId))];
  const feedback = new FeedbackConsumer(cases, {
    ...shared,
    groupId: options.feedbackGroupId,
    departments,
  });
  // The broker may be down at start: the ledger still starts, and the consumer joins once it answers.
  let stopped = false;
  let attempts = 0;
  const started = (async () => {
    while (!stopped) {
      try {
        await feedback.start();
        return;
      } catch (error) {
        const failure = feedback.failed(error);
        // One line when it starts failing, then one a minute: /health shows every attempt's error.
        if (attempts++ % 12 === 0) {
          log.error({
            msg: 'feedback consumer cannot start yet; retrying',
            error: failure.message,
            ...(failure.kind ? { kind: failure.kind, hint: failure.hint } : {}),
            attempts,
          });
        }
        await feedback.stop();
        await new Promise((resolve) => setTimeout(resolve, FEEDBACK_RETRY_MS));
      }
    }
  })();
  return {
    cases,
    initiator,
    relay,
    feedback,
    health: () => {
      const [relayHealth, feedbackHealth] = [relay.health, feedback.health];
      const failing = relayHealth.state === 'failing' || feedbackHealth.state === 'failing';
      return { status: failing ? 'failing' : 'ok', relay: relayHealth, feedback: feedbackHealth };
    },
    stop: async () => {
      stopped = true;
      await started;
      await feedback.stop();
      await relay.stop();
      await initiator.stop();
    },
  };
}
