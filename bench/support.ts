// Shared bits of the benchmarks: the machine description and peak memory.
import { cpus, totalmem } from 'node:os';

export function machine(): Record<string, string> {
  return {
    cpu: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
    memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
    node: process.version,
  };
}

/** Samples RSS every 50 ms; the returned function stops sampling and gives the peak in MB. */
export function peakRss(): () => number {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return () => {
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
    return Math.round(peak / 2 ** 20);
  };
}

export function report(
  title: string,
  results: Record<string, unknown>,
  context: Record<string, string>,
): void {
  console.log(`\n${title}`);
  for (const [key, value] of Object.entries(results)) console.log(`  ${key.padEnd(24)} ${value}`);
  console.log(`  ${'machine'.padEnd(24)} ${Object.values(context).join(', ')}`);
}
