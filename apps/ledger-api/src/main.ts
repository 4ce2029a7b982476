import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createLedgerApp } from './bootstrap';
import { loadConfig } from './config/ledger-config';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createLedgerApp(config);
  await app.listen(config.port, config.host);
  new Logger('Ledger').log({
    msg: 'ledger listening',
    url: `http://${config.host}:${config.port}`,
    docs: '/docs',
  });
}

main().catch((error) => {
  new Logger('Ledger').error(error);
  process.exit(1);
});
