#!/usr/bin/env node
// `npm test`: brings up what the suites need, runs every Jest project, tears down what it started.
// PostgreSQL must answer (started here if this machine has pg_ctlcluster). Started unless a variable points
// at a running one: the Kafka broker (KAFKA_BROKERS), a second broker with SASL_SSL and ACLs
// (KAFKA_SASL_SSL_BROKERS with KAFKA_SASL_SSL_SECRETS), and Keycloak with the test province realm
// (LEDGER_TEST_OIDC_ISSUER; needs Java 21+). Prometheus must be installed (the Prometheus test starts its own;
// infra/prometheus). A missing service fails the run, never skips it.
'use strict';

const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { Client } = require('pg');
const { startBroker } = require('../infra/kafka/broker');
const { startKeycloak } = require('../infra/keycloak/keycloak');
const { findPrometheus, findPromtool } = require('../infra/prometheus/prometheus');

const SECURE_KAFKA_PORT = Number(process.env.KAFKA_SECURE_PORT || 19192);

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

/** Starts what no variable points at, side by side; if one fails, stops the others and fails. */
async function startServices() {
  const env = process.env;
  const starts = [];
  if (!env.KAFKA_BROKERS) {
    starts.push(startBroker().then((broker) => ((env.KAFKA_BROKERS = broker.brokers), broker)));
  }
  if (!env.KAFKA_SASL_SSL_BROKERS) {
    starts.push(
      startBroker({ port: SECURE_KAFKA_PORT, security: 'sasl_ssl' }).then((broker) => {
        env.KAFKA_SASL_SSL_BROKERS = broker.brokers;
        env.KAFKA_SASL_SSL_SECRETS = broker.secretsFile;
        return broker;
      }),
    );
  } else if (!env.KAFKA_SASL_SSL_SECRETS) {
    throw new Error('KAFKA_SASL_SSL_BROKERS is set without KAFKA_SASL_SSL_SECRETS (its security.json)');
  }
  if (!env.LEDGER_TEST_OIDC_ISSUER) {
    starts.push(
      startKeycloak().then((keycloak) => ((env.LEDGER_TEST_OIDC_ISSUER = keycloak.issuer), keycloak)),
    );
  }
  const results = await Promise.allSettled(starts);
  const started = results.filter((r) => r.status === 'fulfilled').map((r) => r.value);
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length > 0) {
    await Promise.allSettled(started.map((service) => service.stop()));
    throw new Error(failed.map((r) => r.reason.message).join('\n'));
  }
  return started;
}

async function main() {
  await ensurePostgres();
  // Found before anything starts: missing, the run fails here with how to install it.
  console.error(`[test] Prometheus ${findPrometheus()}, promtool ${findPromtool()}`);
  const services = await startServices();
  console.error(
    `[test] PostgreSQL ${databaseUrl}; Kafka ${process.env.KAFKA_BROKERS}; ` +
      `Kafka SASL_SSL ${process.env.KAFKA_SASL_SSL_BROKERS}; OIDC issuer ${process.env.LEDGER_TEST_OIDC_ISSUER}`,
  );
  process.env.TEST_DATABASE_URL = databaseUrl;
  // Two runs: everything side by side, then the serial suites alone (a PostgreSQL restart or a kill -9 on a
  // lease clock must not land under another suite). Suites that leave a handle open must not hang the run.
  const runs = [
    ['--selectProjects', 'unit', 'contract', 'e2e', '--maxWorkers=2'],
    ['--selectProjects', 'serial', '--runInBand', '--passWithNoTests'],
  ];
  const totals = { passed: 0, failed: 0, skipped: 0 };
  let status = 0;
  for (const [index, selection] of runs.entries()) {
    const resultsFile = join(tmpdir(), `ledger-jest-${process.pid}-${index}.json`);
    const jestArgs = [
      ...selection,
      '--forceExit',
      '--json',
      `--outputFile=${resultsFile}`,
      ...(process.env.CI ? ['--ci'] : []),
      ...process.argv.slice(2),
    ];
    const result = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), ...jestArgs], {
      stdio: 'inherit',
    });
    if (result.status !== 0) status = result.status ?? 1;
    if (existsSync(resultsFile)) {
      const run = JSON.parse(readFileSync(resultsFile, 'utf8'));
      totals.passed += run.numPassedTests;
      totals.failed += run.numFailedTests;
      totals.skipped += run.numPendingTests + run.numTodoTests;
      rmSync(resultsFile, { force: true });
    } else status = status || 1;
  }
  await Promise.allSettled(services.map((service) => service.stop()));
  // The plain closing line CI reads: 'N passed, N failed, N skipped'.
  console.log(`Tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  process.exit(status);
}

main().catch((error) => {
  console.error(`[test] ${error.message}`);
  process.exit(1);
});
