// The ledger as the benchmarks run it: its own process, PostgreSQL (DATABASE_URL) or the embedded store.
import 'reflect-metadata';
import { createLedgerApp } from '../../apps/ledger-api/src/bootstrap';
import { JsonLogger, loadConfig } from '@ledger/runtime';

async function main() {
  // One client address sends thousands of requests a second: rate limits would measure themselves.
  const config = { ...loadConfig({ LEDGER_RATE_LIMITS: 'off', ...process.env }), logLevel: 'warn' as const };
  const app = await createLedgerApp(config, { logger: new JsonLogger('warn') });
  await app.listen(config.port, '127.0.0.1');
  process.send?.('ready');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
