// The decider pattern (Emmett, Chassaing): the whole behaviour of an aggregate as three pure functions.

// Commands and events are plain readonly data, never classes, so they serialise as they are.
export interface Event<Type extends string, Data> {
  readonly type: Type;
  readonly data: Data;
}

/** Metadata carries what the decision needs from outside: time, actor, policy. */
export interface Command<Type extends string, Data, Metadata> {
  readonly type: Type;
  readonly data: Data;
  readonly metadata: Metadata;
}

export interface Decider<Command, Event, State> {
  /** Decides what happened: the new events, or a thrown DomainError. Synchronous and pure. */
  readonly decide: (command: Command, state: State) => readonly Event[];
  /** Applies one event. Never throws: an event is a fact, already decided. */
  readonly evolve: (state: State, event: Event) => State;
  readonly initialState: () => State;
}

/** Rebuilds state from a stream's events: the same events always give the same state. */
export const fold = <Command, Event, State>(
  decider: Decider<Command, Event, State>,
  events: readonly Event[],
  from: State = decider.initialState(),
): State => events.reduce(decider.evolve, from);

/** Ends every switch over a union: adding a member without handling it fails to compile. */
export const assertNever = (value: never): never => {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
};
