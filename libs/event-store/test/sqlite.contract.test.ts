import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../src';
import { eventStoreContract } from './event-store.contract';

const dataDir = mkdtempSync(join(tmpdir(), 'ledger-sqlite-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('SqliteEventStore', () => {
  eventStoreContract({
    open: (options) => SqliteEventStore.open({ dataDir, clock: options?.clock, signing: options?.signing }),
    tamperWithData: async (position, data) => {
      const db = new Database(join(dataDir, 'ledger.sqlite'));
      db.prepare('UPDATE events SET data = ? WHERE position = ?').run(JSON.stringify(data), position);
      db.close();
    },
    forgeEvent: async (position, { data, hash }) => {
      const db = new Database(join(dataDir, 'ledger.sqlite'));
      db.prepare('UPDATE events SET data = ?, hash = ? WHERE position = ?').run(
        JSON.stringify(data),
        hash,
        position,
      );
      db.close();
    },
  });
});
