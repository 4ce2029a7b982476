// Response and feedback (响应、反馈): consumes each department's feedback topic
// (credit.discipline.feedback.v1.<departmentId>) in a consumer group and turns each message into a command
// on its case stream. The answering department is the topic's: only that department's Kafka principal may
// write it (infra/kafka/security.js), while the body's departmentId is whatever the sender typed, so a body
// naming another department is refused. Kafka does not tell a consumer who produced a record, and a
// header is whatever the producer set: the topic is the only proof there is. Never crashes on bad input and never loses a message:
// an offset is committed only after the store append or the dead-letter publish succeeded. Refused
// messages go to the dead-letter topic with the reason; a message sent twice is recognised by its
// messageId (the idempotency key of the events it produced) and acknowledged without new events.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  IdempotencyKeyReused,
  type DisciplineCaseRequest,
  type DisciplineCases,
  type RequestContext,
} from '@ledger/application';
import { allDepartmentsAnswered, DomainError } from '@ledger/domain';
import { canonicalJson, EventStoreError, WrongExpectedRevision, type Actor } from '@ledger/event-store';
import type { Consumer, IHeaders, Kafka, KafkaMessage, Producer } from 'kafkajs';
import {
  consoleLog,
  createKafka,
  kafkaFailureOf,
  type KafkaConnection,
  type KafkaFailure,
  type MessagingLog,
} from '../kafka-client';
import {
  departmentOfFeedbackTopic,
  ensureTopics,
  feedbackTopicOf,
  topicConfigs,
  topicNames,
  type TopicNames,
  type TopicSettings,
} from '../topics';
import { defaultDepartmentDirectory } from './departments';
import { parseFeedback, type FeedbackMessage } from './feedback-message';

export interface FeedbackConsumerOptions extends KafkaConnection {
  readonly topics?: Partial<TopicNames>;
  readonly topicSettings?: TopicSettings;
  readonly groupId?: string;
  /** Departments whose feedback topics are read (default: those of the default department directory). */
  readonly departments?: readonly string[];
}

export type FeedbackOutcome = 'applied' | 'duplicate' | 'dead_lettered';

/** Refusal codes of the consumer itself, beside the parser's (FEEDBACK.*) and the domain's (CASE.*). */
export const feedbackRefusals = {
  /** On the base topic: nothing says which department sent it. */
  unattributed: 'FEEDBACK.UNATTRIBUTED',
  /** The body names a department other than the one whose topic it came on. */
  departmentMismatch: 'FEEDBACK.DEPARTMENT_MISMATCH',
} as const;

/** What /health shows of the consumer. */
export interface FeedbackConsumerHealth {
  /** `failing`: it could not start or crashed (wrong credentials, a missing ACL, no broker), and retries. */
  readonly state: 'stopped' | 'starting' | 'running' | 'failing';
  readonly topics: readonly string[];
  readonly group: string;
  readonly handled: Readonly<Record<FeedbackOutcome, number>>;
  /** Dead letters since start, by reason code. */
  readonly deadLettersByCode: Readonly<Record<string, number>>;
  /** The most recent failure: starting, a crash, or a message not handled yet (the store away). */
  readonly lastError?: KafkaFailure;
}

/** Each department once, in the directory's order. */
export const defaultFeedbackDepartments: readonly string[] = [
  ...new Set(Object.values(defaultDepartmentDirectory).map((d) => d.departmentId)),
];

/** Header names on dead letters; the value is the original message, byte for byte. */
export const deadLetterHeaders = {
  code: 'dlq-reason-code',
  reason: 'dlq-reason',
  topic: 'dlq-original-topic',
  partition: 'dlq-original-partition',
  offset: 'dlq-original-offset',
  timestamp: 'dlq-original-timestamp',
  failedAt: 'dlq-failed-at',
  group: 'dlq-consumer-group',
} as const;

const MAX_BACKOFF_MS = 30_000;

export class FeedbackConsumer {
  private readonly kafka: Kafka;
  private readonly topics: TopicNames;
  private readonly groupId: string;
  private readonly log: MessagingLog;
  private consumer: Consumer | undefined;
  private producer: Producer | undefined;
  private stopping = false;
  private readonly counts: Record<FeedbackOutcome, number> = { applied: 0, duplicate: 0, dead_lettered: 0 };
  private readonly deadLettersByCode: Record<string, number> = {};
  private readonly departments: readonly string[];
  private readonly feedbackTopics: readonly string[];
  private state: FeedbackConsumerHealth['state'] = 'stopped';
  private lastError: KafkaFailure | undefined;

  constructor(
    private readonly cases: DisciplineCases,
    private readonly options: FeedbackConsumerOptions,
  ) {
    this.kafka = createKafka(options);
    this.topics = topicNames(options.topics);
    this.groupId = options.groupId ?? 'credit-ledger.discipline-feedback';
    this.log = options.log ?? consoleLog;
    this.departments = options.departments ?? defaultFeedbackDepartments;
    // The base topic too: whatever arrives there is dead-lettered as unattributed, never lost unseen.
    this.feedbackTopics = [
      this.topics.disciplineFeedback,
      ...this.departments.map((departmentId) => feedbackTopicOf(this.topics, departmentId)),
    ];
  }

  /** Messages handled since start, by outcome. */
  get handled(): Readonly<Record<FeedbackOutcome, number>> {
    return { ...this.counts };
  }

  /** State, counts and the last failure, for /health. */
  get health(): FeedbackConsumerHealth {
    return {
      state: this.state,
      topics: this.feedbackTopics,
      group: this.groupId,
      handled: this.handled,
      deadLettersByCode: { ...this.deadLettersByCode },
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  /** Marks the consumer failing with `error` (startMessaging calls it when a start attempt fails). */
  failed(error: unknown): KafkaFailure {
    this.state = 'failing';
    this.lastError = kafkaFailureOf(error, this.options);
    return this.lastError;
  }

  async start(): Promise<void> {
    this.stopping = false;
    if (this.state !== 'failing') this.state = 'starting';
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const wanted = [...this.feedbackTopics, this.topics.disciplineFeedbackDeadLetters];
      await ensureTopics(
        admin,
        topicConfigs(this.topics, this.options.topicSettings, this.departments).filter((config) =>
          wanted.includes(config.topic),
        ),
      );
    } finally {
      await admin.disconnect();
    }
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
    await this.producer.connect();
    // A short long-poll so that stop() does not wait out kafkajs' 5 s default.
    const consumer = this.kafka.consumer({ groupId: this.groupId, maxWaitTimeInMs: 500 });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (this.stopping) return;
      const failure = this.failed(payload.error);
      this.log.error({
        msg: 'feedback consumer crashed',
        error: failure.message,
        ...(failure.kind ? { kind: failure.kind, hint: failure.hint } : {}),
        restarting: payload.restart,
      });
      // kafkajs restarts by itself after retriable errors; after any other we start over ourselves.
      if (!payload.restart) void this.restartLater();
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.feedbackTopics], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message, heartbeat }) => {
        await this.untilDone(() => this.handle(topic, partition, message), heartbeat);
        await consumer.commitOffsets([
          { topic, partition, offset: (BigInt(message.offset) + 1n).toString() },
        ]);
      },
    });
    this.state = 'running';
    this.log.log({
      msg: 'feedback consumer started',
      topics: this.feedbackTopics,
      group: this.groupId,
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.state !== 'failing') this.state = 'stopped';
    await this.consumer?.disconnect().catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
    this.consumer = undefined;
    this.producer = undefined;
  }

  /** One message, start to finish: parsed, applied to its case (or dead-lettered). */
  private async handle(topic: string, partition: number, message: KafkaMessage): Promise<FeedbackOutcome> {
    const department = departmentOfFeedbackTopic(this.topics, topic);
    if (department === undefined) {
      return this.deadLetter(
        topic,
        partition,
        message,
        feedbackRefusals.unattributed,
        `${topic} says nothing of who sent this: a department answers on ${this.topics.disciplineFeedback}.<departmentId>, which only its principal may write`,
      );
    }
    const parsed = parseFeedback(message.value);
    if (!parsed.ok) return this.deadLetter(topic, partition, message, parsed.code, parsed.reason);
    if (parsed.message.departmentId !== department) {
      return this.deadLetter(
        topic,
        partition,
        message,
        feedbackRefusals.departmentMismatch,
        `The message answers for department "${parsed.message.departmentId}" but came on the topic of "${department}": a department answers only for itself`,
      );
    }
    // From here on the department is the topic's (equal to the body's, checked just above).
    const feedback: FeedbackMessage = { ...parsed.message, departmentId: department };
    let outcome: FeedbackOutcome;
    try {
      const result = await this.cases.execute(
        commandFor(feedback),
        this.contextFor(feedback, message.headers),
      );
      outcome = result.replayed ? 'duplicate' : 'applied';
    } catch (error) {
      const refusal = refusalOf(error);
      if (!refusal) throw error;
      return this.deadLetter(topic, partition, message, refusal.code, refusal.message);
    }
    // Also after a duplicate: the first delivery may have stopped between the feedback and the closure.
    await this.closeWhenAnswered(feedback);
    this.counts[outcome]++;
    return outcome;
  }

  private async closeWhenAnswered(feedback: FeedbackMessage): Promise<void> {
    const status = await this.cases.status(feedback.caseId);
    if (status?.status !== 'open' || !allDepartmentsAnswered(status)) return;
    try {
      await this.cases.execute(
        { type: 'CloseCase', data: { caseId: feedback.caseId, reason: 'completed' } },
        {
          ...this.contextFor(feedback, undefined),
          idempotencyKey: `complete-case:${feedback.caseId}`,
          requestHash: feedback.caseId,
          occurredAt: undefined,
        },
      );
    } catch (error) {
      // Closed meanwhile (lifted, or by hand): nothing left to do.
      if (!(error instanceof DomainError)) throw error;
    }
  }

  private contextFor(feedback: FeedbackMessage, headers: IHeaders | undefined): RequestContext {
    const actor: Actor = {
      userId: `department:${feedback.departmentId}`,
      role: 'joint_discipline_department',
      department: feedback.departmentId,
      // Departments answer through the provincial exchange, not as a division's authority.
      jurisdiction: '000000',
    };
    return {
      now: new Date().toISOString(),
      actor,
      correlationId: header(headers, 'correlation-id') ?? feedback.messageId,
      causationId: feedback.messageId,
      idempotencyKey: `feedback:${feedback.messageId}`,
      requestHash: createHash('sha256').update(canonicalJson(feedback)).digest('hex'),
      occurredAt: feedback.at,
    };
  }

  private async deadLetter(
    topic: string,
    partition: number,
    message: KafkaMessage,
    code: string,
    reason: string,
  ): Promise<FeedbackOutcome> {
    if (!this.producer) throw new Error('The feedback consumer is not started');
    await this.producer.send({
      topic: this.topics.disciplineFeedbackDeadLetters,
      acks: -1,
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: {
            ...message.headers,
            [deadLetterHeaders.code]: code,
            [deadLetterHeaders.reason]: reason,
            [deadLetterHeaders.topic]: topic,
            [deadLetterHeaders.partition]: String(partition),
            [deadLetterHeaders.offset]: message.offset,
            [deadLetterHeaders.timestamp]: message.timestamp,
            [deadLetterHeaders.failedAt]: new Date().toISOString(),
            [deadLetterHeaders.group]: this.groupId,
          },
        },
      ],
    });
    this.log.warn({
      msg: 'feedback dead-lettered',
      code,
      reason,
      topic,
      partition,
      offset: message.offset,
    });
    this.counts.dead_lettered++;
    this.deadLettersByCode[code] = (this.deadLettersByCode[code] ?? 0) + 1;
    return 'dead_lettered';
  }

  // The store or the broker being away is no reason to skip a message: retry with backoff, keeping the
  // group membership alive, until it is done or the consumer stops (then it is redelivered later).
  private async untilDone(work: () => Promise<unknown>, heartbeat: () => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await work();
        return;
      } catch (error) {
        if (this.stopping) throw error;
        this.lastError = kafkaFailureOf(error, this.options);
        if (attempt === 1 || attempt % 10 === 0) {
          this.log.error({
            msg: 'feedback not handled yet; retrying',
            attempt,
            error: (error as Error).message,
          });
        }
        await heartbeat().catch(() => undefined);
        await sleep(Math.min(MAX_BACKOFF_MS, 200 * 2 ** attempt));
      }
    }
  }

  private async restartLater(): Promise<void> {
    await sleep(5_000);
    if (this.stopping) return;
    await this.stop();
    await this.start().catch((error) => {
      this.failed(error);
      this.log.error({ msg: 'feedback consumer restart failed', error: (error as Error).message });
      void this.restartLater();
    });
  }
}

function commandFor(feedback: FeedbackMessage): DisciplineCaseRequest {
  const { caseId, departmentId } = feedback;
  if (feedback.kind === 'response') {
    return {
      type: 'RecordDepartmentResponse',
      data: { caseId, departmentId, response: feedback.response, reason: feedback.reason },
    };
  }
  return {
    type: 'FeedBackExecution',
    data: {
      caseId,
      departmentId,
      measuresApplied: feedback.measuresApplied,
      executedOn: feedback.executedOn,
      note: feedback.note,
    },
  };
}

/** A permanent refusal (dead-letter it) as opposed to a failure worth retrying (store or broker away). */
function refusalOf(error: unknown): { code: string; message: string } | undefined {
  if (error instanceof DomainError || error instanceof IdempotencyKeyReused) return error;
  // Other store errors are refusals too, except a conflict that outlived the handler's retries.
  if (error instanceof EventStoreError && !(error instanceof WrongExpectedRevision)) return error;
  return undefined;
}

function header(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value[0]?.toString() : value.toString();
}
