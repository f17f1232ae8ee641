// The serving benchmark's server process: Tailor as `tailor serve` runs it. Prints its URL; over
// IPC it answers `{ ready: campaignArn }` once that campaign's model (and ANN index, if it builds
// one) is loaded, with the index's calibration.
import { start } from '../src/main.js';
import { endpointOf, type Endpoint } from '../src/services/personalize-runtime/endpoints.js';
import { historyOf } from '../src/services/personalize-runtime/personalized.js';

/** Recall@10 of the served index against exact scoring, for 200 users' vectors from their histories. */
function recall(e: Endpoint): number | undefined {
  const g = e.engine;
  if (!g?.factors?.approximate || !g.model.userVector) return undefined;
  let sum = 0;
  for (let q = 0; q < 200; q++) {
    const u = g.model.userVector(historyOf(e.catalogue.app, e.groupArn, g, `u${q * 499}`, undefined));
    const truth = g.factors.exact.search(u, 10).items;
    sum += [...g.factors.search(u, 10).items].filter((i) => truth.includes(i)).length / 10;
  }
  return sum / 200;
}

const [dataDir, accessKeyId, secretAccessKey] = process.argv.slice(2);

  const tailor = await start({ dataDir, accountId: '000000000000', host: '127.0.0.1', port: 0 }, {
    env: { TAILOR_ROOT_ACCESS_KEY_ID: accessKeyId, TAILOR_ROOT_SECRET_ACCESS_KEY: secretAccessKey }, log: () => {}, jobs: { stepMs: 20 },
  });
  process.on('message', async (m: { ready?: string }) => {
    if (!m.ready) return;
    const t = performance.now();
    const e = endpointOf(tailor.app, m.ready, { region: 'us-east-1', accountId: '000000000000' });
    const loadMs = performance.now() - t;
    await e.engine?.factors?.ready;
    const indexMs = performance.now() - t;
    process.send!({ ready: m.ready, loadMs, indexMs, approximate: e.engine?.factors?.approximate ?? false, calibration: e.engine?.factors?.calibration, recallAt10: recall(e), mem: process.memoryUsage().rss });
  });
  // A normal exit (profiles and the event journal are written out).
  process.on('SIGTERM', () => void tailor.close().then(() => process.exit(0)));
  console.log(`listening on ${tailor.url}`);
