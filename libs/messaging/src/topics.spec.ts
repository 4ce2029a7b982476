import { KafkaJSProtocolError, type Admin, type ITopicConfig } from 'kafkajs';
import { ensureTopics } from './topics';

const unknownTopic = () =>
  new KafkaJSProtocolError({
    type: 'UNKNOWN_TOPIC_OR_PARTITION',
    code: 3,
    retriable: true,
    message: 'This server does not host this topic-partition',
  } as never);

/** An admin whose broker knows `known` topics and gives `answersBeforeReady` to metadata calls, as a KRaft broker catching up does, then the leaders. */
function fakeAdmin(known: string[], answersBeforeReady: Array<'unknown' | 'leaderless'>) {
  const calls = { created: [] as string[], metadata: 0 };
  const admin = {
    listTopics: async () => known,
    createTopics: async ({ topics }: { topics: ITopicConfig[] }) => {
      calls.created.push(...topics.map((t) => t.topic));
      return true;
    },
    fetchTopicMetadata: async ({ topics }: { topics: string[] }) => {
      const answer = answersBeforeReady[calls.metadata++];
      if (answer === 'unknown') throw unknownTopic();
      const leader = answer === 'leaderless' ? -1 : 1;
      return { topics: topics.map((name) => ({ name, partitions: [{ partitionId: 0, leader }] })) };
    },
  };
  return { admin: admin as unknown as Admin, calls };
}

const configs = (...names: string[]): ITopicConfig[] => names.map((topic) => ({ topic, numPartitions: 1 }));

describe('ensureTopics', () => {
  it('creates only the missing topics and returns once every partition has a leader', async () => {
    const { admin, calls } = fakeAdmin(['a'], ['unknown', 'unknown', 'leaderless']);
    await expect(ensureTopics(admin, configs('a', 'b'))).resolves.toEqual(['b']);
    expect(calls.created).toEqual(['b']);
    expect(calls.metadata).toBe(4);
  });

  it('gives up with the broker’s last answer when the topics never get a leader', async () => {
    const { admin } = fakeAdmin([], Array(100).fill('unknown'));
    await expect(ensureTopics(admin, configs('a'), 250)).rejects.toThrow(
      /not ready after 250 ms: This server does not host this topic-partition/,
    );
  });

  it('does not wait out errors that are not the broker catching up', async () => {
    const { admin } = fakeAdmin([], []);
    admin.fetchTopicMetadata = async () => {
      throw new Error('SASL authentication failed');
    };
    await expect(ensureTopics(admin, configs('a'))).rejects.toThrow('SASL authentication failed');
  });
});
