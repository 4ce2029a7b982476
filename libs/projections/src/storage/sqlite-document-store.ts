// Read models in the embedded store's directory: the same tables as PostgreSQL, in SQLite.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Checkpoint, Checkpoints } from '../checkpoints';
import {
  jsonOf,
  type DocumentChange,
  type DocumentIndex,
  type DocumentQuery,
  type DocumentStore,
  type NewDocuments,
  type ProjectionCommit,
  type StoredDocument,
} from '../projection';

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE read_documents (
     projection TEXT NOT NULL, id TEXT NOT NULL, doc TEXT NOT NULL,
     jurisdiction TEXT, kind TEXT, code TEXT, sort_key TEXT,
     PRIMARY KEY (projection, id));
   CREATE INDEX read_documents_jurisdiction ON read_documents (projection, jurisdiction);
   CREATE INDEX read_documents_code ON read_documents (projection, code);
   CREATE INDEX read_documents_sort ON read_documents (projection, sort_key, id);
   CREATE TABLE read_checkpoints (projection TEXT PRIMARY KEY, position INTEGER NOT NULL, version INTEGER NOT NULL);`,
  // What a follower saves beside its position (Checkpoints); read models' rows leave it null.
  `ALTER TABLE read_checkpoints ADD COLUMN state TEXT;`,
];

const FILTER = `projection = @projection AND (@prefix IS NULL OR substr(jurisdiction, 1, length(@prefix)) = @prefix)
  AND (@kind IS NULL OR kind = @kind) AND (@code IS NULL OR code = @code)
  AND (@sortKeyUpTo IS NULL OR sort_key <= @sortKeyUpTo)`;

const indexColumns = (index: DocumentIndex | undefined) => ({
  jurisdiction: index?.jurisdiction ?? null,
  kind: index?.kind ?? null,
  code: index?.code ?? null,
  sortKey: index?.sortKey ?? null,
});

export class SqliteDocumentStore implements DocumentStore {
  readonly checkpoints: Checkpoints;
  private readonly statements;
  private readonly commitTransaction;
  private readonly insertTransaction;

  private constructor(private readonly db: Database.Database) {
    this.statements = {
      checkpoint: db.prepare<[string], { position: number; version: number }>(
        'SELECT position, version FROM read_checkpoints WHERE projection = ?',
      ),
      get: db.prepare<[string, string], { doc: string }>(
        'SELECT doc FROM read_documents WHERE projection = ? AND id = ?',
      ),
      upsert: db.prepare(
        `INSERT INTO read_documents (projection, id, doc, jurisdiction, kind, code, sort_key)
         VALUES (@projection, @id, @doc, @jurisdiction, @kind, @code, @sortKey)
         ON CONFLICT (projection, id) DO UPDATE SET doc = excluded.doc, jurisdiction = excluded.jurisdiction,
           kind = excluded.kind, code = excluded.code, sort_key = excluded.sort_key`,
      ),
      insert: db.prepare(
        `INSERT INTO read_documents (projection, id, doc, jurisdiction, kind, code, sort_key)
         VALUES (@projection, @id, @doc, @jurisdiction, @kind, @code, @sortKey)`,
      ),
      delete: db.prepare('DELETE FROM read_documents WHERE projection = ? AND id = ?'),
      saveCheckpoint: db.prepare(
        `INSERT INTO read_checkpoints (projection, position, version) VALUES (?, ?, ?)
         ON CONFLICT (projection) DO UPDATE SET position = excluded.position, version = excluded.version`,
      ),
      query: db.prepare(
        `SELECT id, doc FROM read_documents WHERE ${FILTER} ORDER BY sort_key, id LIMIT @limit OFFSET @offset`,
      ),
      count: db.prepare(`SELECT count(*) AS total FROM read_documents WHERE ${FILTER}`),
      resetDocuments: db.prepare('DELETE FROM read_documents WHERE projection = ?'),
      resetCheckpoint: db.prepare('DELETE FROM read_checkpoints WHERE projection = ?'),
      followerCheckpoint: db.prepare<[string], { position: number; state: string | null }>(
        'SELECT position, state FROM read_checkpoints WHERE projection = ?',
      ),
      saveFollowerCheckpoint: db.prepare(
        `INSERT INTO read_checkpoints (projection, position, version, state) VALUES (?, ?, 0, ?)
         ON CONFLICT (projection) DO UPDATE SET position = excluded.position, state = excluded.state`,
      ),
    };
    const { followerCheckpoint, saveFollowerCheckpoint } = this.statements;
    this.checkpoints = {
      async get<State>(name: string): Promise<Checkpoint<State> | undefined> {
        const row = followerCheckpoint.get(name);
        if (!row) return undefined;
        return row.state === null
          ? { position: row.position }
          : { position: row.position, state: JSON.parse(row.state) as State };
      },
      async save(name: string, position: number, state?: unknown): Promise<void> {
        saveFollowerCheckpoint.run(name, position, state == null ? null : JSON.stringify(state));
      },
    };
    this.commitTransaction = db.transaction((commits: readonly ProjectionCommit[]) => {
      for (const { projection, version, changes, position } of commits)
        this.write(projection, version, changes, position);
    });
    this.insertTransaction = db.transaction((additions: readonly NewDocuments[]) => {
      for (const { projection, documents } of additions)
        for (const document of documents)
          this.statements.insert.run({
            projection,
            id: document.id,
            doc: jsonOf(document),
            ...indexColumns(document.index),
          });
    });
  }

  private write(
    projection: string,
    version: number,
    changes: readonly DocumentChange[],
    position: number,
  ): void {
    for (const change of changes) {
      if (change.doc === null) this.statements.delete.run(projection, change.id);
      else
        this.statements.upsert.run({
          projection,
          id: change.id,
          doc: JSON.stringify(change.doc),
          ...indexColumns(change.index),
        });
    }
    this.statements.saveCheckpoint.run(projection, position, version);
  }

  static async open(options: { dataDir: string }): Promise<SqliteDocumentStore> {
    mkdirSync(options.dataDir, { recursive: true });
    // A file of its own: read models are rebuildable, so they never slow the event file's writer.
    const db = new Database(join(options.dataDir, 'read-models.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    const version = db.pragma('user_version', { simple: true }) as number;
    db.transaction(() => {
      MIGRATIONS.slice(version).forEach((sql) => db.exec(sql));
      db.pragma(`user_version = ${MIGRATIONS.length}`);
    }).immediate();
    return new SqliteDocumentStore(db);
  }

  async checkpoint(projection: string) {
    return this.statements.checkpoint.get(projection);
  }

  async load(projection: string, ids: readonly string[]): Promise<Map<string, unknown>> {
    const found = new Map<string, unknown>();
    for (const id of ids) {
      const row = this.statements.get.get(projection, id);
      if (row) found.set(id, JSON.parse(row.doc));
    }
    return found;
  }

  async loadAll(
    requests: ReadonlyMap<string, readonly string[]>,
  ): Promise<Map<string, Map<string, unknown>>> {
    const found = new Map<string, Map<string, unknown>>();
    for (const [projection, ids] of requests) found.set(projection, await this.load(projection, ids));
    return found;
  }

  async commit(
    projection: string,
    version: number,
    changes: readonly DocumentChange[],
    position: number,
  ): Promise<void> {
    this.commitTransaction([{ projection, version, changes, position }]);
  }

  async commitAll(commits: readonly ProjectionCommit[]): Promise<void> {
    this.commitTransaction(commits);
  }

  async insertNew(additions: readonly NewDocuments[]): Promise<void> {
    this.insertTransaction(additions);
  }

  async get<Doc>(projection: string, id: string): Promise<Doc | undefined> {
    const row = this.statements.get.get(projection, id);
    return row ? (JSON.parse(row.doc) as Doc) : undefined;
  }

  async query<Doc>(
    projection: string,
    query: DocumentQuery,
  ): Promise<{ items: StoredDocument<Doc>[]; total: number }> {
    const params = {
      projection,
      prefix: query.jurisdictionPrefix ?? null,
      kind: query.kind ?? null,
      code: query.code ?? null,
      sortKeyUpTo: query.sortKeyUpTo ?? null,
      limit: query.limit,
      offset: query.offset,
    };
    const rows = this.statements.query.all(params) as Array<{ id: string; doc: string }>;
    const { total } = this.statements.count.get(params) as { total: number };
    return { items: rows.map((row) => ({ id: row.id, doc: JSON.parse(row.doc) as Doc })), total };
  }

  async reset(projection: string): Promise<void> {
    this.db.transaction(() => {
      this.statements.resetDocuments.run(projection);
      this.statements.resetCheckpoint.run(projection);
    })();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
