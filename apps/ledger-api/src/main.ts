// The ledger over HTTP, with the feed followers in the same process unless LEDGER_WORKERS=off.
import 'reflect-metadata';
import { ConfigurationError, JsonLogger, loadConfig } from '@ledger/runtime';
import { createLedgerApp } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = new JsonLogger(config.logLevel);
  const app = await createLedgerApp(config, { logger });
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
