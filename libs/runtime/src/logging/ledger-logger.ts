// What the runtime logs through: structured entries, each under the name of the part that wrote it
// ("Workers", "Messaging", …). JsonLogger is one; the API passes the one it gives Nest.
import type { SchedulerLogEntry } from '@ledger/application';
import type { MessagingLog } from '@ledger/messaging';

export type LogEntry = Record<string, unknown>;

export interface LedgerLogger {
  log(entry: LogEntry, context: string): void;
  warn(entry: LogEntry, context: string): void;
  error(entry: LogEntry | Error, context: string): void;
  debug(entry: LogEntry, context: string): void;
}

export const silentLogger: LedgerLogger = {
  log: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};

/** A logger that writes under one name, in the shape messaging and the audit layer take. */
export interface ContextLog extends MessagingLog {
  debug(entry: LogEntry): void;
  /** An error or anything thrown, logged as an error. */
  failure(error: unknown): void;
}

export function logFor(logger: LedgerLogger, context: string): ContextLog {
  return {
    log: (entry) => logger.log(entry, context),
    warn: (entry) => logger.warn(entry, context),
    error: (entry) => logger.error(entry, context),
    debug: (entry) => logger.debug(entry, context),
    failure: (error) => logger.error(error instanceof Error ? error : { msg: String(error) }, context),
  };
}

/** The deadline scheduler's entries carry their level. */
export function schedulerLog(log: ContextLog) {
  return ({ level, ...entry }: SchedulerLogEntry): void => {
    if (level === 'error') log.error(entry);
    else if (level === 'warn') log.warn(entry);
    else if (level === 'debug') log.debug(entry);
    else log.log(entry);
  };
}
