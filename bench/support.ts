// Shared bits of the benchmarks: flags, subjects' codes, the machine description and peak memory.
import { cpus, totalmem } from 'node:os';
import { usccCheckCharacter } from '@ledger/domain';

/** A number-valued command-line flag (`--name N`), or the fallback. */
export function numberFlag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
}

/** A valid Unified Social Credit Code for bench subject n (GB 32100-2015 check character). */
export function benchUscc(n: number): string {
  const body = `91350213${String(n).padStart(9, '0')}`;
  return body + usccCheckCharacter(body);
}

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
