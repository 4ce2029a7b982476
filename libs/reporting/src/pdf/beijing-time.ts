// Instants as a Chinese reader expects them on paper: Beijing time (UTC+8 all year, no daylight saving).
const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

const two = (n: number): string => String(n).padStart(2, '0');

/** `2026-12-07T15:40:28.123Z` → `2026年12月07日 23:40:28（北京时间）`; text that is not an instant stays as it is. */
export function beijingDateTime(instant: string): string {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) return instant;
  const t = new Date(ms + BEIJING_OFFSET_MS);
  return (
    `${t.getUTCFullYear()}年${two(t.getUTCMonth() + 1)}月${two(t.getUTCDate())}日 ` +
    `${two(t.getUTCHours())}:${two(t.getUTCMinutes())}:${two(t.getUTCSeconds())}（北京时间）`
  );
}

/** `2026-03-05` → `2026年03月05日`. */
export function chineseDate(isoDate: string | null | undefined): string {
  if (!isoDate) return '—';
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  return match ? `${match[1]}年${match[2]}月${match[3]}日` : isoDate;
}
