#!/usr/bin/env node
// Smoke test: does kafkajs work against the broker from broker.js the way the
// ledger uses Kafka? Creates a 3-partition topic and a compacted topic, produces
// with an idempotent producer (acks=-1, one request in flight), consumes both
// from the beginning in a consumer group, and checks every message arrived in
// per-key order. Prints one line, PASS or FAIL, and exits 0 or 1.
//
//   node infra/kafka/smoke.js            # against a running broker (KAFKA_BROKERS or 127.0.0.1:KAFKA_PORT)
//   node infra/kafka/smoke.js --start    # start a broker (KAFKA_VERSION/KAFKA_PORT) first, stop it after
//   SMOKE_LOG=debug node ...             # kafkajs log level (default: error)
'use strict';

const crypto = require('node:crypto');
const { setTimeout: sleep } = require('node:timers/promises');
const { Kafka, logLevel } = require('kafkajs');
const { startBroker, DEFAULT_PORT } = require('./broker');

const MESSAGES_PER_TOPIC = 60;
const TIMEOUT_MS = 30_000;

async function smoke(brokers) {
  const suffix = crypto.randomBytes(4).toString('hex'); // re-runnable: fresh topics every time
  const eventsTopic = `smoke.events.${suffix}`;
  const listsTopic = `smoke.lists.${suffix}`;
  const kafka = new Kafka({
    clientId: 'kafka-smoke',
    brokers: brokers.split(','),
    logLevel: logLevel[(process.env.SMOKE_LOG || 'error').toUpperCase()],
  });
  const step = { name: 'connect' }; // names the failing step in the FAIL line
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  // Short long-poll so consumer.stop() does not sit out the default 5 s fetch wait.
  const consumer = kafka.consumer({ groupId: `smoke-group-${suffix}`, maxWaitTimeInMs: 500 });

  try {
    await admin.connect();
    step.name = 'createTopics';
    const created = await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: eventsTopic, numPartitions: 3, replicationFactor: 1 },
        {
          topic: listsTopic,
          numPartitions: 1,
          replicationFactor: 1,
          configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
        },
      ],
    });
    if (!created) throw new Error('createTopics returned false');

    step.name = 'describeConfigs';
    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: 2 /* TOPIC */, name: listsTopic, configNames: ['cleanup.policy'] }],
    });
    const policy = configs.resources[0].configEntries.find((e) => e.configName === 'cleanup.policy');
    if (!policy || policy.configValue !== 'compact')
      throw new Error(`cleanup.policy is ${policy && policy.configValue}`);

    step.name = 'produce (idempotent, acks=-1)';
    await producer.connect();
    const keys = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'];
    const events = Array.from({ length: MESSAGES_PER_TOPIC }, (_, i) => ({
      key: keys[i % keys.length],
      value: JSON.stringify({ seq: i }),
    }));
    // Compacted topic: several versions per key and a tombstone, like credit.lists.v1.
    const lists = Array.from({ length: MESSAGES_PER_TOPIC }, (_, i) => ({
      key: `blacklist:${keys[i % keys.length]}`,
      value: i === MESSAGES_PER_TOPIC - 1 ? null : JSON.stringify({ seq: i }),
    }));
    for (let i = 0; i < MESSAGES_PER_TOPIC; i += 10) {
      await producer.send({ topic: eventsTopic, acks: -1, messages: events.slice(i, i + 10) });
      await producer.send({ topic: listsTopic, acks: -1, messages: lists.slice(i, i + 10) });
    }

    step.name = 'consume (group, fromBeginning)';
    const received = { [eventsTopic]: [], [listsTopic]: [] };
    await consumer.connect();
    await consumer.subscribe({ topics: [eventsTopic, listsTopic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        received[topic].push({
          partition,
          key: message.key.toString(),
          seq: message.value === null ? null : JSON.parse(message.value.toString()).seq,
        });
      },
    });
    const deadline = Date.now() + TIMEOUT_MS;
    const total = () => received[eventsTopic].length + received[listsTopic].length;
    while (total() < 2 * MESSAGES_PER_TOPIC && Date.now() < deadline) await sleep(100);

    step.name = 'verify';
    for (const [topic, msgs] of Object.entries(received)) {
      if (msgs.length !== MESSAGES_PER_TOPIC)
        throw new Error(`${topic}: got ${msgs.length}/${MESSAGES_PER_TOPIC}`);
    }
    // Same key -> same partition -> order preserved.
    for (const key of keys) {
      const seqs = received[eventsTopic].filter((m) => m.key === key).map((m) => m.seq);
      if (seqs.some((s, i) => i > 0 && s < seqs[i - 1])) throw new Error(`out of order for ${key}: ${seqs}`);
      if (new Set(received[eventsTopic].filter((m) => m.key === key).map((m) => m.partition)).size !== 1) {
        throw new Error(`key ${key} spread over several partitions`);
      }
    }
    const partitionsUsed = new Set(received[eventsTopic].map((m) => m.partition)).size;
    if (received[listsTopic].filter((m) => m.seq === null).length !== 1)
      throw new Error('tombstone not received');

    step.name = 'deleteTopics';
    await consumer.stop();
    await admin.deleteTopics({ topics: [eventsTopic, listsTopic] });
    return `${2 * MESSAGES_PER_TOPIC} messages round-tripped (${partitionsUsed}/3 partitions used, compacted topic + tombstone ok)`;
  } catch (err) {
    err.step = step.name;
    throw err;
  } finally {
    await Promise.allSettled([consumer.disconnect(), producer.disconnect(), admin.disconnect()]);
  }
}

async function main() {
  let broker = null;
  let brokers = process.env.KAFKA_BROKERS || `127.0.0.1:${process.env.KAFKA_PORT || DEFAULT_PORT}`;
  let label = brokers;
  try {
    if (process.argv.includes('--start')) {
      broker = await startBroker();
      brokers = broker.brokers;
      label = `Kafka ${broker.version} at ${brokers}`;
    }
    const started = Date.now();
    const summary = await smoke(brokers);
    console.log(`PASS kafkajs smoke against ${label}: ${summary} in ${Date.now() - started} ms`);
  } catch (err) {
    const detail = [err.name, err.type, err.code].filter(Boolean).join('/');
    console.log(
      `FAIL kafkajs smoke against ${label} at step "${err.step || 'start broker'}": ${detail}: ${err.message}`,
    );
    process.exitCode = 1;
  } finally {
    if (broker) await broker.stop();
  }
}

main();
