/** Smithy timestamp formats (`smithy.api#timestampFormat`). */
export type TimestampFormat = 'date-time' | 'http-date' | 'epoch-seconds';

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;
// Date's own range: ±8.64e15 ms.
const MAX_MS = 8.64e15;

/** Reads a wire timestamp; undefined when the text is not one (the caller words the protocol's error). */
export function parseTimestamp(value: string | number, format: TimestampFormat): Date | undefined {
  if (format === 'epoch-seconds' || typeof value === 'number') {
    const n = typeof value === 'number' ? value : /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(value) ? Number(value) : NaN;
    return validDate(Math.round(n * 1000));
  }
  if (format === 'date-time') {
    const m = DATE_TIME.exec(value);
    if (!m) return undefined;
    const [, y, mo, d, h, mi, s, frac, zone] = m;
    const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
    if (+mo < 1 || +mo > 12 || +d < 1 || +d > 31 || +h > 23 || +mi > 59 || +s > 60) return undefined;
    let t = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, ms);
    if (zone && zone !== 'Z' && zone !== 'z') {
      const sign = zone[0] === '-' ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0)) * 60_000;
    }
    return validDate(t);
  }
  // http-date: IMF-fixdate (RFC 7231), which Date.parse reads; require the GMT zone it mandates.
  return /GMT$/.test(value) ? validDate(Date.parse(value)) : undefined;
}

function validDate(ms: number): Date | undefined {
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_MS ? new Date(ms) : undefined;
}

/** A handler's timestamp value (Date, ISO text, or epoch seconds) as a Date; a bad one is a server bug. */
export function toDate(value: unknown): Date {
  const d = value instanceof Date ? value
    : typeof value === 'number' ? new Date(value * 1000)
      : typeof value === 'string' ? new Date(value) : undefined;
  if (!d || Number.isNaN(d.getTime())) throw new Error(`not a timestamp: ${String(value)}`);
  return d;
}

/**
 * Writes a timestamp. date-time drops a zero millisecond part (IAM and STS print `2024-01-01T00:00:00Z`)
 * unless `millis` asks for it always (S3 prints `2024-01-01T00:00:00.000Z`).
 */
export function formatTimestamp(value: unknown, format: TimestampFormat, millis = false): string | number {
  const d = toDate(value);
  switch (format) {
    case 'epoch-seconds': return d.getTime() / 1000;
    case 'http-date': return d.toUTCString();
    case 'date-time': {
      const iso = d.toISOString();
      return !millis && iso.endsWith('.000Z') ? iso.slice(0, -5) + 'Z' : iso;
    }
  }
}
