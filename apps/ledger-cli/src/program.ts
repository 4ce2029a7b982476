// ledger-cli's commands, options and help (commander), apart from what they do: `runCli` parses argv,
// calls the command's handler and turns the outcome into the exit code.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ConfigurationError } from '@ledger/runtime';

export const EXIT = { ok: 0, verificationFailed: 1, usage: 2, notFound: 3, error: 4 } as const;

/** A request the command cannot carry out as given; answered with exit 2 and the command's help. */
export class UsageError extends Error {}

/** What was asked for does not exist; exit 3. */
export class NotFound extends Error {}

export type TimeAxisOption = 'record' | 'business';

export interface CliHandlers {
  verify(options: { digests?: string; json?: boolean }): Promise<number>;
  digest(): Promise<number>;
  rebuild(
    readModel: string,
    options: { switch: 'handover' | 'now'; wait: number; batch?: number },
  ): Promise<number>;
  history(subject: string, options: { json?: boolean; reason?: string }): Promise<number>;
  state(
    subject: string,
    options: { asOf: string; by: TimeAxisOption; knownAt?: string; reason?: string },
  ): Promise<number>;
  export(subject: string, options: { digest?: number; out?: string; reason?: string }): Promise<number>;
  publishCalendarYear(file: string, options: { amend?: boolean }): Promise<number>;
  keysCreate(options: KeysCreateOptions): Promise<number>;
  keysList(options: { json?: boolean }): Promise<number>;
  keysRotate(
    keyId: string,
    options: { overlapHours: number; expiresInDays: number; json?: boolean },
  ): Promise<number>;
  keysRevoke(keyId: string, options: { reason: string }): Promise<number>;
  ledgerKeys(): Promise<number>;
  consistency(from: number, to: number): Promise<number>;
  checkProof(file: string, options: { keys?: string; digests?: string }): Promise<number>;
  verifyReport(file: string, options: { keys: string; digests?: string; json?: boolean }): Promise<number>;
  monitor(options: MonitorCliOptions): Promise<number>;
}

export interface MonitorCliOptions {
  readonly url: string;
  readonly keys: string;
  readonly state: string;
  readonly apiKey?: string;
  readonly follow?: boolean;
  readonly interval: number;
}

export interface KeysCreateOptions {
  readonly user: string;
  readonly role: string;
  readonly department: string;
  readonly jurisdiction: string;
  readonly label?: string;
  readonly expiresInDays: number;
  readonly json?: boolean;
}

const SUBJECT =
  '<subject> is a subject id (UUID) or its identifier (USCC or resident ID number, with LEDGER_ID_SECRET).';
const REASON = [
  '--reason <why>',
  "why a natural person's record is read: required for them, and the read is logged like an official's over HTTP",
] as const;

const ABOUT = `
${SUBJECT}
Reading a natural person's record needs --reason; the read is logged like an official's over HTTP.

Environment: DATABASE_URL (PostgreSQL; else the embedded store in LEDGER_DATA_DIR, default ./data),
DATABASE_SCHEMA (default ledger), LEDGER_ID_SECRET, LEDGER_DIGEST_CHUNK_SIZE, LEDGER_CLI_USER.

Exit codes: 0 done, 1 verification failed, 2 usage error, 3 not found, 4 other error.`;

function nonNegativeInteger(value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(parsed) || parsed < 0)
    throw new InvalidArgumentError('must be a non-negative integer');
  return parsed;
}

function instantWithZone(value: string): string {
  if (Number.isNaN(Date.parse(value)) || !/(Z|[+-]\d{2}:\d{2})$/.test(value))
    throw new InvalidArgumentError('must be an ISO 8601 instant with a zone');
  return value;
}

export interface CliSetup {
  readonly handlers: CliHandlers;
  /** Names `rebuild` accepts besides `all`, for its help. */
  readonly readModels: readonly string[];
}

/** The program; each command's action hands its exit code to `exit`. */
export function cliProgram({ handlers, readModels }: CliSetup, exit: (code: number) => void): Command {
  const program = new Command('ledger-cli')
    .usage('<command> [options]')
    .description("The auditors' tools: verify the ledger, make digests, rebuild read models, read history.")
    .addHelpText('after', ABOUT)
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => process.stdout.write(text),
      writeErr: (text) => process.stderr.write(text),
    });

  // Every subcommand answers failures like the program (exit code, not process.exit) and shows its help.
  const command = (nameAndArgs: string, description: string) =>
    program.command(nameAndArgs).description(description).showHelpAfterError().exitOverride();
  const act =
    <Args extends unknown[]>(handler: (...args: Args) => Promise<number>) =>
    async (...args: [...Args, Command]): Promise<void> => {
      const self = args[args.length - 1] as Command;
      try {
        exit(await handler(...(args.slice(0, -1) as Args)));
      } catch (error) {
        if (error instanceof UsageError) throw new CommandUsageError(error.message, self);
        throw error;
      }
    };

  command('verify', "Recompute every stream's hash chain and every digest in one pass over the global feed.")
    .option(
      '--digests <file>',
      'digests held outside the ledger (JSON array or NDJSON of {upToPosition, eventCount, root, algorithm}), checked instead of the stored ones',
    )
    .option('--json', 'the report as JSON')
    .addHelpText('after', '\nExit 1 when anything fails.')
    .action(act((options: { digests?: string; json?: boolean }) => handlers.verify(options)));

  command('digest', 'Make a digest of the feed up to its head now and store it.').action(
    act(() => handlers.digest()),
  );

  command('rebuild', 'Rebuild read models from zero into a new generation beside the live one.')
    .argument('<read-model>', `all, or one of ${readModels.join(', ')}`)
    .addOption(
      new Option(
        '--switch <mode>',
        'handover: the running ledger-api switches once its runner has caught up; now: catch up to the end of the feed and switch here (only when no ledger-api is running)',
      )
        .choices(['handover', 'now'])
        .default('handover'),
    )
    .addOption(
      new Option('--wait <seconds>', 'how long to wait for a handover')
        .argParser(nonNegativeInteger)
        .default(30),
    )
    .addOption(new Option('--batch <events>', 'events per read').argParser(nonNegativeInteger))
    .action(
      act((readModel: string, options: { switch: 'handover' | 'now'; wait: number; batch?: number }) =>
        handlers.rebuild(readModel, options),
      ),
    );

  command('history', "A subject's events, oldest first.")
    .argument('<subject>', 'subject id or identifier')
    .option('--json', 'NDJSON, one stored event per line')
    .option(...REASON)
    .addHelpText('after', `\n${SUBJECT}`)
    .action(
      act((subject: string, options: { json?: boolean; reason?: string }) =>
        handlers.history(subject, options),
      ),
    );

  command(
    'state',
    'The credit status at an instant: record time (what the ledger said then) or business time (what had happened).',
  )
    .argument('<subject>', 'subject id or identifier')
    .addOption(
      new Option('--as-of <instant>', 'ISO 8601 instant with a zone')
        .argParser(instantWithZone)
        .makeOptionMandatory(),
    )
    .addOption(new Option('--by <axis>', 'the time axis').choices(['record', 'business']).default('record'))
    .option('--known-at <instant>', 'business time as the ledger knew it at this record time')
    .option(...REASON)
    .addHelpText('after', `\n${SUBJECT}`)
    .action(
      act(
        (subject: string, options: { asOf: string; by: TimeAxisOption; knownAt?: string; reason?: string }) =>
          handlers.state(subject, options),
      ),
    );

  command(
    'export',
    "NDJSON for an auditor to take away: a header, the subject's events, the digest, then one inclusion proof per event.",
  )
    .argument('<subject>', 'subject id or identifier')
    .addOption(
      new Option('--digest <upToPosition>', 'the digest to prove against (default: the latest)').argParser(
        nonNegativeInteger,
      ),
    )
    .option('--out <file>', 'write to this file instead of stdout')
    .option(...REASON)
    .addHelpText(
      'after',
      `\nCheck the proofs with libs/audit/src/verify-proof.ts or docs/ledger-proofs.md.\n${SUBJECT}`,
    )
    .action(
      act((subject: string, options: { digest?: number; out?: string; reason?: string }) =>
        handlers.export(subject, options),
      ),
    );

  command(
    'ledger-keys',
    'The Ed25519 public keys digests are signed with (a JWK set with key ids and validity).',
  ).action(act(() => handlers.ledgerKeys()));

  command(
    'consistency',
    'Consistency proof that the digest up to <to> extends the digest up to <from> (JSON).',
  )
    .argument('<from>', 'upToPosition of the earlier digest', nonNegativeInteger)
    .argument('<to>', 'upToPosition of the later digest', nonNegativeInteger)
    .action(act((from: number, to: number) => handlers.consistency(from, to)));

  command(
    'check-proof',
    'Check inclusion and consistency proofs offline: an export, or the JSON of /audit/proof or /audit/consistency.',
  )
    .argument('<file>', 'JSON or NDJSON holding the proofs')
    .option(
      '--keys <file>',
      'the key set (ledger-keys.json) kept earlier: each digest named must be signed under it',
    )
    .option(
      '--digests <file>',
      'digests held outside the ledger: each digest a proof names must be one of them (and the proof is checked against it)',
    )
    .addHelpText('after', '\nNeeds no database. Exit 1 when any proof fails.')
    .action(
      act((file: string, options: { keys?: string; digests?: string }) => handlers.checkProof(file, options)),
    );

  command(
    'verify-report',
    'Check a credit report (JSON) offline: its seal, its digest signature and every inclusion proof.',
  )
    .argument('<file>', 'the report as GET /api/v1/subjects/{id}/credit-report answered it')
    .requiredOption('--keys <file>', 'the key set (/.well-known/ledger-keys.json) kept earlier')
    .option('--digests <file>', 'digests held outside the ledger: the report’s digest must be one of them')
    .option('--json', 'print the verdict as JSON')
    .addHelpText('after', '\nNeeds no database. Exit 0 genuine; 1 when anything fails (each failure named).')
    .action(
      act((file: string, options: { keys: string; digests?: string; json?: boolean }) =>
        handlers.verifyReport(file, options),
      ),
    );

  command(
    'monitor',
    'Watch the ledger as an outsider: check each new digest against the last one trusted (signature, consistency).',
  )
    .requiredOption('--url <url>', "the ledger API's base URL")
    .requiredOption('--keys <file>', 'the key set (ledger-keys.json) kept when the monitor was set up')
    .requiredOption('--state <file>', 'where the trusted digest is kept between runs (outside the ledger)')
    .option('--api-key <key>', "an auditor's API key (default: LEDGER_MONITOR_API_KEY)")
    .option('--follow', 'keep watching, one round every --interval seconds, until an alarm')
    .addOption(
      new Option('--interval <seconds>', 'pause between rounds').argParser(nonNegativeInteger).default(60),
    )
    .addHelpText(
      'after',
      '\nThe first run trusts the newest signed digest. Exit 1 on an alarm: a digest not signed under the kept keys, a trusted digest changed or gone, or a newer digest that does not extend it (a fork or a rewrite).',
    )
    .action(act((options: MonitorCliOptions) => handlers.monitor(options)));

  command(
    'publish-calendar-year',
    "Record a year's holiday arrangement from the State Council's notice, as an admin (LEDGER_CLI_USER).",
  )
    .argument(
      '<file>',
      'JSON {year, holidays, makeUpWorkingDays, notice: {documentNumber, title, publishedOn}}, or {"years": [...]}',
    )
    .option('--amend', 'replace the arrangement of a year already known (a later notice amending it)')
    .action(act((file: string, options: { amend?: boolean }) => handlers.publishCalendarYear(file, options)));

  const keys = program
    .command('keys')
    .description(
      'Managed API keys (stored as SHA-256 digests in the api-keys stream; the CLI user acts as an admin, LEDGER_CLI_USER).',
    )
    .showHelpAfterError()
    .exitOverride();
  const keysCommand = (nameAndArgs: string, description: string) =>
    keys.command(nameAndArgs).description(description).showHelpAfterError().exitOverride();
  const positiveInteger = (value: string) => {
    const parsed = nonNegativeInteger(value);
    if (parsed === 0) throw new InvalidArgumentError('must be a positive integer');
    return parsed;
  };

  keysCommand('create', 'Issue a key; it is printed this once and stored nowhere.')
    .requiredOption('--user <userId>', 'who the key stands for (the actor of the events it causes)')
    .addOption(
      new Option('--role <role>', 'the role it acts in')
        .choices(['admin', 'official', 'reviewer', 'auditor', 'discipline-system'])
        .makeOptionMandatory(),
    )
    .requiredOption('--department <department>', 'its department')
    .requiredOption('--jurisdiction <code>', 'the 6-digit division code of its authority')
    .option('--label <text>', 'what the key is for')
    .addOption(
      new Option('--expires-in-days <days>', 'days until it expires (at most 397)')
        .argParser(positiveInteger)
        .default(90),
    )
    .option('--json', 'the answer as JSON')
    .action(act((options: KeysCreateOptions) => handlers.keysCreate(options)));

  keysCommand('list', 'Every key: id, holder, status, expiry, last use (never the keys).')
    .option('--json', 'NDJSON, one key per line')
    .action(act((options: { json?: boolean }) => handlers.keysList(options)));

  keysCommand('rotate', 'Issue a replacement for a key; the old one stays valid for the overlap.')
    .argument('<key-id>', 'the id of the key to replace (the part after lck_)')
    .addOption(
      new Option('--overlap-hours <hours>', 'how long the old key stays valid (at most 720)')
        .argParser(positiveInteger)
        .default(24),
    )
    .addOption(
      new Option('--expires-in-days <days>', 'days until the new key expires')
        .argParser(positiveInteger)
        .default(90),
    )
    .option('--json', 'the answer as JSON')
    .action(
      act((keyId: string, options: { overlapHours: number; expiresInDays: number; json?: boolean }) =>
        handlers.keysRotate(keyId, options),
      ),
    );

  keysCommand('revoke', 'Revoke a key now (running ledgers refuse it within LEDGER_API_KEY_REFRESH_MS).')
    .argument('<key-id>', 'the id of the key')
    .requiredOption('--reason <why>', 'why it is revoked (recorded)')
    .action(act((keyId: string, options: { reason: string }) => handlers.keysRevoke(keyId, options)));

  return program;
}

class CommandUsageError extends UsageError {
  constructor(
    message: string,
    readonly command: Command,
  ) {
    super(message);
  }
}

/** Runs one command line; resolves to its exit code (never exits the process). */
export async function runCli(argv: readonly string[], setup: CliSetup): Promise<number> {
  let code: number = EXIT.ok;
  const program = cliProgram(setup, (exitCode) => (code = exitCode));
  try {
    if (argv.length === 0) {
      program.outputHelp({ error: true });
      return EXIT.usage;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    // Help asked for (exit code 0), or a usage error commander has explained, with the help.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (error instanceof UsageError) {
      const help = error instanceof CommandUsageError ? error.command : program;
      process.stderr.write(`ledger-cli: ${error.message}\n\n${help.helpInformation()}`);
      return EXIT.usage;
    }
    if (error instanceof ConfigurationError) {
      process.stderr.write(`ledger-cli: ${error.message}\n`);
      return EXIT.usage;
    }
    const code = (error as { code?: string }).code;
    if (error instanceof NotFound || code === 'AUDIT.EVENT_NOT_FOUND' || code === 'API_KEY.NOT_FOUND') {
      process.stderr.write(`ledger-cli: ${(error as Error).message}\n`);
      return EXIT.notFound;
    }
    if (code === 'AUDIT.LEDGER_DIFFERS_FROM_DIGEST') {
      process.stderr.write(`ledger-cli: ${(error as Error).message}\n`);
      return EXIT.verificationFailed;
    }
    process.stderr.write(`ledger-cli: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT.error;
  }
}
