// Typed errors of the store. Each carries a stable code so the HTTP edge can map it without guessing.

export abstract class EventStoreError extends Error {
  abstract readonly code: string;
}

export class WrongExpectedRevision extends EventStoreError {
  readonly code = 'STORE.WRONG_EXPECTED_REVISION';
  constructor(
    readonly streamId: string,
    readonly expected: 'any' | 'no_stream' | number,
    /** The stream's last revision, or 'no_stream' when it does not exist. */
    readonly actual: number | 'no_stream',
  ) {
    super(`Stream ${streamId}: expected revision ${expected}, actual ${actual}`);
  }
}

/** The same event id was sent again with other content: a client bug, never a retry. */
export class IdempotencyConflict extends EventStoreError {
  readonly code = 'STORE.EVENT_ID_REUSED';
  constructor(
    readonly eventId: string,
    readonly reason: string,
  ) {
    super(`Event ${eventId} already exists with different content (${reason})`);
  }
}

/** Bad input to append: nothing was written. */
export class InvalidEvent extends EventStoreError {
  readonly code = 'STORE.INVALID_EVENT';
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`Invalid event: ${field} ${reason}`);
  }
}
