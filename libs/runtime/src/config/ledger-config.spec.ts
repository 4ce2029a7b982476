import { resolve } from 'node:path';
import { ConfigurationError } from './environment';
import { digestSigningOf, eventSigningOf, loadConfig } from './ledger-config';

const refusal = (env: NodeJS.ProcessEnv): ConfigurationError => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('the configuration was accepted');
};

describe('the configuration', () => {
  it('gives a working embedded ledger with nothing set (the README table)', () => {
    expect(loadConfig({})).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      databaseUrl: undefined,
      databaseSchema: 'ledger',
      dataDir: resolve('./data'),
      apiKeys: undefined,
      idSecret: 'development-only-id-secret',
      policyVersion: '2025-01',
      maxEventBytes: 262_144,
      maxBodyBytes: 262_144,
      logLevel: 'info',
      kafkaBrokers: undefined,
      runWorkers: true,
      schedulerIntervalMs: 60_000,
      digestEveryEvents: 10_000,
      digestEverySeconds: 60,
      digestChunkSize: 1024,
      digestsEnabled: true,
      digestTopic: undefined,
    });
  });

  it('reads each variable into its field, an empty one as unset', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '',
      LEDGER_DATA_DIR: 'var/ledger',
      LEDGER_WORKERS: 'off',
      LEDGER_DIGESTS: 'off',
      LEDGER_DIGEST_EVERY_SECONDS: '0.2',
      KAFKA_BROKERS: 'a:9092,b:9092',
      LEDGER_API_KEYS: JSON.stringify([
        { key: 'k1', userId: 'u1', role: 'official', department: 'd', jurisdiction: '350200' },
      ]),
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      dataDir: resolve('var/ledger'),
      runWorkers: false,
      digestsEnabled: false,
      digestEverySeconds: 0.2,
      kafkaBrokers: 'a:9092,b:9092',
    });
    expect(config.apiKeys?.get('k1')).toEqual({
      userId: 'u1',
      role: 'official',
      department: 'd',
      jurisdiction: '350200',
    });
  });

  it('refuses to start on faulty variables, naming every one and what is wrong, all at once', () => {
    const error = refusal({
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
      LEDGER_WORKERS: 'yes',
      LEDGER_DIGEST_CHUNK_SIZE: '1000',
      LEDGER_DIGEST_EVERY_EVENTS: '0',
    });
    expect(error.problems).toEqual([
      'PORT must be a non-negative integer, got "eighty"',
      'LOG_LEVEL must be one of debug, info, warn, error, got "loud"',
      'LEDGER_WORKERS must be on or off, got "yes"',
      'LEDGER_DIGEST_EVERY_EVENTS must be a positive number, got "0"',
      'LEDGER_DIGEST_CHUNK_SIZE must be a power of two, got "1000"',
    ]);
    expect(error.message).toContain('5 problems');
  });

  it("names the faulty API key entry and field, never a key's value", () => {
    const secret = 'do-not-print-me';
    const { problems } = refusal({
      LEDGER_API_KEYS: JSON.stringify([
        { key: secret, userId: 'u1', role: 'official', department: 'd', jurisdiction: '35' },
      ]),
    });
    expect(problems).toEqual(['LEDGER_API_KEYS[0].jurisdiction must be a 6-digit division code']);
    expect(refusal({ LEDGER_API_KEYS: `{${secret}` }).message).not.toContain(secret);
    expect(refusal({ LEDGER_API_KEYS: '{}' }).problems).toEqual(['LEDGER_API_KEYS must be a JSON array']);
  });

  describe('event signing keys (LEDGER_SIGNING_KEYS)', () => {
    const secret = (fill: number) => Buffer.alloc(32, fill).toString('base64');
    const production = { NODE_ENV: 'production', LEDGER_SIGNING_KEYS: undefined as string | undefined };

    it('signs with the last key listed and verifies with all of them (rotation)', () => {
      const config = loadConfig({
        LEDGER_SIGNING_KEYS: JSON.stringify({ '2026-01': secret(1), '2026-07': secret(2) }),
        LEDGER_UNSIGNED_UP_TO: '41',
      });
      const signing = eventSigningOf(config);
      expect(signing.signingKeyId).toBe('2026-07');
      expect(signing.unsignedUpTo).toBe(41);
      expect(signing.isDevelopment).toBe(false);
      const old = eventSigningOf(
        loadConfig({ LEDGER_SIGNING_KEYS: JSON.stringify({ '2026-01': secret(1) }) }),
      );
      const hash = 'a'.repeat(64);
      expect(signing.check({ position: 50, hash, ...old.sign(hash) })).toEqual({ ok: true, legacy: false });
    });

    it('uses the development key when none is set, and refuses that in production', () => {
      expect(eventSigningOf(loadConfig({})).isDevelopment).toBe(true);
      expect(refusal(production).problems).toContain(
        'LEDGER_SIGNING_KEYS must be set in production (NODE_ENV=production)',
      );
      const development = Buffer.from('development-only-event-signing-key-0123456789').toString('base64');
      expect(
        refusal({ ...production, LEDGER_SIGNING_KEYS: JSON.stringify({ dev: development }) }).problems,
      ).toContain('LEDGER_SIGNING_KEYS.dev is the development key, refused in production');
      expect(() =>
        loadConfig({
          NODE_ENV: 'production',
          LEDGER_ID_SECRET: 'y'.repeat(40),
          LEDGER_API_KEYS: '[]',
          LEDGER_SIGNING_KEYS: JSON.stringify({ k: secret(3) }),
          LEDGER_DIGEST_SIGNING_KEYS: JSON.stringify([
            { kid: 'd1', privateKey: secret(4), notBefore: '2026-01-01T00:00:00Z' },
          ]),
        }),
      ).not.toThrow();
    });

    it('refuses short keys and bad key ids without printing a secret', () => {
      const short = Buffer.alloc(16, 7).toString('base64');
      const { problems, message } = refusal({ LEDGER_SIGNING_KEYS: JSON.stringify({ k1: short }) });
      expect(problems).toEqual(['LEDGER_SIGNING_KEYS.k1 must decode to at least 32 bytes']);
      expect(message).not.toContain(short);
      expect(refusal({ LEDGER_SIGNING_KEYS: JSON.stringify({ 'a b': secret(1) }) }).problems).toEqual([
        'LEDGER_SIGNING_KEYS: key id "a b" must be 1-64 of A-Z a-z 0-9 . _ -',
      ]);
      expect(refusal({ LEDGER_SIGNING_KEYS: '[]' }).problems).toEqual([
        'LEDGER_SIGNING_KEYS must be a JSON object {"<key id>": "<base64 secret>"}',
      ]);
    });
  });

  describe('digest signing keys (LEDGER_DIGEST_SIGNING_KEYS)', () => {
    const seed = (fill: number) => Buffer.alloc(32, fill).toString('base64');

    it('reads Ed25519 keys with key ids and validity, and refuses the development key in production', () => {
      const config = loadConfig({
        LEDGER_DIGEST_SIGNING_KEYS: JSON.stringify([
          {
            kid: 'd-2025',
            privateKey: seed(1),
            notBefore: '2025-01-01T00:00:00Z',
            notAfter: '2026-01-01T00:00:00Z',
          },
          { kid: 'd-2026', privateKey: seed(2), notBefore: '2026-01-01T00:00:00Z' },
        ]),
      });
      expect(
        digestSigningOf(config)
          .keySet()
          .keys.map((k) => k.kid),
      ).toEqual(['d-2026', 'd-2025']);
      expect(digestSigningOf(loadConfig({})).isDevelopment).toBe(true);
      expect(refusal({ NODE_ENV: 'production' }).problems).toContain(
        'LEDGER_DIGEST_SIGNING_KEYS must be set in production (NODE_ENV=production)',
      );
    });

    it('names what is wrong with a key without printing it', () => {
      const short = Buffer.alloc(16, 1).toString('base64');
      const { problems, message } = refusal({
        LEDGER_DIGEST_SIGNING_KEYS: JSON.stringify([
          { kid: 'd', privateKey: short, notBefore: '2026-01-01T00:00:00Z' },
        ]),
      });
      expect(problems).toEqual([
        'LEDGER_DIGEST_SIGNING_KEYS: Digest key "d": privateKey must be a 32-byte seed',
      ]);
      expect(message).not.toContain(short);
      expect(refusal({ LEDGER_DIGEST_SIGNING_KEYS: '[{"kid":"d"}]' }).problems).toEqual([
        'LEDGER_DIGEST_SIGNING_KEYS[0].notBefore must be a string',
      ]);
    });
  });

  describe('in production (NODE_ENV=production)', () => {
    const strong = 'x'.repeat(40);
    const staticKey = (key: string) =>
      JSON.stringify([{ key, userId: 'u', role: 'admin', department: 'd', jurisdiction: '000000' }]);
    // Issue 19: production also needs the event and digest signing keys.
    const signed = {
      LEDGER_SIGNING_KEYS: JSON.stringify({ k1: Buffer.alloc(32, 9).toString('base64') }),
      LEDGER_DIGEST_SIGNING_KEYS: JSON.stringify([
        { kid: 'd1', privateKey: Buffer.alloc(32, 8).toString('base64'), notBefore: '2026-01-01T00:00:00Z' },
      ]),
    };

    it('refuses the development key and every default secret, naming each in one error', () => {
      const error = refusal({ NODE_ENV: 'production' });
      expect(error.problems).toEqual([
        'LEDGER_ID_SECRET is not set: production refuses its development default (NODE_ENV=production)',
        expect.stringMatching(/^LEDGER_API_KEYS is not set: production never accepts the development key/),
        'LEDGER_SIGNING_KEYS must be set in production (NODE_ENV=production)',
        'LEDGER_DIGEST_SIGNING_KEYS must be set in production (NODE_ENV=production)',
      ]);
      expect(error.message).toContain('4 problems');
    });

    it('refuses the development values given explicitly, and short secrets, without printing them', () => {
      const { problems, message } = refusal({
        NODE_ENV: 'production',
        ...signed,
        LEDGER_ID_SECRET: 'development-only-id-secret',
        LEDGER_API_KEYS: JSON.stringify([
          { key: 'dev-national-admin', userId: 'u', role: 'admin', department: 'd', jurisdiction: '000000' },
          { key: 'short-key-1', userId: 'v', role: 'official', department: 'd', jurisdiction: '350200' },
        ]),
      });
      expect(problems).toEqual([
        'LEDGER_ID_SECRET must be at least 32 characters in production',
        'LEDGER_ID_SECRET is the development value: production refuses it',
        'LEDGER_API_KEYS[0] is the development key: production refuses it',
        'LEDGER_API_KEYS[1].key must be at least 32 characters in production',
      ]);
      expect(message).not.toContain('short-key-1');
    });

    it('starts with its own secrets: static keys, or none (LEDGER_API_KEYS=[]) beside managed keys and tokens', () => {
      expect(
        loadConfig({
          NODE_ENV: 'production',
          ...signed,
          LEDGER_ID_SECRET: strong,
          LEDGER_API_KEYS: staticKey(strong),
        }).apiKeys?.size,
      ).toBe(1);
      expect(
        loadConfig({ NODE_ENV: 'production', ...signed, LEDGER_ID_SECRET: strong, LEDGER_API_KEYS: '[]' })
          .apiKeys?.size,
      ).toBe(0);
    });

    it('leaves development alone: nothing set is a working ledger', () => {
      expect(loadConfig({ NODE_ENV: 'development' }).apiKeys).toBeUndefined();
    });
  });
});
