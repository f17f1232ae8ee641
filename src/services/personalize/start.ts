import type { App } from '../../app.js';
import { KIND, type RecommenderDoc, type SolutionVersionDoc } from './schema.js';
import { sweepFiles, type DataDoc } from './data-store.js';
import { Scheduler } from './lifecycle.js';

/** Every file a document references (datasets' data, trained models). */
function referencedFiles(app: App): Set<string> {
  const files = new Set<string>();
  for (const d of app.store.list<DataDoc>(KIND.data)) files.add(d.file);
  for (const v of app.store.list<SolutionVersionDoc>(KIND.solutionVersion)) if (v.model) files.add(v.model.file);
  for (const r of app.store.list<RecommenderDoc>(KIND.recommender)) if (r.model) files.add(r.model.file);
  return files;
}

/**
 * Starts Personalize's background work (the server calls it once at start): files a crash left
 * unreferenced are removed, then stored tasks resume. Returns a stop function that waits for
 * running work to finish.
 */
export function startPersonalize(app: App, opts: { stepMs?: number } = {}): () => Promise<void> {
  sweepFiles(app, referencedFiles(app));
  const scheduler = new Scheduler(app, opts.stepMs ?? 100);
  scheduler.start();
  return () => scheduler.stop();
}
