// One behaviour for every read-model store: documents upserted and deleted with their checkpoints in one
// atomic write, found again by id and by the index columns, unchanged through a write and a read; and
// followers' checkpoints (Checkpoints) beside them.
import { randomUUID } from 'node:crypto';
import type { Checkpoints, DocumentChange, DocumentStore } from '../src';

export interface DocumentStoreFixture {
  open(): Promise<DocumentStore & { readonly checkpoints: Checkpoints }>;
}

const doc = (id: string, extra: Record<string, unknown> = {}) => ({
  subjectId: id,
  name: '厦门市第一中学',
  quote: 'a "quoted" \\ backslash, a tab\t and a line\nbreak',
  nested: { list: [1, 2.5, null, true], empty: {} },
  ...extra,
});

export function documentStoreContract(fixture: DocumentStoreFixture): void {
  let store: Awaited<ReturnType<DocumentStoreFixture['open']>>;
  beforeEach(async () => {
    store = await fixture.open();
    await store.reset('contract');
    await store.reset('other');
  });
  afterEach(() => store.close());

  it('returns a document exactly as written, and moves the checkpoint with it', async () => {
    await store.commit('contract', 3, [{ id: 'a', doc: doc('a'), index: { kind: 'school' } }], 17);
    expect(await store.get('contract', 'a')).toEqual(doc('a'));
    expect(await store.checkpoint('contract')).toEqual({ position: 17, version: 3 });
    expect(await store.get('contract', 'missing')).toBeUndefined();
  });

  it("keeps a follower's checkpoint with its state, replaced whole by each save", async () => {
    const name = `follower-${randomUUID()}`;
    expect(await store.checkpoints.get(name)).toBeUndefined();
    await store.checkpoints.save(name, 5);
    expect(await store.checkpoints.get(name)).toEqual({ position: 5 });
    const state = { epoch: 2, note: 'a "quoted" \\ line\nbreak', list: [1, null, true] };
    await store.checkpoints.save(name, 9, state);
    expect(await store.checkpoints.get(name)).toEqual({ position: 9, state });
    await store.checkpoints.save(name, 12);
    expect(await store.checkpoints.get(name)).toEqual({ position: 12 });
    const reopened = await fixture.open();
    try {
      expect(await reopened.checkpoints.get(name)).toEqual({ position: 12 });
    } finally {
      await reopened.close();
    }
  });

  it('finds a checkpoint a follower wrote as an empty read-model commit, as the relay did before', async () => {
    const name = `follower-${randomUUID()}`;
    await store.commit(name, 1, [], 42);
    expect(await store.checkpoints.get(name)).toEqual({ position: 42 });
  });

  it('replaces a document and its index columns, and deletes with a null document', async () => {
    await store.commit(
      'contract',
      1,
      [
        { id: 'a', doc: doc('a'), index: { jurisdiction: '350203', kind: 'school', sortKey: 'b' } },
        { id: 'b', doc: doc('b'), index: { jurisdiction: '110105', kind: 'school', sortKey: 'a' } },
      ],
      1,
    );
    await store.commit(
      'contract',
      1,
      [
        {
          id: 'a',
          doc: doc('a', { v: 2 }),
          index: { jurisdiction: '110101', kind: 'teacher', sortKey: 'c' },
        },
        { id: 'b', doc: null },
      ],
      2,
    );
    expect(await store.get('contract', 'a')).toEqual(doc('a', { v: 2 }));
    expect(await store.get('contract', 'b')).toBeUndefined();
    const beijing = await store.query('contract', { jurisdictionPrefix: '11', limit: 10, offset: 0 });
    expect(beijing).toEqual({ items: [{ id: 'a', doc: doc('a', { v: 2 }) }], total: 1 });
    expect((await store.query('contract', { kind: 'school', limit: 10, offset: 0 })).total).toBe(0);
  });

  it('writes several read models and their checkpoints in one commit, each apart from the others', async () => {
    await store.commitAll([
      { projection: 'contract', version: 1, changes: [{ id: 'x', doc: doc('x') }], position: 5 },
      { projection: 'other', version: 2, changes: [{ id: 'x', doc: doc('y') }], position: 6 },
    ]);
    const loaded = await store.loadAll(
      new Map([
        ['contract', ['x', 'nope']],
        ['other', ['x']],
      ]),
    );
    expect(loaded.get('contract')).toEqual(new Map([['x', doc('x')]]));
    expect(loaded.get('other')).toEqual(new Map([['x', doc('y')]]));
    expect(await store.checkpoint('other')).toEqual({ position: 6, version: 2 });
  });

  it('adds new documents in bulk exactly as given, found by id and index, moving no checkpoint', async () => {
    const tricky = doc('t', { escaped: '\\N and \\. alone', cr: 'a\rb', tab: 'x\ty', zh: '迟报' });
    await store.insertNew([
      {
        projection: 'contract',
        documents: [
          {
            id: 'a\tb\\c',
            doc: tricky,
            index: { jurisdiction: '350203', kind: 'school', code: '\\N', sortKey: 'line\nbreak' },
          },
          { id: '\\N', doc: doc('n') },
        ],
      },
      { projection: 'other', documents: [{ id: 'x', doc: doc('x') }] },
    ]);
    expect(await store.get('contract', 'a\tb\\c')).toEqual(tricky);
    expect(await store.get('contract', '\\N')).toEqual(doc('n'));
    expect(await store.get('other', 'x')).toEqual(doc('x'));
    // The text \N stays text and a missing index column stays null: only the first has this code.
    expect(await store.query('contract', { code: '\\N', limit: 10, offset: 0 })).toEqual({
      items: [{ id: 'a\tb\\c', doc: tricky }],
      total: 1,
    });
    expect((await store.query('contract', { jurisdictionPrefix: '35', limit: 10, offset: 0 })).total).toBe(1);
    expect(await store.checkpoint('contract')).toBeUndefined();
  });

  it('adds documents given as encoded JSON, escaped or not, exactly as their JSON says', async () => {
    // doc() always holds escapes; these two hold none, so their bytes could go in as they are.
    const plain = { subjectId: 'p', name: '厦门市第一中学', late: '迟报', nested: { list: [1, null] } };
    const escaped = doc('e', { quote: 'say "hi"', escaped: '\\N', tab: 'x\ty', line: 'a\nb' });
    const pretty = { subjectId: 'pretty', lines: [1, 2] };
    const utf8 = (json: string) => Buffer.from(json, 'utf8');
    await store.insertNew([
      {
        projection: 'contract',
        documents: [
          { id: 'plain', utf8: utf8(JSON.stringify(plain)), index: { kind: 'k' } },
          { id: 'escaped', utf8: utf8(JSON.stringify(escaped)), index: { kind: 'k' } },
          // Not what JSON.stringify gives: raw newlines and tabs between the tokens.
          { id: 'pretty', utf8: utf8(JSON.stringify(pretty, null, '\t').replaceAll('\n', '\r\n')) },
          { id: 'object', doc: plain },
        ],
      },
    ]);
    expect(await store.get('contract', 'plain')).toEqual(plain);
    expect(await store.get('contract', 'escaped')).toEqual(escaped);
    expect(await store.get('contract', 'pretty')).toEqual(pretty);
    expect(await store.get('contract', 'object')).toEqual(plain);
    expect((await store.query('contract', { kind: 'k', limit: 10, offset: 0 })).total).toBe(2);
  });

  it('adds none of the new documents when one of them exists already', async () => {
    await store.commit('contract', 1, [{ id: 'taken', doc: doc('old') }], 1);
    const documents = Array.from({ length: 12_000 }, (_, i) => ({ id: `d${i}`, doc: doc(`d${i}`) }));
    await expect(
      store.insertNew([
        { projection: 'contract', documents: [...documents, { id: 'taken', doc: doc('new') }] },
      ]),
    ).rejects.toMatchObject({ message: expect.stringMatching(/duplicate key|UNIQUE constraint/) });
    expect(await store.get('contract', 'taken')).toEqual(doc('old'));
    expect((await store.query('contract', { limit: 1, offset: 0 })).total).toBe(1);
    await store.insertNew([{ projection: 'contract', documents }]);
    expect((await store.query('contract', { limit: 1, offset: 0 })).total).toBe(12_001);
    expect(await store.get('contract', 'd11999')).toEqual(doc('d11999'));
  });

  it('writes a batch larger than one statement can carry, all of it', async () => {
    const changes: DocumentChange[] = Array.from({ length: 12_000 }, (_, i) => ({
      id: `d${i}`,
      doc: doc(`d${i}`),
      index: { sortKey: String(i).padStart(5, '0') },
    }));
    await store.commit('contract', 1, changes, 12_000);
    const { items, total } = await store.query('contract', { limit: 2, offset: 11_998 });
    expect(total).toBe(12_000);
    expect(items.map((item) => item.id)).toEqual(['d11998', 'd11999']);
    expect(await store.checkpoint('contract')).toEqual({ position: 12_000, version: 1 });
  });
}
