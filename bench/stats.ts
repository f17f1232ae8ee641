import { mkdirSync, writeFileSync } from 'node:fs';

/** Latency summary of a sample in nanoseconds, reported in microseconds. */
export function summarise(samplesNs: Float64Array | number[]) {
  const sorted = Float64Array.from(samplesNs).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1000;
  const total = sorted.reduce((a, b) => a + b, 0);
  return { n: sorted.length, meanUs: total / sorted.length / 1000, p50Us: at(0.5), p99Us: at(0.99), p999Us: at(0.999) };
}

export const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Writes a benchmark's figures to bench/results/<name>.json (from dist/bench/ back to the source tree). */
export function writeResult(name: string, result: unknown) {
  const dir = new URL('../../bench/results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  writeFileSync(new URL(`${name}.json`, dir), JSON.stringify({ date: new Date().toISOString(), ...(result as object) }, null, 2) + '\n');
}

