import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { SqliteStore } from '../storage/metadata/sqlite.js';
import { KIND } from '../services/personalize/schema.js';
import { progressLine } from './progress.js';
import { REPO, runProgram } from '../../test/integration/support.js';

const ARN = 'arn:aws:personalize:us-east-1:000000000000:solution/s/abcd1234';

test('progressLine: a bar of the percentage with the phase while training, full when ACTIVE', () => {
  assert.equal(progressLine('CREATE IN_PROGRESS', { phase: 'training', percent: 50 }), `[${'#'.repeat(15)}${' '.repeat(15)}]  50%  CREATE IN_PROGRESS (training)`);
  assert.equal(progressLine('CREATE PENDING', undefined), `[${' '.repeat(30)}]   0%  CREATE PENDING`);
  assert.equal(progressLine('ACTIVE', { phase: 'saving', percent: 97 }), `[${'#'.repeat(30)}] 100%  ACTIVE`);
});

test('tailor progress follows a version in another process\'s store until it settles', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tailor-progress-'));
  const store = new SqliteStore(join(dir, 'metadata.sqlite'));
  const cli = (...args: string[]) => runProgram(process.execPath, [join(REPO, 'bin/tailor.js'), 'progress', ...args, '--data-dir', dir, '--interval-ms', '20'], { PATH: process.env.PATH });
  try {
    store.put(KIND.solutionVersion, ARN, { solutionVersionArn: ARN, status: 'CREATE IN_PROGRESS', trainingProgress: { phase: 'training', percent: 40 } });
    const child = spawn(process.execPath, [join(REPO, 'bin/tailor.js'), 'progress', ARN, '--data-dir', dir, '--interval-ms', '20']);
    let stdout = '';
    const exited = new Promise<number | null>((r) => child.once('close', r));
    // Finishes training once the first bar is out.
    await new Promise<void>((r) => child.stdout.on('data', (c) => {
      stdout += c;
      r();
    }));
    store.put(KIND.solutionVersion, ARN, { solutionVersionArn: ARN, status: 'ACTIVE', trainingProgress: { phase: 'saving', percent: 100 } });
    assert.equal(await exited, 0);
    assert.deepEqual(stdout.trim().split('\n'), [progressLine('CREATE IN_PROGRESS', { phase: 'training', percent: 40 }), progressLine('ACTIVE', undefined)]);

    store.put(KIND.solutionVersion, ARN, { solutionVersionArn: ARN, status: 'CREATE FAILED', failureReason: 'Training failed: no data.' });
    const failed = await cli(ARN);
    assert.equal(failed.status, 1);
    assert.match(failed.stdout, /Training failed: no data\./);
    assert.equal((await cli(`${ARN}x`)).status, 2);
    assert.equal((await cli()).status, 2);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
