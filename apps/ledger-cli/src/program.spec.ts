import { EXIT, NotFound, runCli, UsageError, type CliHandlers } from './program';

describe("ledger-cli's command line", () => {
  let calls: Array<[string, ...unknown[]]>;
  let out: string;
  let err: string;
  const record =
    (name: string, answer: () => Promise<number> = async () => EXIT.ok) =>
    async (...args: unknown[]) => {
      calls.push([name, ...args]);
      return answer();
    };
  const handlers = (overrides: Partial<CliHandlers> = {}): CliHandlers => ({
    verify: record('verify'),
    digest: record('digest'),
    rebuild: record('rebuild'),
    history: record('history'),
    state: record('state'),
    export: record('export'),
    publishCalendarYear: record('publishCalendarYear'),
    keysCreate: record('keysCreate'),
    keysList: record('keysList'),
    keysRotate: record('keysRotate'),
    keysRevoke: record('keysRevoke'),
    ledgerKeys: record('ledgerKeys'),
    consistency: record('consistency'),
    checkProof: record('checkProof'),
    verifyReport: record('verifyReport'),
    monitor: record('monitor'),
    ...overrides,
  });
  const cli = (argv: string[], overrides?: Partial<CliHandlers>) =>
    runCli(argv, { handlers: handlers(overrides), readModels: ['subject_credit_status'] });

  beforeEach(() => {
    calls = [];
    out = '';
    err = '';
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
  });
  afterEach(() => jest.restoreAllMocks());

  it('hands the command its arguments, valued options in both forms, switches and defaults', async () => {
    expect(await cli(['state', 'abc', '--as-of', '2026-01-01T00:00:00Z', '--by=business'])).toBe(EXIT.ok);
    expect(await cli(['history', 'abc', '--json'])).toBe(EXIT.ok);
    expect(await cli(['rebuild', 'all', '--batch=500'])).toBe(EXIT.ok);
    expect(calls).toEqual([
      ['state', 'abc', { asOf: '2026-01-01T00:00:00Z', by: 'business' }],
      ['history', 'abc', { json: true }],
      ['rebuild', 'all', { switch: 'handover', wait: 30, batch: 500 }],
    ]);
  });

  it('answers the handler’s exit code', async () => {
    expect(await cli(['verify'], { verify: async () => EXIT.verificationFailed })).toBe(
      EXIT.verificationFailed,
    );
  });

  it('refuses an option without its value, an unknown option, a bad number or choice: exit 2 with the help', async () => {
    for (const argv of [
      ['state', 'abc', '--as-of'],
      ['state', 'abc', '--as-of', 'yesterday'],
      ['state', 'abc'],
      ['verify', '--colour', 'red'],
      ['export', 'abc', '--digest', '-3'],
      ['rebuild', 'all', '--switch', 'later'],
      ['history'],
      ['frobnicate'],
      [],
    ]) {
      err = '';
      expect(await cli(argv)).toBe(EXIT.usage);
      expect(err).toContain('Usage: ledger-cli');
    }
    expect(calls).toEqual([]);
  });

  it('answers --help and help with the commands, and each command with its options', async () => {
    expect(await cli(['--help'])).toBe(EXIT.ok);
    expect(out).toMatch(/Usage: ledger-cli/);
    for (const command of ['verify', 'digest', 'rebuild', 'history', 'state', 'export'])
      expect(out).toContain(`  ${command}`);
    out = '';
    expect(await cli(['help', 'state'])).toBe(EXIT.ok);
    expect(out).toContain('Usage: ledger-cli state [options] <subject>');
    expect(out).toContain('--as-of <instant>');
    out = '';
    expect(await cli(['rebuild', '--help'])).toBe(EXIT.ok);
    expect(out).toContain('all, or one of subject_credit_status');
    expect(calls).toEqual([]);
  });

  it("answers a command's usage error with exit 2 and that command's help, and a missing subject with 3", async () => {
    const refuse = async (): Promise<number> => {
      throw new UsageError('give --reason');
    };
    expect(await cli(['history', 'abc'], { history: refuse })).toBe(EXIT.usage);
    expect(err).toContain('ledger-cli: give --reason');
    expect(err).toContain('Usage: ledger-cli history');
    const missing = async (): Promise<number> => {
      throw new NotFound('no subject abc');
    };
    expect(await cli(['history', 'abc'], { history: missing })).toBe(EXIT.notFound);
  });

  it('parses the proof commands: consistency positions as integers, check-proof files', async () => {
    expect(await cli(['consistency', '7', '12'])).toBe(EXIT.ok);
    expect(await cli(['check-proof', 'p.json', '--keys', 'k.json', '--digests', 'd.ndjson'])).toBe(EXIT.ok);
    expect(await cli(['ledger-keys'])).toBe(EXIT.ok);
    expect(await cli(['verify-report', 'r.json', '--keys', 'k.json'])).toBe(EXIT.ok);
    expect(calls).toEqual([
      ['consistency', 7, 12],
      ['checkProof', 'p.json', { keys: 'k.json', digests: 'd.ndjson' }],
      ['ledgerKeys'],
      ['verifyReport', 'r.json', { keys: 'k.json' }],
    ]);
    expect(await cli(['verify-report', 'r.json'])).toBe(EXIT.usage);
    expect(await cli(['consistency', 'x', '12'])).toBe(EXIT.usage);
  });
});
