// Durations in config: short forms (90s, 15m, 8h, 3d, 2w, combined 1h30m) and ISO 8601 (PT8H).

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const SHORT_FORM = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+$/;
const SHORT_PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g;
// ISO 8601 durations without years and months: those have no fixed length in milliseconds.
const ISO_FORM =
  /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export class DurationError extends Error {}

export const DURATION_EXPECTED =
  'a duration like 90s, 15m, 8h, 3d, 2w or ISO 8601 such as PT8H or P3D (no years or months)';

/** Parses a duration and returns milliseconds; throws a DurationError naming the accepted forms. */
export function parseDuration(text: string): number {
  const trimmed = text.trim();

  if (SHORT_FORM.test(trimmed)) {
    let total = 0;
    for (const [, amount, unit] of trimmed.matchAll(SHORT_PART))
      total += Number(amount) * UNIT_MS[unit];
    return Math.round(total);
  }

  const iso = ISO_FORM.exec(trimmed.toUpperCase());
  if (iso && trimmed.length > 1 && !trimmed.toUpperCase().endsWith('T')) {
    const [, weeks, days, hours, minutes, seconds] = iso.map((part) => Number(part ?? 0));
    const total =
      weeks * UNIT_MS.w +
      days * UNIT_MS.d +
      hours * UNIT_MS.h +
      minutes * UNIT_MS.m +
      seconds * UNIT_MS.s;
    return Math.round(total);
  }

  throw new DurationError(
    `not a duration: ${JSON.stringify(text)} (expected ${DURATION_EXPECTED})`,
  );
}

/** Formats milliseconds as an ISO 8601 duration (PT8H, P3D, PT1M30S); used in policy.json. */
export function formatIsoDuration(ms: number): string {
  if (ms === 0) return 'PT0S';
  let rest = ms;
  const days = Math.floor(rest / UNIT_MS.d);
  rest -= days * UNIT_MS.d;
  const hours = Math.floor(rest / UNIT_MS.h);
  rest -= hours * UNIT_MS.h;
  const minutes = Math.floor(rest / UNIT_MS.m);
  rest -= minutes * UNIT_MS.m;
  const seconds = rest / 1000;
  const time = `${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${seconds ? `${seconds}S` : ''}`;
  return `P${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
}

/** A short readable form for messages: 4h, 2h 30m, 3d 4h, 45s. */
export function formatDurationShort(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(Math.round(ms));
  if (rest < 1000) return `${sign}${rest}ms`;
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', UNIT_MS.d],
    ['h', UNIT_MS.h],
    ['m', UNIT_MS.m],
    ['s', UNIT_MS.s],
  ] as const) {
    const amount = Math.floor(rest / size);
    if (amount > 0) parts.push(`${amount}${unit}`);
    rest -= amount * size;
  }
  // Two units are enough to read; the exact times are in the message beside it.
  return sign + parts.slice(0, 2).join(' ');
}
