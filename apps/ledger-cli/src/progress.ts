// Progress on stderr: a bar redrawn in place on a terminal, a line every few seconds otherwise.
export class Progress {
  private lastDraw = 0;
  private readonly tty = Boolean(process.stderr.isTTY);

  constructor(private readonly label: string) {}

  update(done: number, total: number, eventsPerSecond: number, final = false): void {
    const now = Date.now();
    if (!final && now - this.lastDraw < (this.tty ? 100 : 2000)) return;
    this.lastDraw = now;
    const ratio = total > 0 ? Math.min(1, done / total) : 1;
    const width = 30;
    const filled = Math.round(ratio * width);
    const eta =
      eventsPerSecond > 0 && total > done ? `  ETA ${Math.ceil((total - done) / eventsPerSecond)} s` : '';
    const line =
      `${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(ratio * 100).toFixed(1).padStart(5)}%  ` +
      `position ${done.toLocaleString('en')}/${total.toLocaleString('en')}  ${eventsPerSecond.toLocaleString('en')} ev/s${eta}`;
    process.stderr.write(this.tty ? `\r${line}${final ? '\n' : ''}` : `${line}\n`);
  }
}
