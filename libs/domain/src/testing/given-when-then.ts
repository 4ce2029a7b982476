// Specs read as given(past events).when(command).then(new events) — for any decider. Test-only: uses Jest.
import { fold, type Decider } from '../decider';
import { DomainError, type ErrorCode } from '../errors';

type ErrorClass = abstract new (...args: never[]) => DomainError;

export const specificationFor =
  <Command, Event, State>(decider: Decider<Command, Event, State>) =>
  (history: readonly Event[]) => ({
    when: (command: Command) => {
      const decide = (): readonly Event[] => decider.decide(command, fold(decider, history));
      return {
        /** Exactly these events, in this order. */
        then: (expected: readonly Event[]): void => {
          expect(decide()).toEqual(expected);
        },
        /** At least these events (objects may be partial with `expect.objectContaining`). */
        thenIncludes: (expected: readonly unknown[]): void => {
          expect(decide()).toEqual(expect.arrayContaining([...expected]));
        },
        /** Exactly events of these types, in this order: for specs about what happens, not its details. */
        thenEventTypes: (expected: readonly string[]): void => {
          expect(decide().map((event) => (event as { type: string }).type)).toEqual(expected);
        },
        thenNothingHappens: (): void => {
          expect(decide()).toEqual([]);
        },
        /** Refused with this error class or code; `details` may be partial. */
        thenThrows: (expected: ErrorClass | ErrorCode, details?: Record<string, unknown>): void => {
          let thrown: unknown;
          try {
            decide();
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toBeInstanceOf(typeof expected === 'string' ? DomainError : expected);
          if (typeof expected === 'string') expect((thrown as DomainError).code).toBe(expected);
          if (details !== undefined) expect((thrown as DomainError).details).toMatchObject(details);
        },
      };
    },
  });
