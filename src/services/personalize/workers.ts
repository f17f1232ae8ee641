// Background work on worker threads (training, batch jobs, exports), so the CPU a job needs never
// holds the event loop that serves the API. At most one job per core runs at a time (the others
// wait their turn), which bounds the memory jobs take together. A worker posts `progress` messages
// while it works and ends with `done` or `error`; a job is stopped by terminating its worker (or
// by leaving the queue).
import { availableParallelism } from 'node:os';
import { parentPort, Worker } from 'node:worker_threads';
import { WorkFailure } from './lifecycle.js';

/** What a job's worker posts. `explained` errors are the job's failure reason as they stand. */
export type WorkerMessage<R> =
  | { type: 'progress'; phase: string; fraction: number }
  | { type: 'done'; result: R }
  | { type: 'error'; message: string; explained: boolean };

/** Workers running, by the ARN of the resource they work for. */
const running = new Map<string, Worker>();
/** Workers terminated by stopWork (their exit is a stop, not a crash). */
const stopping = new WeakSet<Worker>();
/** Jobs waiting for a free slot, in arrival order. */
const waiting: { arn: string; go(): void; stop(): void }[] = [];
let free = availableParallelism();

export interface OffThread {
  /** Who the work is for (StopX terminates it by this ARN). */
  arn: string;
  /** The worker module, relative to this one's URL. */
  script: string;
  data: unknown;
  onProgress?: (phase: string, fraction: number) => void;
}

/** Failure of work that was stopped on purpose (the resource's status already says so). */
class Stopped extends WorkFailure {}

/** Waits for a free slot; rejects with Stopped when the job is stopped while it waits. */
function slot(arn: string): Promise<void> {
  if (free > 0) {
    free--;
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => waiting.push({ arn, go: resolve, stop: () => reject(new Stopped('Stopped.')) }));
}

function release(): void {
  const next = waiting.shift();
  if (next) next.go();
  else free++;
}

/** Runs a worker to its `done` message, once a slot is free; rejects with a WorkFailure for its `error`, or when stopped. */
export async function offThread<R>(job: OffThread): Promise<R> {
  await slot(job.arn);
  try {
    return await run<R>(job);
  } finally {
    release();
  }
}

function run<R>(job: OffThread): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const worker = new Worker(new URL(job.script, import.meta.url), { workerData: job.data });
    running.set(job.arn, worker);
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      if (running.get(job.arn) === worker) running.delete(job.arn);
      f();
    };
    worker.on('message', (m: WorkerMessage<R>) => {
      if (m.type === 'progress') job.onProgress?.(m.phase, m.fraction);
      else if (m.type === 'done') settle(() => resolve(m.result));
      else settle(() => reject(m.explained ? new WorkFailure(m.message) : new Error(m.message)));
    });
    worker.once('error', (e) => settle(() => reject(e)));
    worker.once('exit', (code) => settle(() => reject(stopping.delete(worker) ? new Stopped('Stopped.') : new Error(`worker exited with code ${code}`))));
  });
}

/** Stops the work for `arn`: terminates its worker, or takes it out of the queue. Its work then rejects. */
export function stopWork(arn: string): void {
  const worker = running.get(arn);
  if (worker) {
    stopping.add(worker);
    void worker.terminate();
    return;
  }
  const queued = waiting.findIndex((w) => w.arn === arn);
  if (queued >= 0) waiting.splice(queued, 1)[0].stop();
}

/** The worker side: runs `work`, posting its progress and then its result (or its failure). */
export async function workerMain<R>(work: (progress: (phase: string, fraction: number) => void) => R | Promise<R>): Promise<void> {
  const port = parentPort!;
  const post = (m: WorkerMessage<R>) => port.postMessage(m);
  try {
    const result = await work((phase, fraction) => post({ type: 'progress', phase, fraction }));
    post({ type: 'done', result });
  } catch (e) {
    post({ type: 'error', message: e instanceof Error ? e.message : String(e), explained: e instanceof WorkFailure });
  }
}

/** Bytes posted between threads, as a Buffer over the same memory. */
export const asBuffer = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
