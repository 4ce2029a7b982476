// The ledger over HTTP, with the feed followers in the same process unless LEDGER_WORKERS=off.
import 'reflect-metadata';
import { ConfigurationError, JsonLogger, Ledger, loadConfig } from '@ledger/runtime';
import { createLedgerApp } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = new JsonLogger(config.logLevel);
  const app = await createLedgerApp(config, { logger });
  // Another process took the followers' lease (this one was paused or cut off past it): its followers
  // stopped; exit so that the orchestrator starts it again, to stand by.
  app.get(Ledger).onLeaseLost(() => {
    logger.error({ msg: 'followers lease lost: exiting (75) to be restarted' }, 'Ledger');
    void app.close().finally(() => process.exit(75));
  });
  await app.listen(config.port, config.host);
  logger.log(
    { msg: 'ledger listening', url: `http://${config.host}:${config.port}`, docs: '/docs' },
    'Ledger',
  );
}

main().catch((error) => {
  if (error instanceof ConfigurationError) process.stderr.write(`${error.message}\n`);
  else new JsonLogger().error(error, 'Ledger');
  process.exit(1);
});
