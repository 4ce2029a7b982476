#!/usr/bin/env node
// `npm test`: brings up what the suites need, runs every Jest project, tears down what it started.
// PostgreSQL must answer (started here if this machine has pg_ctlcluster); the Kafka broker is started
// from infra/kafka unless KAFKA_BROKERS points at one. A missing service fails the run, never skips it.
'use strict';

const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { Client } = require('pg');
const { startBroker } = require('../infra/kafka/broker');

const databaseUrl = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

async function postgresAnswers() {
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function ensurePostgres() {
  if (await postgresAnswers()) return;
  if (existsSync('/etc/postgresql')) {
    for (const version of readdirSync('/etc/postgresql')) {
      console.error(`[test] starting PostgreSQL ${version}`);
      spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], {
        stdio: 'inherit',
      });
    }
    for (let i = 0; i < 30 && !(await postgresAnswers()); i++) await new Promise((r) => setTimeout(r, 500));
  }
  if (!(await postgresAnswers())) {
    throw new Error(`PostgreSQL does not answer at ${databaseUrl}; start it or set TEST_DATABASE_URL.`);
  }
}

async function main() {
  await ensurePostgres();
  let broker;
  if (!process.env.KAFKA_BROKERS) {
    broker = await startBroker();
    process.env.KAFKA_BROKERS = broker.brokers;
  }
  console.error(`[test] PostgreSQL ${databaseUrl}; Kafka ${process.env.KAFKA_BROKERS}`);
  process.env.TEST_DATABASE_URL = databaseUrl;
  const resultsFile = join(tmpdir(), `ledger-jest-${process.pid}.json`);
  const jestArgs = [
    '--maxWorkers=2',
    '--json',
    `--outputFile=${resultsFile}`,
    ...(process.env.CI ? ['--ci'] : []),
    ...process.argv.slice(2),
  ];
  const result = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), ...jestArgs], {
    stdio: 'inherit',
  });
  if (broker) await broker.stop();
  if (existsSync(resultsFile)) {
    const totals = JSON.parse(readFileSync(resultsFile, 'utf8'));
    // The plain closing line CI reads: 'N passed, N failed, N skipped'.
    console.log(
      `Tests: ${totals.numPassedTests} passed, ${totals.numFailedTests} failed, ${totals.numPendingTests + totals.numTodoTests} skipped`,
    );
    rmSync(resultsFile, { force: true });
  }
  process.exit(result.status ?? 1);
}

main().catch((error) => {
  console.error(`[test] ${error.message}`);
  process.exit(1);
});
