#!/usr/bin/env node
// ledger-cli: the auditors' tools on the command line, with the API's configuration (DATABASE_URL,
// DATABASE_SCHEMA, LEDGER_DATA_DIR). Run: npx ts-node --transpile-only -r tsconfig-paths/register apps/ledger-cli/src/main.ts <command>
import 'reflect-metadata';
import { createWriteStream } from 'node:fs';
import { userInfo } from 'node:os';
import {
  auditProjections,
  computeDigest,
  logPersonalRecordView,
  openDigestStore,
  proveInclusion,
  readPointers,
  rebuildProjections,
  subjectStatusAsOf,
  verifyLedger,
  type DigestStore,
  type LedgerDigest,
  type TimeAxis,
} from '@ledger/audit';
import { readCalendarFile, subjectIdFor, uuidV7, WorkingCalendars } from '@ledger/application';
import { DomainError, isNaturalPersonKind, isSubjectKind, toSubjectStreamId } from '@ledger/domain';
import { openEventStore, type Actor, type EventStore, type StoredEvent } from '@ledger/event-store';
import {
  allProjections,
  PostgresDocumentStore,
  SqliteDocumentStore,
  type DocumentStore,
  type Projection,
} from '@ledger/projections';
import { loadAuditConfig } from '../../ledger-api/src/audit/audit-config';
import { loadConfig, type LedgerConfig } from '../../ledger-api/src/config/ledger-config';
import { flag, integerFlag, onlyFlags, parseArgs, UsageError, type ParsedArgs } from './args';
import { readDigestsFile } from './digests-file';
import { Progress } from './progress';

export const EXIT = { ok: 0, verificationFailed: 1, usage: 2, notFound: 3, error: 4 } as const;

const USAGE = `Usage: ledger-cli <command> [options]

Commands:
  verify [--digests <file>] [--json]
      Recompute every stream's hash chain and every digest in one pass over the global feed.
      --digests: digests held outside the ledger (JSON array or NDJSON of {upToPosition, eventCount, root,
      algorithm}), checked instead of the stored ones. Exit 1 when anything fails.
  digest
      Make a digest of the feed up to its head now and store it.
  rebuild <read-model|all> [--switch handover|now] [--wait <seconds>] [--batch <events>]
      Rebuild read models from zero into a new generation beside the live one. handover (default): the
      running ledger-api switches to it once its runner has caught up (waits up to --wait, default 30 s).
      now: catch up to the end of the feed and switch here; only when no ledger-api is running.
  history <subject> [--json] [--reason <why>]
      A subject's events, oldest first (NDJSON with --json).
  state <subject> --as-of <instant> [--by record|business] [--known-at <instant>] [--reason <why>]
      The credit status at an instant: record time (what the ledger said then) or business time.
  export <subject> [--digest <upToPosition>] [--out <file>] [--reason <why>]
      NDJSON for an auditor to take away: a header, the subject's events, the digest, then one inclusion
      proof per event (check them with libs/audit/src/verify-proof.ts or docs/ledger-proofs.md).
  publish-calendar-year <file> [--amend]
      Record a year's holiday arrangement from the State Council's notice, as an admin (LEDGER_CLI_USER):
      {year, holidays, makeUpWorkingDays, notice: {documentNumber, title, publishedOn}}, or {"years": [...]}.
      --amend: the file is a later notice changing a known year. Prints the events recorded.
  help

<subject> is a subject id (UUID) or its identifier (USCC or resident ID number, with LEDGER_ID_SECRET).
Reading a natural person's record needs --reason; the read is logged like an official's over HTTP.

Environment: DATABASE_URL (PostgreSQL; else the embedded store in LEDGER_DATA_DIR, default ./data),
DATABASE_SCHEMA (default ledger), LEDGER_ID_SECRET, LEDGER_DIGEST_CHUNK_SIZE, LEDGER_CLI_USER.

Exit codes: 0 done, 1 verification failed, 2 usage error, 3 not found, 4 other error.
`;

class NotFound extends Error {}

interface Context {
  readonly config: LedgerConfig;
  readonly events: EventStore;
  readonly close: () => Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function openContext(): Promise<Context> {
  const config = loadConfig();
  const events = await openEventStore({
    databaseUrl: config.databaseUrl,
    databaseSchema: config.databaseSchema,
    dataDir: config.dataDir,
  });
  return { config, events, close: () => events.close() };
}

function openDocuments(config: LedgerConfig): Promise<DocumentStore> {
  return config.databaseUrl
    ? PostgresDocumentStore.open({ connectionString: config.databaseUrl, schema: config.databaseSchema })
    : SqliteDocumentStore.open({ dataDir: config.dataDir });
}

function digestStore(events: EventStore): Promise<DigestStore> {
  return openDigestStore(events, { chunkSize: loadAuditConfig().digestChunkSize });
}

function subjectIdOf(config: LedgerConfig, argument: string | undefined): string {
  if (!argument) throw new UsageError('a subject (id or identifier) is required');
  return UUID.test(argument) ? argument.toLowerCase() : subjectIdFor(argument, config.idSecret);
}

const cliActor = (): Actor => ({
  userId: process.env.LEDGER_CLI_USER || userInfo().username,
  role: 'auditor',
  department: 'ledger-cli',
  jurisdiction: '000000',
});

/** Publishing the calendar changes what decisions depend on: the CLI user acts as an admin. */
const cliAdmin = (): Actor => ({ ...cliActor(), role: 'admin' });

async function publishCalendarYear(args: ParsedArgs): Promise<number> {
  onlyFlags(args, ['amend']);
  const file = args.positionals[0];
  if (!file) throw new UsageError('publish-calendar-year needs a JSON file');
  let years;
  try {
    years = readCalendarFile(file);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { events, close } = await openContext();
  try {
    const calendars = await WorkingCalendars.open(events);
    const type = args.flags.has('amend') ? 'AmendCalendarYear' : 'PublishCalendarYear';
    for (const data of years) {
      const context = { now: new Date().toISOString(), actor: cliAdmin(), correlationId: uuidV7() };
      for (const event of (await calendars.execute({ type, data }, context)).events) print(event);
    }
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    process.stderr.write(`ledger-cli: ${error.code}: ${error.message}\n`);
    return error.code === 'CALENDAR.YEAR_NOT_FOUND' ? EXIT.notFound : EXIT.error;
  } finally {
    await close();
  }
}

/** Natural persons' records are read with a reason, and the read is logged, as over HTTP. */
async function logRead(
  events: EventStore,
  subjectId: string,
  first: StoredEvent | undefined,
  args: ParsedArgs,
  resource: 'history' | 'export' | 'state-as-of',
) {
  const kind = first?.type === 'SubjectRegistered' ? (first.data as { kind?: string }).kind : undefined;
  if (!kind || !isSubjectKind(kind) || !isNaturalPersonKind(kind)) return;
  const reason = flag(args, 'reason')?.trim();
  if (!reason)
    throw new UsageError(
      `subject ${subjectId} is a natural person (${kind}): give --reason; the read is logged`,
    );
  await logPersonalRecordView(events, { subjectId, viewer: cliActor(), reason, resource });
}

function print(line: unknown): void {
  process.stdout.write(`${typeof line === 'string' ? line : JSON.stringify(line)}\n`);
}

async function verify(args: ParsedArgs): Promise<number> {
  onlyFlags(args, ['digests', 'json']);
  const { events, close } = await openContext();
  try {
    const digests = await digestStore(events).catch(() => undefined);
    const outside = flag(args, 'digests');
    const against: LedgerDigest[] = outside ? readDigestsFile(outside) : ((await digests?.list()) ?? []);
    const progress = new Progress('verify ');
    const started = performance.now();
    const report = await verifyLedger(events, against, {
      chunks: digests ? await digests.chunks(0, Number.MAX_SAFE_INTEGER) : [],
      chunkSize: digests?.chunkSize,
      onProgress: (p) =>
        progress.update(p.position, p.head, Math.round((p.events / (performance.now() - started)) * 1000)),
    });
    progress.update(report.checkedUpToPosition, report.checkedUpToPosition, report.eventsPerSecond, true);
    if (args.flags.has('json')) {
      print(report);
    } else {
      print(
        report.ok
          ? 'OK: every chain and digest holds'
          : `FAILED at position ${report.firstFailure!.position}: ${report.firstFailure!.reason}`,
      );
      if (!report.ok)
        for (const failure of report.failures)
          print(
            `  ${failure.reason} @ ${failure.position}${failure.toPosition ? `..${failure.toPosition}` : ''}: ${failure.message}`,
          );
      print(
        `events ${report.events}, streams ${report.streams}, digests checked ${report.digestsChecked}${outside ? ` (from ${outside})` : ''}, ` +
          `chunks checked ${report.chunksChecked}, up to position ${report.checkedUpToPosition}, ${report.durationMs} ms, ${report.eventsPerSecond} events/s`,
      );
    }
    return report.ok ? EXIT.ok : EXIT.verificationFailed;
  } finally {
    await close();
  }
}

async function digest(args: ParsedArgs): Promise<number> {
  onlyFlags(args, []);
  const { events, close } = await openContext();
  try {
    const digests = await digestStore(events);
    const made = await computeDigest(events, digests);
    if (made) print(made);
    else print({ unchanged: true, latest: (await digests.latest()) ?? null });
    return EXIT.ok;
  } finally {
    await close();
  }
}

async function rebuild(args: ParsedArgs): Promise<number> {
  onlyFlags(args, ['switch', 'wait', 'batch']);
  const all: readonly Projection<unknown>[] = [...allProjections, ...auditProjections];
  const which = args.positionals[0];
  if (!which) throw new UsageError(`rebuild needs a read model: all, ${all.map((p) => p.name).join(', ')}`);
  const chosen = which === 'all' ? all : all.filter((p) => p.name === which);
  if (chosen.length === 0)
    throw new UsageError(`unknown read model ${which}; known: all, ${all.map((p) => p.name).join(', ')}`);
  const mode = flag(args, 'switch') ?? 'handover';
  if (mode !== 'handover' && mode !== 'now') throw new UsageError('--switch must be handover or now');
  const waitSeconds = integerFlag(args, 'wait', 30)!;
  const { config, events, close } = await openContext();
  const documents = await openDocuments(config);
  try {
    const progress = new Progress('rebuild');
    const report = await rebuildProjections(events, documents, chosen, {
      switchMode: mode,
      batchSize: integerFlag(args, 'batch'),
      onProgress: (p) => progress.update(p.position, Math.max(p.head, p.position), p.eventsPerSecond),
    });
    progress.update(report.upToPosition, report.upToPosition, report.eventsPerSecond, true);
    for (const p of report.projections)
      print(
        `${p.name}: generation ${p.generation} built (replacing ${p.replaced}), ${p.documentsWritten} documents`,
      );
    print(`${report.events} events in ${report.durationMs} ms, ${report.eventsPerSecond} events/s`);
    if (report.switched) {
      print('switched: the new generations are live');
      return EXIT.ok;
    }
    const names = chosen.map((p) => p.name);
    const deadline = Date.now() + waitSeconds * 1000;
    for (;;) {
      const pointers = await readPointers(documents, names);
      const pending = report.projections.filter((p) => pointers.get(p.name)!.live !== p.generation);
      if (pending.length === 0) {
        print('switched: the running ledger caught the new generations up and made them live');
        return EXIT.ok;
      }
      if (Date.now() >= deadline) {
        print(
          `ready, not yet live: ${pending.map((p) => p.name).join(', ')}. The ledger-api that runs the read models switches once its ` +
            'runner reaches the rebuilt position (or when it next starts). With no ledger-api running, use --switch now.',
        );
        return EXIT.ok;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    await documents.close();
    await close();
  }
}

async function history(args: ParsedArgs): Promise<number> {
  onlyFlags(args, ['json', 'reason']);
  const { config, events, close } = await openContext();
  try {
    const subjectId = subjectIdOf(config, args.positionals[0]);
    const stream = await events.readStream(toSubjectStreamId(subjectId));
    if (stream.length === 0) throw new NotFound(`no subject ${subjectId}`);
    await logRead(events, subjectId, stream[0], args, 'history');
    for (const event of stream) {
      if (args.flags.has('json')) print(event);
      else
        print(
          `${String(event.revision).padStart(5)}  @${String(event.position).padEnd(9)} recorded ${event.recordedAt}  occurred ${event.metadata.occurredAt}  ${event.type}`,
        );
    }
    return EXIT.ok;
  } finally {
    await close();
  }
}

async function state(args: ParsedArgs): Promise<number> {
  onlyFlags(args, ['as-of', 'by', 'known-at', 'reason']);
  const asOf = flag(args, 'as-of');
  if (!asOf || Number.isNaN(Date.parse(asOf)) || !/(Z|[+-]\d{2}:\d{2})$/.test(asOf))
    throw new UsageError('--as-of must be an ISO 8601 instant with a zone');
  const by = (flag(args, 'by') ?? 'record') as TimeAxis;
  if (by !== 'record' && by !== 'business') throw new UsageError('--by must be record or business');
  const knownAt = flag(args, 'known-at');
  const { config, events, close } = await openContext();
  try {
    const subjectId = subjectIdOf(config, args.positionals[0]);
    const [first] = await events.readStream(toSubjectStreamId(subjectId), { toRevision: 0 });
    if (!first) throw new NotFound(`no subject ${subjectId}`);
    await logRead(events, subjectId, first, args, 'state-as-of');
    const status = await subjectStatusAsOf(events, subjectId, { asOf, by, knownAt });
    if (!status) throw new NotFound(`subject ${subjectId} was not registered at ${asOf} (${by} time)`);
    print(JSON.stringify(status, null, 2));
    return EXIT.ok;
  } finally {
    await close();
  }
}

async function exportSubject(args: ParsedArgs): Promise<number> {
  onlyFlags(args, ['digest', 'out', 'reason']);
  const { config, events, close } = await openContext();
  const out = flag(args, 'out');
  const sink = out ? createWriteStream(out) : process.stdout;
  const write = (line: unknown) => sink.write(`${JSON.stringify(line)}\n`);
  try {
    const subjectId = subjectIdOf(config, args.positionals[0]);
    const stream = await events.readStream(toSubjectStreamId(subjectId));
    if (stream.length === 0) throw new NotFound(`no subject ${subjectId}`);
    await logRead(events, subjectId, stream[0], args, 'export');
    const digests = await digestStore(events);
    const asked = integerFlag(args, 'digest');
    let digest = asked === undefined ? await digests.latest() : await digests.get(asked);
    if (asked !== undefined && !digest) throw new NotFound(`no digest up to position ${asked}`);
    const last = stream[stream.length - 1]!.position;
    if (asked === undefined && (!digest || digest.upToPosition < last)) {
      await computeDigest(events, digests);
      digest = await digests.latest();
      process.stderr.write(
        `made a digest up to position ${digest!.upToPosition} to cover the subject's last event\n`,
      );
    }
    write({
      kind: 'export',
      format: 'ledger-export-v1',
      subjectId,
      streamId: toSubjectStreamId(subjectId),
      exportedAt: new Date().toISOString(),
      events: stream.length,
    });
    for (const event of stream) write({ kind: 'event', event });
    const {
      frontier: _frontier,
      chunkSize: _chunkSize,
      openChunkFirstPosition: _open,
      ...published
    } = digest!;
    write({ kind: 'digest', digest: published });
    let unproven = 0;
    for (const event of stream) {
      if (event.position > digest!.upToPosition) {
        write({ kind: 'proof', eventId: event.id, error: 'AUDIT.EVENT_NOT_IN_DIGEST' });
        unproven += 1;
        continue;
      }
      const { proof } = await proveInclusion(events, digests, event.id, digest!.upToPosition);
      write({ kind: 'proof', eventId: event.id, proof });
    }
    if (out) {
      const file = sink as ReturnType<typeof createWriteStream>;
      await new Promise<void>((resolve, reject) => {
        file.on('error', reject);
        file.end(() => resolve());
      });
    }
    process.stderr.write(
      `exported ${stream.length} events with ${stream.length - unproven} proofs against the digest up to ${digest!.upToPosition}\n`,
    );
    return EXIT.ok;
  } finally {
    await close();
  }
}

export async function run(argv: readonly string[]): Promise<number> {
  try {
    const args = parseArgs(argv, new Set(['json', 'amend']));
    switch (args.command) {
      case 'verify':
        return await verify(args);
      case 'digest':
        return await digest(args);
      case 'rebuild':
        return await rebuild(args);
      case 'history':
        return await history(args);
      case 'state':
        return await state(args);
      case 'export':
        return await exportSubject(args);
      case 'publish-calendar-year':
        return await publishCalendarYear(args);
      case 'help':
      case '--help':
      case undefined:
        process.stdout.write(USAGE);
        return args.command === undefined ? EXIT.usage : EXIT.ok;
      default:
        throw new UsageError(`unknown command ${args.command}`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`ledger-cli: ${error.message}\n\n${USAGE}`);
      return EXIT.usage;
    }
    if (error instanceof NotFound || (error as { code?: string }).code === 'AUDIT.EVENT_NOT_FOUND') {
      process.stderr.write(`ledger-cli: ${(error as Error).message}\n`);
      return EXIT.notFound;
    }
    if ((error as { code?: string }).code === 'AUDIT.LEDGER_DIFFERS_FROM_DIGEST') {
      process.stderr.write(`ledger-cli: ${(error as Error).message}\n`);
      return EXIT.verificationFailed;
    }
    process.stderr.write(`ledger-cli: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT.error;
  }
}

if (require.main === module) {
  run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
