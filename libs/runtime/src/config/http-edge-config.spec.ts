// The HTTP edge's settings: CORS origins, the TLS pair, rate limits and timeouts from the environment.
import { ConfigurationError } from './environment';
import { loadConfig } from './ledger-config';

describe('the HTTP edge settings', () => {
  it('default to no CORS, no TLS, rate limits on and bounded timeouts', () => {
    const config = loadConfig({});
    expect(config.corsOrigins).toEqual([]);
    expect(config.tlsCertFile).toBeUndefined();
    expect(config.rateLimits).toBe(true);
    expect(config.rateLimitFailedAuth).toBeGreaterThan(0);
    expect(config.httpConnectionTimeoutMs).toBeGreaterThan(0);
    expect(config.httpMaxConnections).toBeGreaterThan(0);
    expect(config.maxJsonDepth).toBe(32);
  });

  it('read CORS origins as a list of scheme://host[:port]', () => {
    expect(
      loadConfig({ LEDGER_CORS_ORIGINS: 'https://portal.edu.example, http://localhost:5173' }).corsOrigins,
    ).toEqual(['https://portal.edu.example', 'http://localhost:5173']);
    for (const bad of ['*', 'https://a.example/path', 'portal.edu.example', 'https://a.example,null'])
      expect(() => loadConfig({ LEDGER_CORS_ORIGINS: bad })).toThrow(/LEDGER_CORS_ORIGINS/);
  });

  it('want the TLS certificate and key together', () => {
    expect(() => loadConfig({ LEDGER_TLS_CERT_FILE: '/etc/ledger/cert.pem' })).toThrow(ConfigurationError);
    expect(() => loadConfig({ LEDGER_TLS_KEY_FILE: '/etc/ledger/key.pem' })).toThrow(/go together/);
    expect(loadConfig({ LEDGER_TLS_CERT_FILE: '/c.pem', LEDGER_TLS_KEY_FILE: '/k.pem' }).tlsKeyFile).toBe(
      '/k.pem',
    );
  });

  it('name a faulty rate limit or timeout', () => {
    expect(() => loadConfig({ LEDGER_RATE_LIMIT_PER_ADDRESS: '-1' })).toThrow(
      /LEDGER_RATE_LIMIT_PER_ADDRESS/,
    );
    expect(() => loadConfig({ LEDGER_RATE_LIMITS: 'maybe' })).toThrow(/LEDGER_RATE_LIMITS/);
    expect(() => loadConfig({ LEDGER_HTTP_KEEP_ALIVE_TIMEOUT_MS: 'soon' })).toThrow(
      /LEDGER_HTTP_KEEP_ALIVE_TIMEOUT_MS/,
    );
    expect(loadConfig({ LEDGER_RATE_LIMITS: 'off' }).rateLimits).toBe(false);
  });
});
