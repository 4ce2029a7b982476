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

/**
 * SQLSTATE classes and codes that say the database cannot be reached right now, not that the request is
 * wrong: 08 connection exceptions, 57P01–57P03 (administrator shutdown, crash shutdown, cannot connect
 * now: a restart), 53300 too many connections.
 */
const UNAVAILABLE_SQLSTATES = /^(08...|57P0[1-3]|53300)$/;
const UNAVAILABLE_NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|connection error and is not queryable|Client was closed and is not queryable|timeout exceeded when trying to connect|the database system is (starting up|shutting down|in recovery mode)/i;

/**
 * True when `error` says the store's database is down or unreachable (a restart, a failover, a dropped
 * connection): the same request may succeed in a moment. The pool reconnects by itself.
 */
export function isStoreUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code } = error as { code?: unknown };
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATES.test(code) || UNAVAILABLE_NETWORK.has(code)))
    return true;
  if (error instanceof AggregateError && error.errors.some(isStoreUnavailable)) return true;
  return UNAVAILABLE_MESSAGES.test(error.message);
}

/**
 * A pool's connections must never crash the process: pg-pool listens for errors of idle connections only,
 * so one checked out (a transaction, a COPY) that the server terminates between two queries would emit an
 * unhandled 'error'. Every connection gets a listener of its own; the query in flight fails anyway, and
 * the broken connection is discarded when released.
 */
export function keepPoolErrorsHandled(pool: {
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(
    event: 'connect',
    listener: (client: { on(event: 'error', l: (e: Error) => void): unknown }) => void,
  ): unknown;
}): void {
  pool.on('error', () => undefined); // idle connections: the next query reconnects
  pool.on('connect', (client) => client.on('error', () => undefined));
}
