// Structured logs: one JSON object per line on stdout, ready for any log shipper. The API hands the same
// instance to Nest, whose LoggerService it fits, so Nest's lines and the runtime's are alike.
import type { LedgerLogger } from './ledger-logger';
import { requestScope } from './request-scope';

const LEVELS = { debug: 10, verbose: 10, info: 20, log: 20, warn: 30, error: 40, fatal: 50 } as const;
type Level = keyof typeof LEVELS;

export class JsonLogger implements LedgerLogger {
  private readonly threshold: number;

  constructor(
    level: 'debug' | 'info' | 'warn' | 'error' = 'info',
    private readonly write = (line: string) => process.stdout.write(line),
  ) {
    this.threshold = LEVELS[level];
  }

  log(message: unknown, ...context: unknown[]): void {
    this.emit('info', message, context);
  }
  error(message: unknown, ...context: unknown[]): void {
    this.emit('error', message, context);
  }
  warn(message: unknown, ...context: unknown[]): void {
    this.emit('warn', message, context);
  }
  debug(message: unknown, ...context: unknown[]): void {
    this.emit('debug', message, context);
  }
  verbose(message: unknown, ...context: unknown[]): void {
    this.emit('debug', message, context);
  }
  fatal(message: unknown, ...context: unknown[]): void {
    this.emit('fatal', message, context);
  }

  private emit(level: Level, message: unknown, context: unknown[]): void {
    if (LEVELS[level] < this.threshold) return;
    // Nest passes the context name last, and for errors a stack before it.
    const args = [...context];
    const name = typeof args[args.length - 1] === 'string' ? (args.pop() as string) : undefined;
    const record: Record<string, unknown> = { time: new Date().toISOString(), level, context: name };
    const requestId = requestScope.getStore()?.requestId;
    if (requestId !== undefined) record.requestId = requestId;
    if (message instanceof Error) {
      record.msg = message.message;
      record.stack = message.stack;
    } else if (typeof message === 'object' && message !== null) {
      Object.assign(record, message);
    } else {
      record.msg = String(message);
    }
    if (args.length === 1 && typeof args[0] === 'string') record.stack = args[0];
    else if (args.length > 0) record.details = args;
    this.write(`${JSON.stringify(record)}\n`);
  }
}
