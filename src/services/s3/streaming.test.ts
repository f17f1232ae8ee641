import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { s3Env } from './test-support.js';

const MiB = 1024 * 1024;
const SIZE = 100 * MiB;

/** 100 MB of varied bytes made on the fly (never all in memory), and the MD5 they should have. */
function source(): { stream: Readable; md5: () => string } {
  const h = createHash('md5');
  const block = Buffer.alloc(MiB);
  let sent = 0;
  const stream = new Readable({
    read() {
      if (sent === SIZE) return void this.push(null);
      block.writeUInt32LE(sent / MiB, 0);
      const chunk = Buffer.from(block);
      h.update(chunk);
      sent += chunk.length;
      this.push(chunk);
    },
  });
  return { stream, md5: () => h.digest('hex') };
}

/** Peak RSS growth over `baseline` while fn runs, sampled every 5 ms. */
async function peakGrowth<T>(fn: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 5);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, growth: peak - baseline };
  } finally { clearInterval(timer); }
}

test('a 100 MB PUT and GET stream through with flat memory (RSS growth well under the object size)', async () => {
  const env = s3Env();
  try {
    await env.call('CreateBucket', { Bucket: 'big' });
    // Warm up first, so loading code and opening the store are not counted.
    await env.put('big', 'warm', 'x'.repeat(MiB));
    await env.get('big', 'warm');
    const src = source();
    const put = await peakGrowth(() => env.call('PutObject', { Bucket: 'big', Key: 'blob', Body: src.stream, ContentLength: SIZE }));
    const md5 = src.md5();
    assert.equal(put.result.ETag, `"${md5}"`);
    const get = await peakGrowth(async () => {
      const out = await env.call('GetObject', { Bucket: 'big', Key: 'blob' });
      const h = createHash('md5');
      let n = 0;
      for await (const c of out.Body) { h.update(c); n += c.length; }
      return { n, md5: h.digest('hex') };
    });
    assert.deepEqual(get.result, { n: SIZE, md5 });
    // What remains is garbage awaiting collection, the same for 100 MB as for 1 GB (measured), far from the object's size.
    for (const [what, growth] of [['PUT', put.growth], ['GET', get.growth]] as const) {
      assert.ok(growth < SIZE / 2, `${what} grew RSS by ${(growth / MiB).toFixed(1)} MiB`);
    }
  } finally { env.close(); }
});
