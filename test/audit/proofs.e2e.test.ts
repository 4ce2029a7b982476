// Inclusion proofs from the real stores, checked by the separately written verifier; and digests made
// incrementally by the scheduler every N events or T seconds.
import {
  computeDigest,
  DigestScheduler,
  openDigestStore,
  proveInclusion,
  verifyInclusionProof,
  verifyLedger,
  type DigestStore,
  type LedgerDigest,
} from '@ledger/audit';
import { uuidV7 } from '@ledger/application';
import type { StoredEvent } from '@ledger/event-store';
import { SampleLedger, schools } from './support/sample-ledger';
import { openTamperable, type BackendName, type TamperableLedger } from './support/tamper';

describe.each<BackendName>(['postgres', 'sqlite'])('inclusion proofs (%s)', (backend) => {
  let ledger: TamperableLedger;
  let digests: DigestStore;
  let feed: StoredEvent[];
  let first: LedgerDigest;
  let second: LedgerDigest;

  beforeAll(async () => {
    ledger = await openTamperable(backend);
    await new SampleLedger(ledger.store).seed(3);
    digests = await openDigestStore(ledger.store, { chunkSize: 4 });
    feed = await ledger.store.readAll({ after: 0, limit: 10_000 });
    first = (await computeDigest(ledger.store, digests, { upToPosition: feed[10]!.position }))!;
    second = (await computeDigest(ledger.store, digests))!;
  });
  afterAll(() => ledger.close());

  it('makes digests that continue from the last one and agree with a digest made in one go', async () => {
    expect(first).toMatchObject({
      upToPosition: feed[10]!.position,
      eventCount: 11,
      algorithm: 'ledger-merkle-sha256-v1',
    });
    expect(second).toMatchObject({ upToPosition: feed[feed.length - 1]!.position, eventCount: feed.length });
    expect(await computeDigest(ledger.store, digests)).toBeUndefined(); // nothing new
    const fresh = await openTamperable(backend);
    try {
      // Same events, other ledger: recompute in one pass with no earlier digest and compare roots.
      const report = await verifyLedger(ledger.store, [first, second], { chunkSize: 4 });
      expect(report).toMatchObject({ ok: true, digestsChecked: 2 });
    } finally {
      await fresh.close();
    }
  });

  it('proves every event against every digest that covers it, and the independent verifier accepts each', async () => {
    for (const digest of [first, second]) {
      for (const event of feed.filter((e) => e.position <= digest.upToPosition)) {
        const { proof, event: proven } = await proveInclusion(
          ledger.store,
          digests,
          event.id,
          digest.upToPosition,
        );
        expect(proven.id).toBe(event.id);
        expect(proof.treeSize).toBe(digest.eventCount);
        expect(verifyInclusionProof(proof, { event: proven, trustedDigest: digest })).toEqual({
          valid: true,
        });
      }
    }
  });

  it('uses the latest digest by default and refuses an event it does not cover', async () => {
    const { proof } = await proveInclusion(ledger.store, digests, feed[0]!.id);
    expect(proof.digest).toEqual(second);
    await expect(
      proveInclusion(ledger.store, digests, feed[feed.length - 1]!.id, first.upToPosition),
    ).rejects.toMatchObject({
      code: 'AUDIT.EVENT_NOT_IN_DIGEST',
    });
    await expect(proveInclusion(ledger.store, digests, uuidV7())).rejects.toMatchObject({
      code: 'AUDIT.EVENT_NOT_FOUND',
    });
    await expect(proveInclusion(ledger.store, digests, feed[0]!.id, 999_999)).rejects.toMatchObject({
      code: 'AUDIT.DIGEST_NOT_FOUND',
    });
  });

  it('gives the same proofs from the whole feed when chunk roots are missing', async () => {
    const withoutChunks: DigestStore = Object.assign(Object.create(Object.getPrototypeOf(digests)), digests, {
      chunks: async () => [],
    });
    for (const event of feed.slice(0, 9)) {
      const expected = await proveInclusion(ledger.store, digests, event.id);
      expect((await proveInclusion(ledger.store, withoutChunks, event.id)).proof).toEqual(expected.proof);
    }
  });

  it('refuses to prove against a digest the ledger no longer matches', async () => {
    const victim = feed.find((e) => e.streamId === `subject-${schools[0]!.subjectId}` && e.revision === 1)!;
    const other = feed.find((e) => e.position > victim.position && e.streamId.startsWith('case-'))!;
    await ledger.tamper.swapPositions(victim.position, other.position);
    try {
      await expect(proveInclusion(ledger.store, digests, victim.id)).rejects.toMatchObject({
        code: 'AUDIT.LEDGER_DIFFERS_FROM_DIGEST',
      });
    } finally {
      await ledger.tamper.swapPositions(victim.position, other.position);
    }
  });
});

describe.each<BackendName>(['postgres', 'sqlite'])('the digest scheduler (%s)', (backend) => {
  let ledger: TamperableLedger;
  afterEach(() => ledger.close());

  const append = (n: number) =>
    ledger.store.append(
      `case-${uuidV7()}`,
      Array.from({ length: n }, (_, i) => ({
        id: uuidV7(),
        type: 'CaseNoted',
        data: { i },
        metadata: { occurredAt: new Date().toISOString(), schemaVersion: 1 },
      })),
    );

  it('makes a digest every N events, continuing across restarts', async () => {
    ledger = await openTamperable(backend);
    const digests = await openDigestStore(ledger.store, { chunkSize: 2 });
    const published: LedgerDigest[] = [];
    const scheduler = new DigestScheduler(ledger.store, digests, {
      everyEvents: 5,
      everySeconds: 3600,
      onDigest: (d) => void published.push(d),
    });
    await scheduler.start();
    const written = await append(12);
    await scheduler.waitFor(written.position);
    await scheduler.stop();
    expect(published.map((d) => d.eventCount)).toEqual([12]); // one batch of 12 ≥ 5: one digest
    const restarted = new DigestScheduler(ledger.store, digests, {
      everyEvents: 3,
      everySeconds: 3600,
      onDigest: (d) => void published.push(d),
    });
    await restarted.start();
    for (let i = 0; i < 3; i++) {
      const more = await append(3);
      await restarted.waitFor(more.position);
    }
    await restarted.stop();
    expect(published.map((d) => d.eventCount)).toEqual([12, 15, 18, 21]);
    expect(await digests.list()).toEqual(published);
    expect(
      (await verifyLedger(ledger.store, published, { chunks: await digests.chunks(0, 100), chunkSize: 2 }))
        .ok,
    ).toBe(true);
  });

  it('makes a digest after T seconds when fewer than N events came', async () => {
    ledger = await openTamperable(backend);
    const digests = await openDigestStore(ledger.store);
    const scheduler = new DigestScheduler(ledger.store, digests, { everyEvents: 1000, everySeconds: 0.2 });
    await scheduler.start();
    try {
      const written = await append(2);
      const deadline = Date.now() + 5000;
      while (!(await digests.latest()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(await digests.latest()).toMatchObject({ upToPosition: written.position, eventCount: 2 });
    } finally {
      await scheduler.stop();
    }
  });
});
