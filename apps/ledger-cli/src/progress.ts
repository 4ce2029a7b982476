// Progress of long work (verify, rebuild, export) on stderr: on a terminal a bar redrawn in place
// (cli-progress), otherwise (logs, CI, a pipe) the same line printed every few seconds.
import { SingleBar } from 'cli-progress';

const PLAIN_EVERY_MS = 2000;

export class Progress {
  private readonly bar: SingleBar | undefined;
  private started = false;
  private lastLine = 0;

  /** `label` names the work ("verify", "rebuild", "export"); `unit` what is counted. */
  constructor(
    private readonly label: string,
    private readonly unit: { readonly name: string; readonly rate: string } = {
      name: 'position',
      rate: 'ev/s',
    },
  ) {
    if (process.stderr.isTTY)
      this.bar = new SingleBar({
        stream: process.stderr,
        hideCursor: true,
        format: (_options, { value, total }, payload: { perSecond?: number }) =>
          this.line(value, total, payload.perSecond ?? 0),
      });
  }

  update(done: number, total: number, perSecond: number): void {
    if (this.bar) {
      if (!this.started) this.bar.start(total, done, { perSecond });
      this.started = true;
      this.bar.setTotal(total);
      this.bar.update(done, { perSecond });
      return;
    }
    const now = Date.now();
    if (now - this.lastLine < PLAIN_EVERY_MS) return;
    this.lastLine = now;
    process.stderr.write(`${this.line(done, total, perSecond)}\n`);
  }

  /** The last figures, always shown. */
  finish(done: number, total: number, perSecond: number): void {
    if (this.bar) {
      this.update(done, total, perSecond);
      this.bar.stop();
      return;
    }
    process.stderr.write(`${this.line(done, total, perSecond)}\n`);
  }

  private line(done: number, total: number, perSecond: number): string {
    const ratio = total > 0 ? Math.min(1, done / total) : 1;
    const width = 30;
    const filled = Math.round(ratio * width);
    const eta = perSecond > 0 && total > done ? `  ETA ${Math.ceil((total - done) / perSecond)} s` : '';
    return (
      `${this.label.padEnd(7)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(ratio * 100).toFixed(1).padStart(5)}%  ` +
      `${this.unit.name} ${done.toLocaleString('en')}/${total.toLocaleString('en')}  ${perSecond.toLocaleString('en')} ${this.unit.rate}${eta}`
    );
  }
}
