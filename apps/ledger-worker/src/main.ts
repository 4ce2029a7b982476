// The feed followers as a process of their own, without HTTP but for /health: read models, the deadline
// scheduler, joint-discipline case initiation, the Kafka relay and feedback consumer, digests. Run it beside
// API processes started with LEDGER_WORKERS=off when commands should not share a CPU with the followers.
// Same configuration as the API (HOST and PORT say where /health listens). On PostgreSQL start as many as
// wanted: the followers run in the one holding their lease, the others stand by (see the README).
import { ConfigurationError, JsonLogger, Ledger, loadConfig, metricsAccess } from '@ledger/runtime';
import { serveHealth } from './health-server';

async function main(): Promise<void> {
  const config = { ...loadConfig(), runWorkers: true };
  const logger = new JsonLogger(config.logLevel);
  const ledger = await Ledger.open(config, { logger });
  await ledger.start();
  const health = await serveHealth(() => ledger.health(), config.host, config.port, {
    metrics: ledger.metrics,
    access: metricsAccess(config.apiKeys, ledger.apiKeys),
  });
  logger.log(
    { msg: 'ledger worker running', health: `${health.url}/health`, metrics: `${health.url}/metrics` },
    'LedgerWorker',
  );
  process.send?.('ready'); // for a parent that forked it (benchmarks)

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log({ msg: 'ledger worker stopping', signal }, 'LedgerWorker');
    await health.close();
    await ledger.stop();
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, (s) => void stop(s));
  // Another process took the followers' lease (this one was paused or cut off past it): its followers
  // stopped; exit so that the orchestrator starts it again, to stand by.
  ledger.onLeaseLost(() => {
    logger.error({ msg: 'followers lease lost: exiting (75) to be restarted' }, 'LedgerWorker');
    void (async () => {
      stopping = true;
      await health.close();
      await ledger.stop();
      process.exit(75);
    })();
  });
}

main().catch((error) => {
  if (error instanceof ConfigurationError) process.stderr.write(`${error.message}\n`);
  else new JsonLogger().error(error, 'LedgerWorker');
  process.exit(1);
});
