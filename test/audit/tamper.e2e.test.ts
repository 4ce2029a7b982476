// Tampering directly in the database, behind the store's back: every kind is caught by verification
// against digests made before it. A consistent rewrite of a whole chain, or a stream's tail cut off, is
// invisible to the hash chains and caught only by the earlier digest: that is what digests are for.
import {
  computeDigest,
  openDigestStore,
  verifyLedger,
  type ChunkRoot,
  type DigestStore,
  type LedgerDigest,
} from '@ledger/audit';
import { hashEvent, type StoredEvent } from '@ledger/event-store';
import { SampleLedger, schools, teachers } from './support/sample-ledger';
import { openTamperable, type BackendName, type TamperableLedger } from './support/tamper';

const CHUNK = 4;

describe.each<BackendName>(['postgres', 'sqlite'])('tamper evidence (%s)', (backend) => {
  let ledger: TamperableLedger;
  let digests: DigestStore;
  let published: LedgerDigest[];
  let chunks: ChunkRoot[];
  let feed: StoredEvent[];

  beforeEach(async () => {
    ledger = await openTamperable(backend);
    await new SampleLedger(ledger.store).seed(3);
    digests = await openDigestStore(ledger.store, { chunkSize: CHUNK });
    await computeDigest(ledger.store, digests, {
      upToPosition: Math.floor((await ledger.store.headPosition()) / 2),
    });
    await computeDigest(ledger.store, digests);
    // What outside parties hold: copies of the digests taken before anyone touched the database.
    published = await digests.list();
    chunks = await digests.chunks(0, Number.MAX_SAFE_INTEGER);
    feed = await ledger.store.readAll({ after: 0, limit: 10_000 });
  });
  afterEach(() => ledger.close());

  const verify = (against: readonly LedgerDigest[] = published, withChunks = true, checkSignatures = true) =>
    verifyLedger(ledger.store, against, {
      chunks: withChunks ? chunks : [],
      chunkSize: CHUNK,
      batchSize: 7,
      signing: checkSignatures ? undefined : null,
    });
  const streamOf = (streamId: string) => feed.filter((e) => e.streamId === streamId);

  it('holds before tampering, with figures', async () => {
    expect(published).toHaveLength(2);
    expect(chunks.length).toBe(Math.floor(feed.length / CHUNK));
    const report = await verify();
    expect(report).toMatchObject({
      ok: true,
      failures: [],
      events: feed.length,
      streams: new Set(feed.map((e) => e.streamId)).size,
      digestsChecked: 2,
      chunksChecked: chunks.length,
      checkedUpToPosition: feed[feed.length - 1]!.position,
    });
    expect(report.eventsPerSecond).toBeGreaterThan(0);
  });

  it('catches a changed field at its position', async () => {
    const target = streamOf(`subject-${schools[0]!.subjectId}`)[1]!;
    await ledger.tamper.setData(target.position, { ...(target.data as object), facts: 'nothing happened' });
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.firstFailure).toMatchObject({
      reason: 'hash_mismatch',
      position: target.position,
      streamId: target.streamId,
      revision: target.revision,
    });
    // The leaf commits to the stored hash, which no longer matches the content: the chain check names it.
    expect(report.failures.map((f) => f.reason)).toEqual(['hash_mismatch']);
  });

  it('catches a deleted event at the next event of its stream, and in the digests', async () => {
    const stream = streamOf(`subject-${schools[1]!.subjectId}`);
    await ledger.tamper.remove(stream[2]!.position);
    const report = await verify();
    expect(report.firstFailure).toMatchObject({
      reason: 'revision_gap',
      position: stream[3]!.position,
      revision: 3,
    });
    expect(report.failures.map((f) => f.reason)).toContain('digest_event_count_mismatch');
  });

  it('catches two events of one stream swapped by their chain', async () => {
    const stream = streamOf(`subject-${teachers[0]!.subjectId}`);
    await ledger.tamper.swapPositions(stream[1]!.position, stream[2]!.position);
    const report = await verify();
    expect(report.firstFailure).toMatchObject({
      reason: 'revision_gap',
      position: stream[1]!.position,
      revision: 2,
    });
  });

  it('catches two neighbouring events of different streams swapped, though every chain still holds', async () => {
    const i = feed.findIndex(
      (e, k) => k > 0 && e.streamId.startsWith('case-') && !feed[k - 1]!.streamId.startsWith('case-'),
    );
    const [a, b] = [feed[i - 1]!, feed[i]!];
    await ledger.tamper.swapPositions(a.position, b.position);
    expect((await verifyLedger(ledger.store, [])).ok).toBe(true); // chains alone see nothing
    const report = await verify(published, false);
    expect(report.firstFailure).toMatchObject({ reason: 'digest_root_mismatch', position: 1 });
    expect(report.firstFailure!.toPosition).toBeGreaterThanOrEqual(b.position);
    // The stored chunk roots narrow it down to the four leaves around the swap.
    const narrowed = (await verify()).firstFailure!;
    expect(narrowed.reason).toBe('chunk_root_mismatch');
    expect(narrowed.position).toBeLessThanOrEqual(a.position);
    expect(narrowed.toPosition! - narrowed.position).toBeLessThan(2 * CHUNK);
  });

  it("catches a stream's tail cut off (head moved back too) only by the digest", async () => {
    const streamId = `subject-${schools[0]!.subjectId}`;
    const stream = streamOf(streamId);
    const kept = stream.slice(0, -2);
    for (const event of stream.slice(-2)) await ledger.tamper.remove(event.position);
    await ledger.tamper.setStreamHead(streamId, kept.length - 1, kept[kept.length - 1]!.hash);
    expect((await verifyLedger(ledger.store, [])).ok).toBe(true);
    const report = await verify(published, false);
    expect(report.firstFailure).toMatchObject({
      reason: 'digest_event_count_mismatch',
      digest: published[published.length - 1],
    });
  });

  it('catches a whole chain rewritten consistently, even when the stored digests were recomputed too, by the digest published before', async () => {
    const streamId = `subject-${teachers[0]!.subjectId}`;
    let prevHash: string | null = null;
    for (const event of streamOf(streamId)) {
      const data = event.revision === 1 ? { ...(event.data as object), facts: 'a milder story' } : event.data;
      const hash = hashEvent({ ...event, data, prevHash });
      await ledger.tamper.setEvent(event.position, { data, prevHash, hash });
      prevHash = hash;
    }
    await ledger.tamper.setStreamHead(streamId, streamOf(streamId).length - 1, prevHash!);
    // The forger also replaces the digests kept in the database.
    await ledger.tamper.dropDigests();
    // The ledger's digester refuses: it checks every event first. The forger's own one checks no signatures.
    await expect(computeDigest(ledger.store, digests)).rejects.toThrow(/signature_mismatch/);
    await computeDigest(ledger.store, digests, { signing: null });
    const forged = await digests.list();
    const forgedChunks = await digests.chunks(0, 1e9);
    // Without the signing keys, chains and the recomputed digests agree...
    expect(
      (await verifyLedger(ledger.store, forged, { chunks: forgedChunks, chunkSize: CHUNK, signing: null }))
        .ok,
    ).toBe(true);
    // ...but the forger could not sign the rewritten rows (issue 19: events are signed at write).
    const signed = await verifyLedger(ledger.store, forged, { chunks: forgedChunks, chunkSize: CHUNK });
    expect(new Set(signed.failures.map((f) => f.reason))).toEqual(new Set(['signature_mismatch']));
    // Every rewritten row from the edited revision 1 on (revision 0 hashes as before).
    expect(signed.failures.map((f) => f.revision)).toEqual(
      streamOf(streamId)
        .slice(1)
        .map((e) => e.revision),
    );

    // And the digest published before catches it even where signatures are not checked.
    const report = await verify(published, false, false);
    expect(report.ok).toBe(false);
    expect(report.firstFailure).toMatchObject({
      reason: 'digest_root_mismatch',
      position: 1,
      digest: published[0],
    });
    expect(report.failures.filter((f) => f.reason === 'digest_root_mismatch')).toHaveLength(2);
  });

  it('checks a tail deleted from the end of the feed against a digest beyond it', async () => {
    const last = feed[feed.length - 1]!;
    await ledger.tamper.remove(last.position);
    const chainsOnly = await verifyLedger(ledger.store, []);
    expect(chainsOnly.ok).toBe(true);
    const report = await verify();
    expect(report.firstFailure).toMatchObject({
      reason: 'digest_event_count_mismatch',
      toPosition: last.position,
    });
  });

  it('catches the events table truncated against the digests made before', async () => {
    await ledger.tamper.truncate();
    expect((await verifyLedger(ledger.store, [])).ok).toBe(true); // an empty feed has no chain to break
    const report = await verify(published, false);
    expect(report.firstFailure).toMatchObject({ reason: 'digest_event_count_mismatch', position: 1 });
    expect(report.failures.map((f) => f.reason)).toEqual([
      'digest_event_count_mismatch',
      'digest_event_count_mismatch',
    ]);
  });

  it('catches a forged row with a correct chain hash, inserted with SQL, by its missing signature alone', async () => {
    const streamId = `subject-${teachers[0]!.subjectId}`;
    const head = streamOf(streamId)[streamOf(streamId).length - 1]!;
    const row = {
      id: '01960000-0000-7000-8000-0000000000ff',
      type: head.type,
      data: head.data,
      metadata: head.metadata,
      streamId,
      revision: head.revision + 1,
      recordedAt: new Date().toISOString(),
      prevHash: head.hash,
    };
    const position = await ledger.tamper.insert({
      ...row,
      hash: hashEvent(row),
      signature: null,
      keyId: null,
    });
    // Chains and the digests (made before it) hold: only the signature tells.
    expect((await verify(published, true, false)).ok).toBe(true);
    const report = await verify();
    expect(report.failures).toEqual([
      expect.objectContaining({ reason: 'signature_missing', position, streamId, revision: row.revision }),
    ]);
    expect(report.signedEvents).toBe(feed.length);
  });
});
