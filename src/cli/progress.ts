// `tailor progress ARN`: a solution version's training as a progress bar, read from a data dir's
// store while the server trains (SQLite's WAL lets both read). AWS's DescribeSolutionVersion has no
// progress member, so this and the console are where Tailor shows it.
// Exit code: 0 the version became ACTIVE, 1 it failed or was stopped, 2 usage error or unknown version.
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SqliteStore } from '../storage/metadata/sqlite.js';
import { KIND, type SolutionVersionDoc } from '../services/personalize/schema.js';

const USAGE = `Usage: tailor progress SOLUTION_VERSION_ARN [--data-dir DIR] [--interval-ms 500]

Shows a solution version's training phase and percentage until it is ACTIVE (exit 0) or fails or is
stopped (exit 1, with the failure reason).`;

const WIDTH = 30;
const SETTLED = new Set(['ACTIVE', 'CREATE FAILED', 'CREATE STOPPED']);

/** One line: a bar of WIDTH cells, the percentage and the phase. */
export function progressLine(status: string, p: { phase: string; percent: number } | undefined): string {
  const percent = status === 'ACTIVE' ? 100 : Math.max(0, Math.min(100, p?.percent ?? 0));
  const filled = Math.round((percent / 100) * WIDTH);
  return `[${'#'.repeat(filled)}${' '.repeat(WIDTH - filled)}] ${String(percent).padStart(3)}%  ${status}${p && !SETTLED.has(status) ? ` (${p.phase})` : ''}`;
}

export async function progress(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args, allowPositionals: true, strict: true,
      options: { 'data-dir': { type: 'string', default: process.env.TAILOR_DATA_DIR ?? './.tailor' }, 'interval-ms': { type: 'string', default: '500' } },
    });
  } catch (e) {
    return usage((e as Error).message);
  }
  const [arn] = parsed.positionals;
  const interval = Number(parsed.values['interval-ms']);
  if (!arn || parsed.positionals.length > 1) return usage('give one solution version ARN');
  if (!(interval > 0)) return usage('--interval-ms must be a positive number');
  const file = join(resolve(parsed.values['data-dir'] as string), 'metadata.sqlite');
  if (!existsSync(file)) return usage(`no Tailor data in ${resolve(parsed.values['data-dir'] as string)}`);
  const store = new SqliteStore(file);
  try {
    // On a terminal the bar redraws in place; elsewhere (logs, CI) each change is a line.
    const tty = process.stdout.isTTY === true;
    let last = '';
    for (;;) {
      const v = store.get<SolutionVersionDoc>(KIND.solutionVersion, arn);
      if (!v) {
        process.stderr.write(`tailor progress: no solution version ${arn}\n`);
        return 2;
      }
      const line = progressLine(v.status, v.trainingProgress);
      if (line !== last) process.stdout.write(tty ? `\r${line}` : `${line}\n`);
      last = line;
      if (SETTLED.has(v.status)) {
        if (tty) process.stdout.write('\n');
        if (v.failureReason) process.stdout.write(`${v.failureReason}\n`);
        return v.status === 'ACTIVE' ? 0 : 1;
      }
      await sleep(interval);
    }
  } finally {
    store.close();
  }
}

function usage(message: string): number {
  process.stderr.write(`tailor progress: ${message}\n${USAGE}\n`);
  return 2;
}
