import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDocumentStore } from '../src';
import { documentStoreContract } from './document-store.contract';

const dataDir = mkdtempSync(join(tmpdir(), 'documents-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('SqliteDocumentStore', () => {
  documentStoreContract({ open: () => SqliteDocumentStore.open({ dataDir }) });
});
