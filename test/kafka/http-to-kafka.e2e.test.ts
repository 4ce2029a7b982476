// The whole way: a command over HTTP → the event in the store → the relay → a CloudEvent on the default
// credit.events.v1 topic, with the subject as key. The ledger runs as `npm start` would, with KAFKA_BROKERS.
import { randomUscc } from '../support/identifiers';
import { startLedger, type RunningLedger } from '../support/ledger-app';
import { defaultTopicNames } from '@ledger/messaging';
import { createTopics, parse, requireKafkaBrokers, TopicReader } from './support/kafka';

describe('a command over HTTP reaches Kafka as a CloudEvent', () => {
  const brokers = requireKafkaBrokers();
  let ledger: RunningLedger;
  let reader: TopicReader;
  beforeAll(async () => {
    await createTopics(brokers, defaultTopicNames); // the relay creates them too; the reader needs them first
    ledger = await startLedger('postgres', { kafkaBrokers: brokers.join(',') });
    reader = await TopicReader.fromNow(brokers, ['credit.events.v1', 'credit.lists.v1']);
  }, 60_000);
  afterAll(async () => {
    await reader?.stop();
    await ledger?.stop();
  });

  it('publishes the registration and the penalty with the right key, type and data', async () => {
    const subject = await ledger.request('POST', '/api/v1/subjects', {
      kind: 'private_school',
      name: '厦门某民办学校',
      identifier: randomUscc(), // subject ids derive from it: unique, so older messages on the topic never match
      jurisdiction: '350200',
    });
    expect(subject.status).toBe(201);
    const subjectId: string = subject.body.subjectId;
    const penalty = await ledger.request('POST', `/api/v1/subjects/${subjectId}/penalties`, {
      documentNumber: '厦教罚〔2026〕31号',
      offenceType: '违规招生',
      facts: '超范围招收学生',
      legalBasis: '《民办教育促进法实施条例》第六十一条',
      categories: ['warning', 'fine'],
      content: '警告并处罚款',
      fineAmountTenThousandYuan: 3,
      decisionDate: '2026-11-02',
      authority: { name: '厦门市教育局', uscc: '11230500001755309F' },
      severity: 'general',
    });
    expect(penalty.status).toBe(201);

    const mine = () => reader.on('credit.events.v1').filter((m) => m.key === subjectId);
    await reader.until(
      () => mine().length >= subject.body.eventIds.length + penalty.body.eventIds.length,
      30_000,
      'the CloudEvents',
    );
    const events = mine().map((m) => parse<Record<string, any>>(m));
    expect(events.map((e) => e.id)).toEqual([...subject.body.eventIds, ...penalty.body.eventIds]);
    const recorded = events.find((e) => e.type === 'cn.edu.credit.penalty.recorded.v1')!;
    expect(recorded).toMatchObject({
      specversion: '1.0',
      subject: subjectId,
      datacontenttype: 'application/json',
      data: { recordId: penalty.body.recordId, penalty: { documentNumber: '厦教罚〔2026〕31号' } },
    });
    expect(Number(recorded.position)).toBeGreaterThan(0);
    // A penalised private school enters key supervision: the compacted lists topic carries it.
    await reader.until(
      () => reader.on('credit.lists.v1').some((m) => m.key === `key_supervision:${subjectId}`),
      30_000,
      'the list entry',
    );
  }, 60_000);
});
