// Progress of long work (verify, rebuild, export) on stderr: a bar redrawn in place on a terminal
// (cli-progress), a plain line every few seconds otherwise (logs, CI, a pipe).
import { Presets, SingleBar } from 'cli-progress';

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
      this.bar = new SingleBar(
        {
          format: `${label.padEnd(7)} [{bar}] {percentage}%  ${unit.name} {value}/{total}  {rate} ${unit.rate}  ETA {eta_formatted}`,
          stream: process.stderr,
          hideCursor: true,
          formatValue: (value, _options, type) =>
            type === 'value' || type === 'total' ? value.toLocaleString('en') : String(value),
        },
        Presets.legacy,
      );
  }

  update(done: number, total: number, perSecond: number): void {
    if (this.bar) {
      if (!this.started) this.bar.start(total, done, { rate: 0 });
      else this.bar.setTotal(total);
      this.started = true;
      this.bar.update(done, { rate: perSecond.toLocaleString('en') });
      return;
    }
    const now = Date.now();
    if (now - this.lastLine < PLAIN_EVERY_MS) return;
    this.lastLine = now;
    this.plainLine(done, total, perSecond);
  }

  /** The last figures, always shown. */
  finish(done: number, total: number, perSecond: number): void {
    if (this.bar) {
      this.update(done, total, perSecond);
      this.bar.stop();
      return;
    }
    this.plainLine(done, total, perSecond);
  }

  private plainLine(done: number, total: number, perSecond: number): void {
    const ratio = total > 0 ? Math.min(1, done / total) : 1;
    const width = 30;
    const filled = Math.round(ratio * width);
    const eta = perSecond > 0 && total > done ? `  ETA ${Math.ceil((total - done) / perSecond)} s` : '';
    process.stderr.write(
      `${this.label.padEnd(7)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(ratio * 100).toFixed(1).padStart(5)}%  ` +
        `${this.unit.name} ${done.toLocaleString('en')}/${total.toLocaleString('en')}  ${perSecond.toLocaleString('en')} ${this.unit.rate}${eta}\n`,
    );
  }
}
