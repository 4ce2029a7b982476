// How far a follower of the feed (or of the digest store) got, for followers whose output is not a read
// model: the Kafka relay, the digest publisher. Read models keep their checkpoints with their documents
// (DocumentStore.commit), so a batch and its checkpoint are written in one transaction.

export interface Checkpoint<State = unknown> {
  /** The last position handled: a follower resumes after it. */
  readonly position: number;
  /** Whatever else the follower needs to resume; absent when it saved none. */
  readonly state?: State;
}

export interface Checkpoints {
  get<State = unknown>(name: string): Promise<Checkpoint<State> | undefined>;
  /** Replaces the checkpoint as a whole: saving without a state clears the state saved before. */
  save(name: string, position: number, state?: unknown): Promise<void>;
}
