// Durable status machines. A resource that still has to move is recorded as a task (in the same
// transaction that created or changed it); the scheduler advances each task one state per tick
// and, in the in-progress state, runs the kind's work (an import, a training). Tasks live in the
// store, so a restart resumes them: work that was running is simply run again (work commits its
// results only at its end, so a re-run never sees half of an earlier one).
import type { App } from '../../app.js';
import { isAwsError } from '../../shared/aws-error.js';
import { KIND, type Lifecycle } from './schema.js';

export interface Task {
  arn: string;
  kind: string;
}

/** What a resource of a kind does while in progress (an import, a training); throwing a WorkFailure fails it. */
export type Work = (app: App, arn: string) => Promise<void>;

/** A failure the resource reports as its failureReason. */
export class WorkFailure extends Error {}

/** Cleanup when a deleted resource goes away (data files, dependants' indexes). */
export type Cleanup = (app: App, arn: string) => void;

/** Time-driven duties (automatic training), run on every tick. */
export type Periodic = (app: App) => void;

/** The states work ends in. */
export interface Outcome {
  done: string;
  failed: string;
}

const CREATED: Outcome = { done: 'ACTIVE', failed: 'CREATE FAILED' };

const works = new Map<string, { work: Work; outcome: Outcome }>();
const cleanups = new Map<string, Cleanup>();
const periodics: Periodic[] = [];

export const registerWork = (kind: string, work: Work, outcome: Outcome = CREATED) =>
  works.set(kind, { work, outcome });
export const registerCleanup = (kind: string, cleanup: Cleanup) => cleanups.set(kind, cleanup);
export const registerPeriodic = (duty: Periodic) => periodics.push(duty);

/** How often the scheduler looks for time-driven duties when no task is pending. */
const IDLE_MS = 1000;

/** The next state after each transitional one; `work` runs the kind's work, `remove` deletes the resource. */
const NEXT: Record<string, string> = {
  'CREATE PENDING': 'CREATE IN_PROGRESS',
  'CREATE IN_PROGRESS': 'work',
  'DELETE PENDING': 'DELETE IN_PROGRESS',
  'DELETE IN_PROGRESS': 'remove',
  'STOP PENDING': 'STOP IN_PROGRESS',
  'STOP IN_PROGRESS': 'INACTIVE',
  'START PENDING': 'START IN_PROGRESS',
  'START IN_PROGRESS': 'ACTIVE',
  'CREATE STOPPING': 'CREATE STOPPED',
  // Data deletion jobs spell their states without CREATE.
  PENDING: 'IN_PROGRESS',
  IN_PROGRESS: 'work',
};

/** Sets a resource's status (and failure reason), stamping lastUpdatedDateTime. */
export function setStatus(app: App, kind: string, arn: string, status: string, failureReason?: string): void {
  const doc = app.store.get<Lifecycle>(kind, arn);
  if (!doc) return;
  const next: Lifecycle = { ...doc, status, lastUpdatedDateTime: app.now().toISOString() };
  if (failureReason !== undefined) next.failureReason = failureReason;
  else delete next.failureReason;
  app.store.put(kind, arn, next);
}

/** The id of a resource's pending or last update (updates.ts). */
export const updateId = (arn: string) => `${arn}#update`;

/** Removes a resource, its tags, its pending task, its update and whatever its kind keeps elsewhere. */
export function removeResource(app: App, kind: string, arn: string): void {
  app.store.transaction(() => {
    // Cleanup first: it may read the resource's document.
    cleanups.get(kind)?.(app, arn);
    app.store.delete(kind, arn);
    app.store.delete(KIND.tags, arn);
    app.store.delete(KIND.task, arn);
    app.store.delete(KIND.update, updateId(arn));
    app.store.delete(KIND.task, updateId(arn));
  });
}

const schedulers = new WeakMap<App, Scheduler>();

/** Records that `arn` has to move on from its current status; call inside the transaction that set it. */
export function schedule(app: App, kind: string, arn: string): void {
  app.store.put(KIND.task, arn, { arn, kind } satisfies Task);
  schedulers.get(app)?.poke();
}

export class Scheduler {
  private timer: NodeJS.Timeout | undefined;
  private idle: NodeJS.Timeout | undefined;
  private readonly running = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(private readonly app: App, private readonly stepMs: number) {}

  start(): void {
    schedulers.set(this.app, this);
    this.idle = setInterval(() => this.poke(), IDLE_MS);
    this.idle.unref();
    this.poke();
  }

  /** Makes the next tick come soon (a task was added). */
  poke(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.tick().then((more) => {
        if (more) this.poke();
      });
    }, this.stepMs);
    this.timer.unref();
  }

  /** Advances every task one step; true while any remain. Work runs in the background. */
  async tick(): Promise<boolean> {
    for (const duty of periodics) duty(this.app);
    const tasks = this.app.store.list<Task>(KIND.task);
    for (const t of tasks) if (!this.running.has(t.arn)) this.step(t);
    return tasks.length > 0;
  }

  /** Steps until no task is left (tests and shutdown); gives up after `maxTicks`. */
  async drain(maxTicks = 1000): Promise<void> {
    for (let i = 0; i < maxTicks; i++) {
      const more = await this.tick();
      await Promise.all(this.running.values());
      if (!more) return;
    }
    throw new Error('personalize tasks did not settle');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.idle);
    this.timer = undefined;
    if (schedulers.get(this.app) === this) schedulers.delete(this.app);
    await Promise.allSettled(this.running.values());
  }

  private step(t: Task): void {
    const { store } = this.app;
    const doc = store.get<Lifecycle>(t.kind, t.arn);
    // Dataset groups go from DELETE PENDING straight away (no DELETE IN_PROGRESS is documented for them).
    const next = doc && (t.kind === KIND.datasetGroup && doc.status === 'DELETE PENDING' ? 'remove' : NEXT[doc.status]);
    if (!next) {
      store.delete(KIND.task, t.arn);
      return;
    }
    if (next === 'remove') return removeResource(this.app, t.kind, t.arn);
    if (next !== 'work') {
      store.transaction(() => {
        setStatus(this.app, t.kind, t.arn, next);
        if (NEXT[next] === undefined) store.delete(KIND.task, t.arn);
      });
      return;
    }
    const registered = works.get(t.kind);
    const outcome = registered?.outcome ?? CREATED;
    const started = doc.status;
    const run = (async () => {
      let failure: string | undefined;
      try {
        if (registered) await registered.work(this.app, t.arn);
      } catch (e) {
        // A service's refusal (S3, KMS) explains itself; anything else is a bug, logged and reported vaguely.
        const explained = e instanceof WorkFailure || isAwsError(e);
        failure = explained ? (e as Error).message : 'Internal error.';
        if (!explained) process.stderr.write(`personalize: ${t.arn}: ${(e as Error)?.stack ?? e}\n`);
      }
      store.transaction(() => {
        const now = store.get<Lifecycle>(t.kind, t.arn);
        // Stopped or deleted while working: the task carries on from that state instead.
        if (now?.status === started) {
          setStatus(this.app, t.kind, t.arn, failure === undefined ? outcome.done : outcome.failed, failure);
          store.delete(KIND.task, t.arn);
        }
      });
    })().finally(() => this.running.delete(t.arn));
    this.running.set(t.arn, run);
  }
}
