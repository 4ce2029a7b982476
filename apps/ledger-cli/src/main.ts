#!/usr/bin/env node
// ledger-cli: the auditors' tools on the command line, with the ledger's configuration (DATABASE_URL,
// DATABASE_SCHEMA, LEDGER_DATA_DIR, …; see the README). Run: npm run cli -- <command>; --help lists them.
import 'reflect-metadata';
import { createWriteStream } from 'node:fs';
import { userInfo } from 'node:os';
import {
  auditProjections,
  computeDigest,
  logPersonalRecordView,
  proveConsistency,
  proveInclusion,
  subjectStatusAsOf,
  verifyLedger,
  type LedgerDigest,
} from '@ledger/audit';
import {
  ApiKeyRegistry,
  readCalendarFile,
  subjectIdFor,
  uuidV7,
  WorkingCalendars,
  type ApiKeyView,
  type RequestContext,
} from '@ledger/application';
import {
  DomainError,
  InvalidInput,
  NotFound as DomainNotFound,
  isNaturalPersonKind,
  isSubjectKind,
  toSubjectStreamId,
} from '@ledger/domain';
import type { Actor, EventStore, StoredEvent } from '@ledger/event-store';
import { allProjections, readPointers, rebuildProjections, type Projection } from '@ledger/projections';
import {
  digestSigningOf,
  eventSigningOf,
  loadConfig,
  openDigestStore,
  openDocumentStore,
  openEventStore,
  type LedgerConfig,
} from '@ledger/runtime';
import { checkProofs, readKeysFile } from './check-proof';
import { monitorOnce } from './monitor';
import { checkReport, readReportFile } from './verify-report';
import { readDigestsFile } from './digests-file';
import { EXIT, NotFound, runCli, UsageError, type CliHandlers } from './program';
import { Progress } from './progress';

export { EXIT } from './program';

interface Context {
  readonly config: LedgerConfig;
  readonly events: EventStore;
  readonly close: () => Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function openContext(): Promise<Context> {
  const config = loadConfig();
  const events = await openEventStore(config);
  return { config, events, close: () => events.close() };
}

function subjectIdOf(config: LedgerConfig, argument: string): string {
  return UUID.test(argument) ? argument.toLowerCase() : subjectIdFor(argument, config.idSecret);
}

const cliActor = (config: LedgerConfig): Actor => ({
  userId: config.cliUser ?? userInfo().username,
  role: 'auditor',
  department: 'ledger-cli',
  jurisdiction: '000000',
});

/** Publishing the calendar changes what decisions depend on: the CLI user acts as an admin. */
const cliAdmin = (config: LedgerConfig): Actor => ({ ...cliActor(config), role: 'admin' });

const publishCalendarYear: CliHandlers['publishCalendarYear'] = async (file, options) => {
  let years;
  try {
    years = readCalendarFile(file);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { config, events, close } = await openContext();
  try {
    const calendars = await WorkingCalendars.open(events);
    const type = options.amend ? 'AmendCalendarYear' : 'PublishCalendarYear';
    for (const data of years) {
      const context = { now: new Date().toISOString(), actor: cliAdmin(config), correlationId: uuidV7() };
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
};

// ---------------------------------------------------------------- keys

const DAY_MS = 86_400_000;

/** The key registry over the ledger's store, with the last uses kept beside the read models. */
async function withKeys(run: (keys: ApiKeyRegistry, context: RequestContext) => Promise<number>) {
  const { config, events, close } = await openContext();
  const documents = await openDocumentStore(config);
  try {
    const keys = await ApiKeyRegistry.open(events, { usage: documents.checkpoints });
    const context = { now: new Date().toISOString(), actor: cliAdmin(config), correlationId: uuidV7() };
    return await run(keys, context);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    process.stderr.write(`ledger-cli: ${error.code}: ${error.message}\n`);
    if (error instanceof DomainNotFound) return EXIT.notFound;
    return error instanceof InvalidInput ? EXIT.usage : EXIT.error;
  } finally {
    await documents.close();
    await close();
  }
}

const describeKey = (key: ApiKeyView): string =>
  [
    key.keyId,
    key.status.padEnd(7),
    `${key.holder.userId} (${key.holder.role}, ${key.holder.department}, ${key.holder.jurisdiction})`,
    `expires ${key.expiresAt}`,
    `last used ${key.lastUsedAt ?? 'never'}`,
    ...(key.label ? [`"${key.label}"`] : []),
    ...(key.replacedBy ? [`replaced by ${key.replacedBy}`] : []),
  ].join('  ');

const shown = ({ secretSha256: _digest, ...key }: ApiKeyView) => key;

const keysCreate: CliHandlers['keysCreate'] = (options) =>
  withKeys(async (keys, context) => {
    const issued = await keys.issue(
      {
        holder: {
          userId: options.user,
          role: options.role,
          department: options.department,
          jurisdiction: options.jurisdiction,
        },
        label: options.label,
        expiresAt: new Date(Date.parse(context.now) + options.expiresInDays * DAY_MS).toISOString(),
      },
      context,
    );
    if (options.json) print({ key: issued.key, apiKey: shown(issued.record) });
    else {
      print(issued.key);
      process.stderr.write(
        `issued ${describeKey(issued.record)}\nthe key above is shown this once: store it now\n`,
      );
    }
    return EXIT.ok;
  });

const keysList: CliHandlers['keysList'] = (options) =>
  withKeys(async (keys) => {
    for (const key of await keys.list()) print(options.json ? shown(key) : describeKey(key));
    return EXIT.ok;
  });

const keysRotate: CliHandlers['keysRotate'] = (keyId, options) =>
  withKeys(async (keys, context) => {
    const now = Date.parse(context.now);
    const issued = await keys.rotate(
      keyId,
      {
        overlapUntil: new Date(now + options.overlapHours * 3_600_000).toISOString(),
        expiresAt: new Date(now + options.expiresInDays * DAY_MS).toISOString(),
      },
      context,
    );
    if (options.json)
      print({ key: issued.key, apiKey: shown(issued.record), previous: shown(issued.previous) });
    else {
      print(issued.key);
      process.stderr.write(
        `issued ${describeKey(issued.record)}\n${keyId} stays valid until ${issued.previous.expiresAt}\n` +
          'the key above is shown this once: store it now\n',
      );
    }
    return EXIT.ok;
  });

const keysRevoke: CliHandlers['keysRevoke'] = (keyId, options) =>
  withKeys(async (keys, context) => {
    print(describeKey(await keys.revoke(keyId, options.reason, context)));
    return EXIT.ok;
  });

/** Natural persons' records are read with a reason, and the read is logged, as over HTTP. */
async function logRead(
  { config, events }: Context,
  subjectId: string,
  first: StoredEvent | undefined,
  givenReason: string | undefined,
  resource: 'history' | 'export' | 'state-as-of',
) {
  const kind = first?.type === 'SubjectRegistered' ? (first.data as { kind?: string }).kind : undefined;
  if (!kind || !isSubjectKind(kind) || !isNaturalPersonKind(kind)) return;
  const reason = givenReason?.trim();
  if (!reason)
    throw new UsageError(
      `subject ${subjectId} is a natural person (${kind}): give --reason; the read is logged`,
    );
  await logPersonalRecordView(events, { subjectId, viewer: cliActor(config), reason, resource });
}

function print(line: unknown): void {
  process.stdout.write(`${typeof line === 'string' ? line : JSON.stringify(line)}\n`);
}

const verify: CliHandlers['verify'] = async (options) => {
  const { config, events, close } = await openContext();
  try {
    const digests = await openDigestStore(events, config).catch(() => undefined);
    const outside = options.digests;
    const against: LedgerDigest[] = outside ? readDigestsFile(outside) : ((await digests?.list()) ?? []);
    const progress = new Progress('verify');
    const started = performance.now();
    const report = await verifyLedger(events, against, {
      chunks: digests ? await digests.chunks(0, Number.MAX_SAFE_INTEGER) : [],
      chunkSize: digests?.chunkSize,
      signing: eventSigningOf(config),
      onProgress: (p) =>
        progress.update(p.position, p.head, Math.round((p.events / (performance.now() - started)) * 1000)),
    });
    progress.finish(report.checkedUpToPosition, report.checkedUpToPosition, report.eventsPerSecond);
    if (options.json) {
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
          `chunks checked ${report.chunksChecked}, signed events ${report.signedEvents}, ` +
          `legacy unsigned ${report.legacyUnsignedEvents} (LEDGER_UNSIGNED_UP_TO ${report.unsignedUpTo}), up to position ${report.checkedUpToPosition}, ${report.durationMs} ms, ${report.eventsPerSecond} events/s`,
      );
    }
    return report.ok ? EXIT.ok : EXIT.verificationFailed;
  } finally {
    await close();
  }
};

const digest: CliHandlers['digest'] = async () => {
  const { config, events, close } = await openContext();
  try {
    const digests = await openDigestStore(events, config);
    const made = await computeDigest(events, digests, {
      signing: eventSigningOf(config),
      digestSigning: digestSigningOf(config),
    });
    if (made) print(made);
    else print({ unchanged: true, latest: (await digests.latest()) ?? null });
    return EXIT.ok;
  } finally {
    await close();
  }
};

const readModels: readonly Projection<unknown>[] = [...allProjections, ...auditProjections];

const rebuild: CliHandlers['rebuild'] = async (which, options) => {
  const all = readModels;
  const chosen = which === 'all' ? all : all.filter((p) => p.name === which);
  if (chosen.length === 0)
    throw new UsageError(`unknown read model ${which}; known: all, ${all.map((p) => p.name).join(', ')}`);
  const { config, events, close } = await openContext();
  const documents = await openDocumentStore(config);
  try {
    const progress = new Progress('rebuild');
    const report = await rebuildProjections(events, documents, chosen, {
      switchMode: options.switch,
      batchSize: options.batch,
      onProgress: (p) => progress.update(p.position, Math.max(p.head, p.position), p.eventsPerSecond),
    });
    progress.finish(report.upToPosition, report.upToPosition, report.eventsPerSecond);
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
    const deadline = Date.now() + options.wait * 1000;
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
};

const history: CliHandlers['history'] = async (subject, options) => {
  const context = await openContext();
  try {
    const subjectId = subjectIdOf(context.config, subject);
    const stream = await context.events.readStream(toSubjectStreamId(subjectId));
    if (stream.length === 0) throw new NotFound(`no subject ${subjectId}`);
    await logRead(context, subjectId, stream[0], options.reason, 'history');
    for (const event of stream) {
      if (options.json) print(event);
      else
        print(
          `${String(event.revision).padStart(5)}  @${String(event.position).padEnd(9)} recorded ${event.recordedAt}  occurred ${event.metadata.occurredAt}  ${event.type}`,
        );
    }
    return EXIT.ok;
  } finally {
    await context.close();
  }
};

const state: CliHandlers['state'] = async (subject, { asOf, by, knownAt, reason }) => {
  const context = await openContext();
  try {
    const subjectId = subjectIdOf(context.config, subject);
    const [first] = await context.events.readStream(toSubjectStreamId(subjectId), { toRevision: 0 });
    if (!first) throw new NotFound(`no subject ${subjectId}`);
    await logRead(context, subjectId, first, reason, 'state-as-of');
    const status = await subjectStatusAsOf(context.events, subjectId, { asOf, by, knownAt });
    if (!status) throw new NotFound(`subject ${subjectId} was not registered at ${asOf} (${by} time)`);
    print(JSON.stringify(status, null, 2));
    return EXIT.ok;
  } finally {
    await context.close();
  }
};

const exportSubject: CliHandlers['export'] = async (subject, options) => {
  const context = await openContext();
  const { config, events } = context;
  const sink = options.out ? createWriteStream(options.out) : process.stdout;
  const write = (line: unknown) => sink.write(`${JSON.stringify(line)}\n`);
  try {
    const subjectId = subjectIdOf(config, subject);
    const stream = await events.readStream(toSubjectStreamId(subjectId));
    if (stream.length === 0) throw new NotFound(`no subject ${subjectId}`);
    await logRead(context, subjectId, stream[0], options.reason, 'export');
    const digests = await openDigestStore(events, config);
    const asked = options.digest;
    let digest = asked === undefined ? await digests.latest() : await digests.get(asked);
    if (asked !== undefined && !digest) throw new NotFound(`no digest up to position ${asked}`);
    const last = stream[stream.length - 1]!.position;
    if (asked === undefined && (!digest || digest.upToPosition < last)) {
      await computeDigest(events, digests, {
        signing: eventSigningOf(config),
        digestSigning: digestSigningOf(config),
      });
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
    const progress = new Progress('export', { name: 'proofs', rate: 'proofs/s' });
    const started = performance.now();
    const perSecond = (done: number) => Math.round((done / Math.max(1, performance.now() - started)) * 1000);
    let unproven = 0;
    for (const [i, event] of stream.entries()) {
      if (event.position > digest!.upToPosition) {
        write({ kind: 'proof', eventId: event.id, error: 'AUDIT.EVENT_NOT_IN_DIGEST' });
        unproven += 1;
      } else {
        const { proof } = await proveInclusion(events, digests, event.id, digest!.upToPosition);
        write({ kind: 'proof', eventId: event.id, proof });
      }
      progress.update(i + 1, stream.length, perSecond(i + 1));
    }
    progress.finish(stream.length, stream.length, perSecond(stream.length));
    if (options.out) {
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
    await context.close();
  }
};

const ledgerKeys: CliHandlers['ledgerKeys'] = async () => {
  print(JSON.stringify(digestSigningOf(loadConfig()).keySet(), null, 2));
  return EXIT.ok;
};

const consistency: CliHandlers['consistency'] = async (from, to) => {
  const { config, events, close } = await openContext();
  try {
    print(await proveConsistency(events, await openDigestStore(events, config), from, to));
    return EXIT.ok;
  } finally {
    await close();
  }
};

const checkProof: CliHandlers['checkProof'] = async (file, options) => {
  const results = checkProofs(file, {
    keys: options.keys ? readKeysFile(options.keys) : undefined,
    trusted: options.digests ? readDigestsFile(options.digests) : undefined,
  });
  for (const result of results)
    print(
      `${result.valid ? 'OK' : 'FAILED'} ${result.kind}${result.eventId ? ` ${result.eventId}` : ''}${result.reason ? `: ${result.reason}` : ''}`,
    );
  const failed = results.filter((r) => !r.valid).length;
  print(
    `${results.length - failed} of ${results.length} proofs hold${options.keys ? ', digests signed' : ''}`,
  );
  return failed === 0 ? EXIT.ok : EXIT.verificationFailed;
};

const verifyReport: CliHandlers['verifyReport'] = async (file, options) => {
  const result = checkReport(
    readReportFile(file),
    readKeysFile(options.keys),
    options.digests ? readDigestsFile(options.digests) : undefined,
  );
  if (options.json) print(JSON.stringify(result));
  else {
    for (const failure of result.failures) print(`FAILED ${failure}`);
    print(
      result.genuine
        ? `GENUINE ${result.reportNo}: seal valid, digest signed, ${result.proofs} proofs hold`
        : `NOT GENUINE ${result.reportNo ?? '(no report number)'}: ${result.failures.length} check(s) failed`,
    );
  }
  return result.genuine ? EXIT.ok : EXIT.verificationFailed;
};

const monitor: CliHandlers['monitor'] = async (options) => {
  const apiKey = options.apiKey ?? process.env.LEDGER_MONITOR_API_KEY;
  if (!apiKey) throw new UsageError('give --api-key or set LEDGER_MONITOR_API_KEY (an auditor key)');
  const keys = readKeysFile(options.keys);
  for (;;) {
    const outcome = await monitorOnce({ url: options.url, apiKey, keys, stateFile: options.state });
    const at = new Date().toISOString();
    if (outcome.status === 'alarm') {
      process.stderr.write(
        `${JSON.stringify({ level: 'error', at, msg: 'ledger monitor alarm', ...outcome })}\n`,
      );
      return EXIT.verificationFailed;
    }
    print({ level: 'info', at, msg: 'ledger monitor round', ...outcome });
    if (!options.follow) return EXIT.ok;
    await new Promise((resolve) => setTimeout(resolve, options.interval * 1000));
  }
};

const handlers: CliHandlers = {
  verify,
  digest,
  rebuild,
  history,
  state,
  export: exportSubject,
  publishCalendarYear,
  keysCreate,
  keysList,
  keysRotate,
  keysRevoke,
  ledgerKeys,
  consistency,
  checkProof,
  verifyReport,
  monitor,
};

/** Runs one command line in this process; resolves to its exit code. */
export function run(argv: readonly string[]): Promise<number> {
  return runCli(argv, { handlers, readModels: readModels.map((p) => p.name) });
}

if (require.main === module) {
  run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
