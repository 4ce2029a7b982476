import { initialPointer, physicalName, switched } from './generations';

describe('read model generations', () => {
  it('names generation 0 by the plain name, so ledgers that never rebuilt need nothing', () => {
    expect(physicalName('subject_credit_status', 0)).toBe('subject_credit_status');
    expect(physicalName('subject_credit_status', 3)).toBe('subject_credit_status__g3');
  });

  it('makes the next generation live, keeps the old one for a rollback and marks the one before as garbage', () => {
    const ready = {
      ...initialPointer('x'),
      live: 1,
      previous: 0,
      highest: 2,
      next: { generation: 2, version: 1, position: 10, readyAt: 't' },
    };
    expect(switched(ready, 'now')).toEqual({
      ...ready,
      live: 2,
      previous: 1,
      next: null,
      garbage: [0],
      switchedAt: 'now',
    });
    expect(switched(initialPointer('x'), 'now')).toEqual(initialPointer('x'));
  });
});
