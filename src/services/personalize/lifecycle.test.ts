import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pzEnv } from './test-support.js';
import { KIND } from './schema.js';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Scheduler, registerWork, setStatus, WorkFailure } from './lifecycle.js';
import { startPersonalize } from './start.js';
import { writeData } from './data-store.js';
import { TableBuilder } from './table.js';

const GROUP = 'arn:aws:personalize:us-east-1:000000000000:dataset-group/g';

test('pending transitions are stored: a new scheduler (a restart) carries them on, including interrupted work', async () => {
  const env = pzEnv();
  try {
    await env.call('CreateDatasetGroup', { name: 'g' });
    assert.equal(env.store.count(KIND.task), 1);
    // A crash in the middle of work: the status says IN_PROGRESS and the task is still there.
    setStatus(env.app, KIND.datasetGroup, GROUP, 'CREATE IN_PROGRESS');
    await new Scheduler(env.app, 1).drain();
    assert.equal((await env.call('DescribeDatasetGroup', { datasetGroupArn: GROUP })).datasetGroup.status, 'ACTIVE');
    assert.equal(env.store.count(KIND.task), 0);
  } finally {
    env.close();
  }
});

test('work that fails sets CREATE FAILED with its reason; an unexpected error reads as an internal error', async () => {
  const env = pzEnv();
  try {
    let calls = 0;
    registerWork('personalize.test-kind', async () => {
      calls++;
      if (calls === 1) throw new WorkFailure('no data');
      throw new Error('boom');
    });
    const doc = (arn: string) => ({ name: 'x', status: 'CREATE PENDING', creationDateTime: '', lastUpdatedDateTime: '', arn });
    for (const arn of ['a', 'b']) {
      env.store.put('personalize.test-kind', arn, doc(arn));
      env.store.put(KIND.task, arn, { arn, kind: 'personalize.test-kind' });
    }
    const write = process.stderr.write;
    process.stderr.write = () => true;
    try {
      await new Scheduler(env.app, 1).drain();
    } finally {
      process.stderr.write = write;
    }
    const states = ['a', 'b'].map((arn) => env.store.get<any>('personalize.test-kind', arn));
    assert.deepEqual(states.map((s) => [s.status, s.failureReason]), [['CREATE FAILED', 'no data'], ['CREATE FAILED', 'Internal error.']]);
  } finally {
    env.close();
  }
});

test('startPersonalize moves resources in the background and stops cleanly', async () => {
  const env = pzEnv();
  const stop = startPersonalize(env.app, { stepMs: 5 });
  try {
    await env.call('CreateDatasetGroup', { name: 'g' });
    for (let i = 0; i < 100; i++) {
      if ((await env.call('DescribeDatasetGroup', { datasetGroupArn: GROUP })).datasetGroup.status === 'ACTIVE') break;
      await new Promise((r) => setTimeout(r, 5));
    }
    assert.equal((await env.call('DescribeDatasetGroup', { datasetGroupArn: GROUP })).datasetGroup.status, 'ACTIVE');
  } finally {
    await stop();
    env.close();
  }
});

test('at start, files a crash left unreferenced are removed; referenced data stays', async () => {
  const env = pzEnv();
  try {
    const dir = join(env.app.config.dataDir, 'personalize');
    writeData(env.app, 'arn:x', 'job', new TableBuilder([]).table());
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'orphan.pz'), 'x');
    writeFileSync(join(dir, 'half.pz.tmp'), 'x');
    await startPersonalize(env.app)();
    assert.equal(readdirSync(dir).length, 1);
  } finally {
    env.close();
  }
});
