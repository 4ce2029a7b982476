// `ledger-cli monitor` against the real API (PostgreSQL), as a province runs it outside the ledger's
// database: it trusts the first signed digest, moves on while each newer one is signed and consistent, and
// alarms (exit 1) on a rewrite of history with the digests recomputed: the digest it trusted is gone or changed,
// or a newer one does not extend it.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeDigest, DigestSigning, openDigestStore, type LedgerDigest } from '@ledger/audit';
import { hashEvent, PostgresEventStore } from '@ledger/event-store';
import { EXIT, run } from '../../apps/ledger-cli/src/main';
import { eventually } from '../kafka/support/kafka';
import { randomUscc } from '../support/identifiers';
import { sql, TEST_DATABASE_URL } from '../support/postgres';
import { AUDIT_KEYS, startAuditLedger, type AuditLedger } from './support/audit-ledger';

const digestKey = {
  kid: 'province-2026',
  privateKey: randomBytes(32).toString('base64'),
  notBefore: '2026-01-01T00:00:00Z',
};

describe('ledger-cli monitor (postgres)', () => {
  let ledger: AuditLedger;
  let url: string;
  const dir = mkdtempSync(join(tmpdir(), 'ledger-monitor-'));
  const files = { keys: join(dir, 'keys.json'), state: join(dir, 'state.json') };
  const saved = { ...process.env };
  let out: string[] = [];
  let err: string[] = [];

  const register = async () => {
    const created = await ledger.request('POST', '/api/v1/subjects', {
      body: {
        kind: 'training_institution',
        name: '厦门某培训学校',
        identifier: randomUscc(),
        jurisdiction: '350213',
      },
    });
    expect(created.status).toBe(201);
  };
  const digests = async (): Promise<LedgerDigest[]> =>
    (await ledger.request('GET', '/api/v1/audit/digests', { as: AUDIT_KEYS.auditor })).body;
  /** Waits until no new digest came for 600 ms (the digester caught up with what was written). */
  const settled = async () => {
    let last = -1;
    for (;;) {
      const latest = (await digests()).at(-1)?.upToPosition ?? 0;
      if (latest === last) return;
      last = latest;
      await new Promise((resolve) => setTimeout(resolve, 600));
    }
  };
  const monitor = async () => {
    out = [];
    err = [];
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((c) => (out.push(String(c)), true));
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((c) => (err.push(String(c)), true));
    try {
      process.env = { PATH: saved.PATH, LEDGER_MONITOR_API_KEY: AUDIT_KEYS.auditor }; // no database settings
      return await run(['monitor', '--url', url, '--keys', files.keys, '--state', files.state]);
    } finally {
      process.env = { ...saved };
      stdout.mockRestore();
      stderr.mockRestore();
    }
  };
  const state = () => JSON.parse(readFileSync(files.state, 'utf8')) as { trusted: LedgerDigest };

  beforeAll(async () => {
    ledger = await startAuditLedger(
      'postgres',
      { digestEveryEvents: 1, digestEverySeconds: 0.1, digestChunkSize: 4 },
      { digestSigningKeys: [digestKey] },
    );
    const address = ledger.app.getHttpServer().address() as { port: number };
    url = `http://127.0.0.1:${address.port}`;
    const keys = await ledger.request('GET', '/.well-known/ledger-keys.json', { as: '' });
    writeFileSync(files.keys, JSON.stringify(keys.body)); // kept when the monitor is set up
  });
  afterAll(async () => {
    process.env = saved;
    await ledger?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('trusts the first signed digest, then follows each newer one that extends it', async () => {
    await register();
    await eventually(async () => (await digests()).length >= 1, 30_000, 'a digest');
    expect(await monitor()).toBe(EXIT.ok);
    expect(JSON.parse(out.join(''))).toMatchObject({ msg: 'ledger monitor round', status: 'trusted-first' });
    const first = state().trusted;

    for (let i = 0; i < 3; i++) await register();
    await eventually(
      async () => (await digests()).some((d) => d.upToPosition > first.upToPosition + 2),
      30_000,
      'newer digests',
    );
    expect(await monitor()).toBe(EXIT.ok);
    expect(JSON.parse(out.join(''))).toMatchObject({ status: 'ok' });
    expect(state().trusted.upToPosition).toBeGreaterThan(first.upToPosition);
    await settled();
    expect(await monitor()).toBe(EXIT.ok); // catches up
    expect(await monitor()).toBe(EXIT.ok); // nothing new: still ok
    expect(JSON.parse(out.join(''))).toMatchObject({ status: 'ok', newDigests: 0 });
  });

  it('alarms on a rewrite of history with the digests recomputed, and does not move on', async () => {
    const trusted = state().trusted;
    const schema = ledger.config.databaseSchema;
    const store = await PostgresEventStore.open({
      connectionString: TEST_DATABASE_URL,
      schema,
      signing: null,
    });
    try {
      const [first] = await store.readAll({ after: 0, limit: 1 });
      const data = { ...(first!.data as object), name: '另一所学校' };
      let prevHash = hashEvent({ ...first!, data });
      await sql(`UPDATE ${schema}.events SET data = $2, hash = $3 WHERE position = $1`, [
        first!.position,
        JSON.stringify(data),
        prevHash,
      ]);
      for (const event of (await store.readStream(first!.streamId)).slice(1)) {
        const hash = hashEvent({ ...event, prevHash });
        await sql(`UPDATE ${schema}.events SET prev_hash = $2, hash = $3 WHERE position = $1`, [
          event.position,
          prevHash,
          hash,
        ]);
        prevHash = hash;
      }
      const before = await digests();
      await sql(`DELETE FROM ${schema}.audit_digests`);
      await sql(`DELETE FROM ${schema}.audit_digest_chunks`);
      // The forger holds the database, not the key: the best they can do is sign with one of their own...
      const ownKey = new DigestSigning([{ ...digestKey, privateKey: randomBytes(32).toString('base64') }]);
      const forged = await openDigestStore(store, { chunkSize: 4 });
      for (const digest of before)
        await computeDigest(store, forged, {
          upToPosition: digest.upToPosition,
          signing: null,
          digestSigning: ownKey,
        });
    } finally {
      await store.close();
    }
    expect(await monitor()).toBe(EXIT.verificationFailed);
    expect(JSON.parse(err.join(''))).toMatchObject({
      level: 'error',
      msg: 'ledger monitor alarm',
      reason: 'bad_signature',
    });
    expect(state().trusted).toEqual(trusted);

    // ...or leave the digests unsigned: refused as well.
    await sql(`UPDATE ${schema}.audit_digests SET key_id = NULL, signature = NULL`);
    expect(await monitor()).toBe(EXIT.verificationFailed);
    expect(JSON.parse(err.join(''))).toMatchObject({ reason: 'bad_signature' });
    expect(state().trusted).toEqual(trusted);
  });

  it('alarms on a fork even when the rewritten digests carry the real key (a compromised signer)', async () => {
    const schema = ledger.config.databaseSchema;
    const signing = new DigestSigning([digestKey]);
    const resign = async (digest: LedgerDigest) => {
      const { signature, keyId } = signing.sign(digest);
      await sql(
        `UPDATE ${schema}.audit_digests SET root = $2, key_id = $3, signature = $4 WHERE up_to_position = $1`,
        [digest.upToPosition, digest.root, keyId, signature],
      );
    };
    // The rewritten history's digests, signed as if by the ledger: the digest the monitor trusted has changed.
    for (const digest of await digests()) await resign(digest);
    expect(await monitor()).toBe(EXIT.verificationFailed);
    expect(JSON.parse(err.join(''))).toMatchObject({ reason: 'fork' });

    // A monitor that trusted the first of those, and a later digest whose root the history does not give.
    const now = await digests();
    writeFileSync(
      files.state,
      JSON.stringify({ trusted: now[0], checkedAt: new Date().toISOString(), digestsChecked: 1 }),
    );
    await resign({ ...now[now.length - 1]!, root: 'ab'.repeat(32) });
    expect(await monitor()).toBe(EXIT.verificationFailed);
    expect(JSON.parse(err.join(''))).toMatchObject({ reason: 'inconsistent' });
    expect(state().trusted).toEqual(now[0]);
  });
});
