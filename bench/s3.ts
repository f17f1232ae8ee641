// S3 object throughput through Tailor (a server process; SDK v3 client over loopback HTTP; objects
// encrypted at rest as by default) next to a raw file copy of the same bytes on the same disk, in the same run.
import { copyFile, open, rm, stat } from 'node:fs/promises';
import { createReadStream, createWriteStream, mkdtempSync, openSync, writeSync, closeSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { spawnTailor, ROOT } from '../test/integration/support.js';
import { round } from './stats.js';

const MB = 1_000_000;

/** A file of `bytes` random bytes, written in 1 MB blocks. */
function makeFile(path: string, bytes: number): void {
  const block = randomBytes(MB);
  const fd = openSync(path, 'w');
  for (let left = bytes; left > 0; left -= MB) writeSync(fd, block, 0, Math.min(MB, left));
  closeSync(fd);
}

/** Median of `runs` timings of `fn`, as MB/s for `bytes`. */
async function rate(bytes: number, runs: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  const seconds: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await fn(i);
    seconds.push(Number(process.hrtime.bigint() - t) / 1e9);
  }
  seconds.sort((a, b) => a - b);
  return bytes / MB / seconds[Math.floor(seconds.length / 2)];
}

export async function run(opts: { sizesMB?: number[]; runs?: Record<number, number> } = {}) {
  const sizes = opts.sizesMB ?? [1, 100];
  const runsFor = (mb: number) => opts.runs?.[mb] ?? (mb <= 1 ? 50 : 5);
  const dir = mkdtempSync(join(tmpdir(), 'tailor-bench-s3-'));
  const tailor = await spawnTailor(join(dir, 'data'));
  const s3 = new S3Client({ endpoint: tailor.url, region: 'us-east-1', credentials: ROOT, forcePathStyle: true, maxAttempts: 1 });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: 'bench' }));
    const figures = [];
    for (const mb of sizes) {
      const bytes = mb * MB;
      const runs = runsFor(mb);
      const src = join(dir, `src-${mb}`);
      const out = join(dir, `out-${mb}`);
      makeFile(src, bytes);
      const put = (i: number) => s3.send(new PutObjectCommand({
        Bucket: 'bench', Key: `obj-${mb}-${i % 2}`, Body: createReadStream(src), ContentLength: bytes,
      }));
      const get = async (i: number) => {
        const res = await s3.send(new GetObjectCommand({ Bucket: 'bench', Key: `obj-${mb}-${i % 2}` }));
        await pipeline(res.Body as Readable, createWriteStream(out));
      };
      const copy = (i: number) => copyFile(src, `${out}-copy-${i % 2}`);
      // Tailor makes each object durable (fsync) before answering; so does this copy.
      const durableCopy = async (i: number) => {
        await copy(i);
        const f = await open(`${out}-copy-${i % 2}`, 'r+');
        await f.sync();
        await f.close();
      };
      // One untimed round of each warms caches and connections alike.
      await put(0); await put(1); await get(0); await copy(0);
      const putMBps = await rate(bytes, runs, put);
      const getMBps = await rate(bytes, runs, get);
      const copyMBps = await rate(bytes, runs, copy);
      const durableMBps = await rate(bytes, runs, durableCopy);
      if ((await stat(out)).size !== bytes) throw new Error(`GET of ${mb} MB returned the wrong length`);
      figures.push({
        objectMB: mb, runs,
        putMBps: round(putMBps, 1), getMBps: round(getMBps, 1), rawCopyMBps: round(copyMBps, 1), rawCopyFsyncMBps: round(durableMBps, 1),
        putVsCopy: round(putMBps / copyMBps), getVsCopy: round(getMBps / copyMBps),
      });
      await Promise.all([rm(src), rm(out), rm(`${out}-copy-0`, { force: true }), rm(`${out}-copy-1`, { force: true })]);
    }
    return {
      benchmark: 's3: PutObject/GetObject through a Tailor process (SDK v3 defaults incl. CRC32 checksums, loopback HTTP, SSE-S3 at rest) vs fs.copyFile on the same disk; median of runs, MB = 10^6 bytes',
      node: process.version,
      figures,
    };
  } finally {
    s3.destroy();
    tailor.child.kill();
    await new Promise((r) => tailor.child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}
