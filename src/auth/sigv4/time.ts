/** SigV4's timestamp format (ISO 8601 basic, UTC): `20260101T000000Z`. */
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Milliseconds since the epoch of an `X-Amz-Date` value; undefined when it is not one. */
export function parseAmzDate(value: string): number | undefined {
  const m = AMZ_DATE.exec(value);
  if (!m) return undefined;
  const mo = +m[2] - 1;
  const d = +m[3];
  const ms = Date.UTC(+m[1], mo, d, +m[4], +m[5], +m[6]);
  // Date.UTC rolls 20260230 over into March and 25:00 into the next day; a real timestamp does not roll.
  const t = new Date(ms);
  return t.getUTCMonth() === mo && t.getUTCDate() === d && t.getUTCHours() === +m[4] && t.getUTCMinutes() === +m[5] && t.getUTCSeconds() === +m[6]
    ? ms : undefined;
}

export function formatAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** An HTTP `Date` header (RFC 7231 IMF-fixdate, or the obsolete forms Date.parse reads). */
export function parseHttpDate(value: string): number | undefined {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms - (ms % 1000);
}

/** ISO 8601 extended, as S3 writes ServerTime and Expires: `2026-01-01T00:00:00Z`. */
export const isoSeconds = (ms: number) => new Date(ms - (ms % 1000)).toISOString().replace(/\.\d{3}Z$/, 'Z');
