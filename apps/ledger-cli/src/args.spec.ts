import { flag, integerFlag, onlyFlags, parseArgs, UsageError } from './args';

describe('the CLI argument parser', () => {
  it('reads the command, positionals, valued flags in both forms and switches', () => {
    const args = parseArgs(
      ['state', 'abc', '--as-of', '2026-01-01T00:00:00Z', '--by=business', '--json'],
      new Set(['json']),
    );
    expect(args.command).toBe('state');
    expect(args.positionals).toEqual(['abc']);
    expect(flag(args, 'as-of')).toBe('2026-01-01T00:00:00Z');
    expect(flag(args, 'by')).toBe('business');
    expect(args.flags.get('json')).toBe(true);
  });

  it('refuses a flag without its value, an unknown flag and a bad number', () => {
    expect(() => parseArgs(['state', '--as-of'], new Set())).toThrow(UsageError);
    expect(() => onlyFlags(parseArgs(['verify', '--colour', 'red'], new Set()), ['json'])).toThrow(
      'unknown option --colour',
    );
    expect(() => integerFlag(parseArgs(['export', '--digest', '-3'], new Set()), 'digest')).toThrow(
      UsageError,
    );
    expect(integerFlag(parseArgs(['x'], new Set()), 'wait', 30)).toBe(30);
  });
});
