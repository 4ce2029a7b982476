// The feed followers as a process of their own: read models, the deadline scheduler, joint-discipline case
// initiation, the Kafka relay and feedback consumer, digests. Run it beside API processes started with
// LEDGER_WORKERS=off when commands should not share a CPU with the followers. Same configuration as the API.
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createLedgerApp } from '../../ledger-api/src/bootstrap';
import { loadConfig } from '../../ledger-api/src/config/ledger-config';

async function main(): Promise<void> {
  const config = { ...loadConfig(), runWorkers: true };
  const app = await createLedgerApp(config, { docsUi: false });
  // Only /health is of use here; it listens so orchestrators can probe the worker like the API.
  await app.listen(config.port, config.host);
  new Logger('LedgerWorker').log({
    msg: 'ledger worker running',
    health: `http://${config.host}:${config.port}/health`,
  });
  process.send?.('ready'); // for a parent that forked it (benchmarks)
}

main().catch((error) => {
  new Logger('LedgerWorker').error(error);
  process.exit(1);
});
