// Properties of the decider as a whole, over random command sequences.
import fc from 'fast-check';
import { fold } from '../decider';
import { DomainError } from '../errors';
import { defaultPolicy } from '../policy/default-policy';
import { deriveCreditStatus } from './credit-status';
import type { SubjectCommand } from './subject.commands';
import { toSubjectStreamId } from '../streams';
import { subjectDecider } from './subject.decider';
import type { SubjectEvent } from './subject.events';
import type { SubjectState } from './subject.state';
import { run, sequences } from './testing/random-histories';

const outcomeOf = (command: SubjectCommand, state: SubjectState): unknown => {
  try {
    return subjectDecider.decide(command, state);
  } catch (error) {
    return (error as DomainError).code;
  }
};

describe('the subject decider', () => {
  it('names one stream per subject', () => {
    expect(toSubjectStreamId('school-1')).toBe('subject-school-1');
  });

  it('replaying the events gives the state the decisions built, every time', () => {
    fc.assert(
      fc.property(sequences, (steps) => {
        const { state, events } = run(steps);
        expect(fold(subjectDecider, events)).toEqual(state);
        expect(fold(subjectDecider, events)).toEqual(fold(subjectDecider, events));
      }),
      { numRuns: 200 },
    );
  });

  it('events are plain data: a JSON round trip replays to the same state', () => {
    fc.assert(
      fc.property(sequences, (steps) => {
        const { state, events } = run(steps);
        expect(fold(subjectDecider, JSON.parse(JSON.stringify(events)) as SubjectEvent[])).toEqual(state);
      }),
      { numRuns: 100 },
    );
  });

  it('decides the same command against the same state the same way', () => {
    fc.assert(
      fc.property(sequences, (steps) => {
        for (const { command, before } of run(steps).decisions) {
          expect(outcomeOf(command, before)).toEqual(outcomeOf(command, before));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('keeps of a revoked record only its kind, id and an objection against it', () => {
    let revoked = 0;
    fc.assert(
      fc.property(sequences, (steps) => {
        const { state } = run(steps);
        if (state.status !== 'registered') return;
        for (const record of state.records.filter((r) => r.status === 'revoked')) {
          revoked += 1;
          expect(Object.keys(record).sort()).toEqual(['disputedBy', 'kind', 'recordId', 'status']);
        }
      }),
      { numRuns: 200 },
    );
    expect(revoked).toBeGreaterThan(0);
  });

  it('always announces the standing it leaves: lists and grade in the events match what the records imply', () => {
    fc.assert(
      fc.property(sequences, (steps) => {
        const { state } = run(steps);
        if (state.status !== 'registered') return;
        const status = deriveCreditStatus(state, defaultPolicy, '2025-01-06');
        const onLists = (['red', 'black', 'key_supervision'] as const).filter(
          (list) => status.lists[list].onList,
        );
        expect([...state.announced.lists].sort()).toEqual([...onLists].sort());
        expect(state.announced.grade).toBe(status.grade);
      }),
      { numRuns: 200 },
    );
  });
});
