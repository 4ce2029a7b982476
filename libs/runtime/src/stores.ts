// The ledger's stores, chosen by configuration: the event store (PostgreSQL when DATABASE_URL is set, else
// the embedded SQLite store), the read models' documents beside it, followers' checkpoints, and the digests.
// Each opener stands alone for a process that needs only some of them (ledger-cli); `openStores` opens all
// of them as a running ledger uses them.
import {
  auditProjections,
  DigestsUnsupported,
  type DigestSigning,
  openDigestStore as openDigestStoreBeside,
  type DigestStore,
} from '@ledger/audit';
import { openEventStore as openEventStoreOf, type EventSigning, type EventStore } from '@ledger/event-store';
import {
  allProjections,
  GenerationalDocumentStore,
  PostgresDocumentStore,
  SqliteDocumentStore,
  type Checkpoints,
  type DocumentStore,
  type LeaseGrant,
} from '@ledger/projections';
import { digestSigningOf, eventSigningOf, type LedgerConfig } from './config/ledger-config';
import { logFor, silentLogger, type LedgerLogger } from './logging/ledger-logger';

export interface LedgerStores {
  readonly events: EventStore;
  /** Read models' documents, each read model through its live generation (so a rebuild can switch in). */
  readonly documents: DocumentStore;
  /** Checkpoints of the followers that write no documents (relay, digest publisher). */
  readonly checkpoints: Checkpoints;
  /** Null where the event store keeps none (KurrentDB). */
  readonly digests: DigestStore | null;
  /** The keys events are signed with here, and checked with by every follower and verification. */
  readonly signing: EventSigning;
  /** The Ed25519 keys digests are signed with here; their public halves are the well-known key set. */
  readonly digestSigning: DigestSigning;
  /** Fences every later read-model commit and checkpoint save with this lease (PostgreSQL; else nothing). */
  fenceWith(grant: LeaseGrant | undefined): void;
  close(): Promise<void>;
}

export async function openEventStore(
  config: LedgerConfig,
  logger: LedgerLogger = silentLogger,
): Promise<EventStore> {
  const store = await openEventStoreOf({
    databaseUrl: config.databaseUrl,
    databaseSchema: config.databaseSchema,
    dataDir: config.dataDir,
    maxEventBytes: config.maxEventBytes,
    signing: eventSigningOf(config),
  });
  if (!config.digestSigningKeys) {
    logger.warn(
      {
        msg: 'LEDGER_DIGEST_SIGNING_KEYS is not set: digests are signed with the development key, which anyone can use',
      },
      'Audit',
    );
  }
  if (!config.signingKeys) {
    logger.warn(
      {
        msg: 'LEDGER_SIGNING_KEYS is not set: events are signed with the development key, which anyone can use; such signatures prove nothing',
      },
      'EventStore',
    );
  }
  logger.log(
    {
      msg: 'event store open',
      store: store.kind,
      where: config.databaseUrl ? redact(config.databaseUrl) : config.dataDir,
    },
    'EventStore',
  );
  return store;
}

/** The read models' store itself, generations not mapped (what a rebuild writes to). */
export function openDocumentStore(
  config: LedgerConfig,
): Promise<PostgresDocumentStore | SqliteDocumentStore> {
  return config.databaseUrl
    ? PostgresDocumentStore.open({ connectionString: config.databaseUrl, schema: config.databaseSchema })
    : SqliteDocumentStore.open({ dataDir: config.dataDir });
}

/** The digests kept beside the event store; throws DigestsUnsupported where there are none. */
export function openDigestStore(events: EventStore, config: LedgerConfig): Promise<DigestStore> {
  return openDigestStoreBeside(events, { chunkSize: config.digestChunkSize });
}

export async function openStores(
  config: LedgerConfig,
  logger: LedgerLogger = silentLogger,
): Promise<LedgerStores> {
  const events = await openEventStore(config, logger);
  let store: PostgresDocumentStore | SqliteDocumentStore | undefined;
  let documents: GenerationalDocumentStore | undefined;
  try {
    store = await openDocumentStore(config);
    // Reads and the runners follow the live generation, so `ledger-cli rebuild` can swap in a rebuilt one.
    const readModels = logFor(logger, 'ReadModels');
    documents = await GenerationalDocumentStore.open(store, {
      events,
      projections: [...allProjections, ...auditProjections],
      handover: true,
      onSwitch: (info) => readModels.log({ msg: 'read model switched to a rebuilt generation', ...info }),
      onError: readModels.failure,
    });
    let digests: DigestStore | null = null;
    try {
      digests = await openDigestStore(events, config);
    } catch (error) {
      if (!(error instanceof DigestsUnsupported)) throw error;
      logger.warn({ msg: error.message }, 'Audit');
    }
    const opened = documents;
    const underlying = store;
    return {
      events,
      documents,
      checkpoints: store.checkpoints,
      digests,
      signing: eventSigningOf(config),
      digestSigning: digestSigningOf(config),
      fenceWith(grant) {
        if (underlying instanceof PostgresDocumentStore) underlying.fenceWith(grant);
      },
      async close() {
        await opened.close(); // and the store it wraps
        await events.close();
      },
    };
  } catch (error) {
    await (documents ?? store)?.close().catch(() => undefined);
    await events.close().catch(() => undefined);
    throw error;
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
