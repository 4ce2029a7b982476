import { GroupCommit } from './group-commit';

describe('GroupCommit', () => {
  const deferred = () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    return { release, released };
  };

  it('sends a lone item at once and groups what arrives while every slot is busy', async () => {
    const groups: number[][] = [];
    const gate = deferred();
    const commit = new GroupCommit<number, number>(
      async (items) => {
        groups.push([...items]);
        if (groups.length === 1) await gate.released;
        return items.map((n) => n * 10);
      },
      { maxInFlight: 1, maxGroupSize: 3 },
    );
    const results = [1, 2, 3, 4, 5].map((n) => commit.submit(n));
    expect(groups).toEqual([[1]]);
    gate.release();
    expect(await Promise.all(results)).toEqual([10, 20, 30, 40, 50]);
    expect(groups).toEqual([[1], [2, 3, 4], [5]]);
  });

  it('keeps at most maxInFlight groups in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const commit = new GroupCommit<number, number>(
      async (items) => {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        return [...items];
      },
      { maxInFlight: 2, maxGroupSize: 4 },
    );
    await Promise.all(Array.from({ length: 40 }, (_, n) => commit.submit(n)));
    expect(most).toBe(2);
  });

  it('splits a failed group so only the item that fails on its own is refused', async () => {
    const sent: number[][] = [];
    const gate = deferred();
    const commit = new GroupCommit<number, string>(
      async (items) => {
        sent.push([...items]);
        if (sent.length === 1) await gate.released;
        if (items.includes(13)) throw new Error('refused 13');
        return items.map(String);
      },
      { maxInFlight: 1, maxGroupSize: 10 },
    );
    const results = [1, 2, 13, 4].map((n) => commit.submit(n).catch((error: Error) => error.message));
    gate.release();
    expect(await Promise.all(results)).toEqual(['1', '2', 'refused 13', '4']);
    expect(sent).toEqual([[1], [2, 13, 4], [2], [13], [4]]);
  });
});
