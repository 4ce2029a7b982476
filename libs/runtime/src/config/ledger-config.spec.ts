import { resolve } from 'node:path';
import { ConfigurationError } from './environment';
import { loadConfig } from './ledger-config';

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

  describe('in production (NODE_ENV=production)', () => {
    const strong = 'x'.repeat(40);
    const staticKey = (key: string) =>
      JSON.stringify([{ key, userId: 'u', role: 'admin', department: 'd', jurisdiction: '000000' }]);

    it('refuses the development key and every default secret, naming each in one error', () => {
      const error = refusal({ NODE_ENV: 'production' });
      expect(error.problems).toEqual([
        'LEDGER_ID_SECRET is not set: production refuses its development default (NODE_ENV=production)',
        expect.stringMatching(/^LEDGER_API_KEYS is not set: production never accepts the development key/),
      ]);
      expect(error.message).toContain('2 problems');
    });

    it('refuses the development values given explicitly, and short secrets, without printing them', () => {
      const { problems, message } = refusal({
        NODE_ENV: 'production',
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
        loadConfig({ NODE_ENV: 'production', LEDGER_ID_SECRET: strong, LEDGER_API_KEYS: staticKey(strong) })
          .apiKeys?.size,
      ).toBe(1);
      expect(
        loadConfig({ NODE_ENV: 'production', LEDGER_ID_SECRET: strong, LEDGER_API_KEYS: '[]' }).apiKeys?.size,
      ).toBe(0);
    });

    it('leaves development alone: nothing set is a working ledger', () => {
      expect(loadConfig({ NODE_ENV: 'development' }).apiKeys).toBeUndefined();
    });
  });
});
