// Training progress: recipes report (phase, fraction of their own work); a caller that runs
// several steps maps each step's fractions into its share of the whole job.
import type { SideData } from './data.js';

export type Progress = SideData['onProgress'];

/** `side` with its progress mapped into [from, to) of the whole, under `phase` when given. */
export function within(side: SideData | undefined, from: number, to: number, phase?: string): SideData | undefined {
  const report = side?.onProgress;
  if (!report) return side;
  return { ...side, onProgress: (p, f) => report(phase ?? p, from + (to - from) * f) };
}
