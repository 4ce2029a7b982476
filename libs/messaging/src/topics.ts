// The ledger's Kafka topics (DESIGN.md "Kafka", docs/asyncapi.yaml) and how they are created when missing.
import type { Admin, ITopicConfig } from 'kafkajs';

export interface TopicNames {
  /** Every domain event as a structured CloudEvent, key = subject id. */
  readonly events: string;
  /** Compacted: current list membership, key = `<list>:<subjectId>`, tombstone on exit. */
  readonly lists: string;
  /** Joint-discipline case events (opened, responded, fed back, closed), key = case id. */
  readonly disciplineRequests: string;
  /**
   * Consumed: responses and execution feedback. The base name: each department answers on a topic of its
   * own, `<disciplineFeedback>.<departmentId>` (feedbackTopicOf), which only its principal may write, so
   * the topic says who answered. Messages on the base topic itself prove nothing and are dead-lettered.
   */
  readonly disciplineFeedback: string;
  /** Feedback that could not be applied, with the reason in the headers. */
  readonly disciplineFeedbackDeadLetters: string;
  /** Merkle-root digests of feed ranges, published by the audit layer. */
  readonly digests: string;
  /**
   * The restricted twins: students' and minors' events, list entries and cases (`restricted: true`) go
   * here instead, never to the topics every subscriber reads. Only principals the deployment names read
   * them (infra/kafka/security.js, RESTRICTED_READERS).
   */
  readonly restrictedEvents: string;
  readonly restrictedLists: string;
  readonly restrictedDisciplineRequests: string;
}

export const defaultTopicNames: TopicNames = {
  events: 'credit.events.v1',
  lists: 'credit.lists.v1',
  disciplineRequests: 'credit.discipline.requests.v1',
  disciplineFeedback: 'credit.discipline.feedback.v1',
  disciplineFeedbackDeadLetters: 'credit.discipline.feedback.dlq.v1',
  digests: 'credit.digests.v1',
  restrictedEvents: 'credit.events.restricted.v1',
  restrictedLists: 'credit.lists.restricted.v1',
  restrictedDisciplineRequests: 'credit.discipline.requests.restricted.v1',
};

const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;

/** The topic `departmentId` answers on: only that department's principal may write it (infra/kafka/security.js). */
export function feedbackTopicOf(names: Pick<TopicNames, 'disciplineFeedback'>, departmentId: string): string {
  const topic = `${names.disciplineFeedback}.${departmentId}`;
  if (!TOPIC_NAME.test(topic) || departmentId.includes('.'))
    throw new Error(
      `Department id "${departmentId}" cannot name a Kafka topic (letters, digits, "_" and "-" only)`,
    );
  return topic;
}

/** The department whose feedback topic `topic` is; undefined for any other topic (the base one included). */
export function departmentOfFeedbackTopic(
  names: Pick<TopicNames, 'disciplineFeedback'>,
  topic: string,
): string | undefined {
  const prefix = `${names.disciplineFeedback}.`;
  if (!topic.startsWith(prefix)) return undefined;
  const departmentId = topic.slice(prefix.length);
  return departmentId !== '' && !departmentId.includes('.') ? departmentId : undefined;
}

export const topicNames = (overrides: Partial<TopicNames> = {}): TopicNames => ({
  ...defaultTopicNames,
  ...overrides,
});

export interface TopicSettings {
  /** 1 on the single local broker; 3 on a production cluster. */
  readonly replicationFactor?: number;
  readonly eventPartitions?: number;
  readonly otherPartitions?: number;
}

/**
 * The topics the ledger creates when missing; with `departments`, their feedback topics too (the feedback
 * consumer passes the departments it reads).
 */
export function topicConfigs(
  names: TopicNames,
  settings: TopicSettings = {},
  departments: readonly string[] = [],
): ITopicConfig[] {
  const replicationFactor = settings.replicationFactor ?? 1;
  const other = settings.otherPartitions ?? 3;
  const topic = (name: string, numPartitions: number, config: Record<string, string> = {}): ITopicConfig => ({
    topic: name,
    numPartitions,
    replicationFactor,
    configEntries: Object.entries(config).map(([configName, value]) => ({ name: configName, value })),
  });
  return [
    // More partitions for the busiest topic: a subject's events share one, so order per subject holds.
    topic(names.events, settings.eventPartitions ?? 6),
    topic(names.lists, other, { 'cleanup.policy': 'compact' }),
    topic(names.disciplineRequests, other),
    topic(names.restrictedEvents, settings.eventPartitions ?? 6),
    topic(names.restrictedLists, other, { 'cleanup.policy': 'compact' }),
    topic(names.restrictedDisciplineRequests, other),
    topic(names.disciplineFeedback, other),
    ...departments.map((departmentId) => topic(feedbackTopicOf(names, departmentId), other)),
    // Dead letters wait for a person: never expired by time.
    topic(names.disciplineFeedbackDeadLetters, other, { 'retention.ms': '-1' }),
    topic(names.digests, 1),
  ];
}

/**
 * Creates the topics that do not exist yet; leaves existing ones (and their settings) alone.
 * Returns once every partition of every topic has a leader, so the caller can produce at once.
 */
export async function ensureTopics(
  admin: Admin,
  topics: readonly ITopicConfig[],
  leaderTimeoutMs = 30_000,
): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(t.topic));
  if (missing.length > 0) {
    try {
      // Not kafkajs's waitForLeaders: it gives up on UNKNOWN_TOPIC_OR_PARTITION, which a KRaft
      // broker answers until the new topic reaches its metadata cache (seen in CI).
      await admin.createTopics({ topics: missing, waitForLeaders: false });
    } catch (error) {
      // Another process created them between our list and create: that is what we wanted.
      if (!isTopicAlreadyExists(error)) throw error;
    }
  }
  await waitForLeaders(
    admin,
    topics.map((t) => t.topic),
    leaderTimeoutMs,
  );
  return missing.map((t) => t.topic);
}

async function waitForLeaders(admin: Admin, names: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let waitingFor: string;
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: names });
      const leaderless = topics.filter(
        (t) => t.partitions.length === 0 || t.partitions.some((p) => p.leader < 0),
      );
      if (leaderless.length === 0) return;
      waitingFor = `no leader yet for ${leaderless.map((t) => t.name).join(', ')}`;
    } catch (error) {
      if (!isBrokerCatchingUp(error)) throw error;
      waitingFor = (error as Error).message;
    }
    if (Date.now() >= deadline) {
      throw new Error(`Kafka topics not ready after ${timeoutMs} ms: ${waitingFor}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** What a broker answers about a topic it has created but not yet put in its metadata cache. */
function isBrokerCatchingUp(error: unknown): boolean {
  const catchingUp = ['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE'];
  const { type, cause } = error as { type?: string; cause?: { type?: string } };
  return catchingUp.includes(type ?? '') || catchingUp.includes(cause?.type ?? '');
}

function isTopicAlreadyExists(error: unknown): boolean {
  const errors = (error as { errors?: Array<{ type?: string }> }).errors ?? [error];
  return errors.every((e) => (e as { type?: string }).type === 'TOPIC_ALREADY_EXISTS');
}
