import { test } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { offThread, stopWork } from './workers.js';
import { WorkFailure } from './lifecycle.js';
import type { ExportJob } from './export-worker.js';
import type { Field } from './avro.js';

const FIELDS: Field[] = [{ name: 'ITEM_ID', type: 'string', nullable: false, categorical: false, textual: false }];
const exportJob = (arn: string) => offThread<Uint8Array>({ arn, script: './export-worker.js', data: { fields: FIELDS } satisfies ExportJob });

test('jobs beyond one per core wait their turn; a stop ends a running job or takes a waiting one out of the queue', async () => {
  const n = availableParallelism() + 2;
  const jobs = Array.from({ length: n }, (_, i) => exportJob(`arn:job/${i}`));
  const settled = Promise.allSettled(jobs);
  // The last job is still waiting for a slot: stopping it takes it out of the queue.
  stopWork(`arn:job/${n - 1}`);
  // The first has its worker once the event loop turns.
  await new Promise((r) => setImmediate(r));
  stopWork('arn:job/0');
  const results = await settled;
  const stopped = (r: PromiseSettledResult<Uint8Array>) => r.status === 'rejected' && r.reason instanceof WorkFailure && r.reason.message === 'Stopped.';
  assert.ok(stopped(results[n - 1]));
  assert.ok(stopped(results[0]) || results[0].status === 'fulfilled', 'the first job was stopped, unless it had already finished');
  for (const r of results.slice(1, -1)) {
    assert.equal(r.status, 'fulfilled');
    assert.equal(Buffer.from((r as PromiseFulfilledResult<Uint8Array>).value).toString(), 'ITEM_ID\n');
  }
  // Every slot was given back: as many jobs as cores run again.
  assert.equal((await Promise.all(Array.from({ length: n }, (_, i) => exportJob(`arn:again/${i}`)))).length, n);
});
