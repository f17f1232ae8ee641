// `npm run bench:serve`: serving speed. One Tailor server process holds a 100,000-item ×
// 100,000-user catalogue imported through the API and trained into 64-dimension factor models; a
// load generator (this process) sends SigV4-signed GetRecommendations (with a filter parameter),
// GetPersonalizedRanking (100 inputs) and PutEvents (10 events each) over keep-alive loopback
// connections, and the same generator measures a bare node:http server answering a fixed JSON
// body in the same run. Then: one query's latency against catalogue size, exact vs HNSW.
// Options: --cold N (distinct users prepared for the cold scenario) --users --items --interactions --seconds --connections --sizes 10000,100000,1000000 --hyper '{…}' --server-node-args
// --only <substring> runs only the scenarios whose name contains it. --keep DIR keeps the server's data (and the catalogue's ARNs) in DIR and reuses them on the next run, skipping the set-up.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLoad, signedRequest, type LoadResult } from './serve-load.js';
import { genreOf, setUp, uniform, GENRES, type Catalogue } from './serve-setup.js';
import { scale } from './serve-scale.js';
import { round, writeResult } from './stats.js';

const ROOT = { accessKeyId: 'AKIABENCHSERVE000001', secretAccessKey: 'bench-serve-secret-0000000000000000000' };

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}
const users = Number(arg('users', '100000'));
const items = Number(arg('items', '100000'));
const interactions = Number(arg('interactions', '1000000'));
const seconds = Number(arg('seconds', '10'));
const connections = Number(arg('connections', '8'));
const sizes = arg('sizes', '10000,100000,1000000').split(',').filter(Boolean).map(Number);
/** Solution hyperparameters (the recipe's defaults unless given). */
const hyper = JSON.parse(arg('hyper', '{}')) as Record<string, string>;
/** Node flags for the Tailor server process (e.g. "--cpu-prof"). */
const serverArgs = arg('server-node-args', '').split(' ').filter(Boolean);
const log = (m: string) => console.log(m);

async function server(mode: 'tailor' | 'bare', dataDir = ''): Promise<{ child: ChildProcess; port: number }> {
  const stdio: ['ignore', 'pipe', 'inherit', 'ipc'] = ['ignore', 'pipe', 'inherit', 'ipc'];
  const child = mode === 'bare'
    ? fork(new URL('./serve-bare.js', import.meta.url), [], { stdio })
    : fork(new URL('./serve-server.js', import.meta.url), [dataDir, ROOT.accessKeyId, ROOT.secretAccessKey], { execArgv: serverArgs, stdio });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c) => {
      out += c;
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`${mode} server exited ${code}`)));
  });
  return { child, port };
}

interface Ready { loadMs: number; indexMs: number; approximate: boolean; calibration?: { ef: number; recall: number; good: boolean }; recallAt10?: number; mem: number }

function ready(child: ChildProcess, campaignArn: string): Promise<Ready> {
  return new Promise((resolve) => {
    const on = (m: Ready & { ready: string }) => {
      if (m.ready !== campaignArn) return;
      child.off('message', on);
      resolve(m);
    };
    child.on('message', on);
    child.send({ ready: campaignArn });
  });
}

const row = (r: LoadResult, bare: LoadResult, eventsPerCall = 0) => ({
  rps: round(r.rps, 0), ...(eventsPerCall ? { eventsPerSecond: round(r.rps * eventsPerCall, 0) } : {}),
  p50Us: round(r.p50Us, 0), p99Us: round(r.p99Us, 0), p999Us: round(r.p999Us, 0), ratioToBare: round(r.rps / bare.rps, 2), errors: r.errors,
  ...(r.firstError ? { firstError: r.firstError.slice(0, 200) } : {}),
});

const keep = arg('keep', '');
const only = arg('only', '');
const dataDir = keep || mkdtempSync(join(tmpdir(), 'tailor-bench-serve-'));
const kept = join(dataDir, 'catalogue.json');
const children: ChildProcess[] = [];
try {
  log(`catalogue: ${users} users × ${items} items, ${interactions} interactions`);
  const tailor = await server('tailor', join(dataDir, 'data'));
  children.push(tailor.child);
  let cat: Catalogue;
  if (keep && existsSync(kept)) cat = JSON.parse(readFileSync(kept, 'utf8')) as Catalogue;
  else {
    cat = await setUp(`http://127.0.0.1:${tailor.port}`, ROOT, { users, items, interactions }, log, hyper);
    if (keep) writeFileSync(kept, JSON.stringify(cat));
  }
  const loaded = await ready(tailor.child, cat.recommendCampaign);
  log(`  model load ${round(loaded.loadMs / 1000, 1)} s, index ready after ${round(loaded.indexMs / 1000, 1)} s (ANN: ${loaded.approximate}, calibration ${JSON.stringify(loaded.calibration)}, recall@10 against exact on users ${loaded.recallAt10 ?? '-'})`);
  await ready(tailor.child, cat.rankingCampaign);

  const r = uniform(7);
  const pick = (n: number) => Math.floor(r() * n);
  const sign = (path: string, body: object) => signedRequest(tailor.port, ROOT, path, JSON.stringify(body));
  const N = 1000;
  const recsFiltered: Buffer[] = [];
  const recsPlain: Buffer[] = [];
  const ranking: Buffer[] = [];
  const events: Buffer[] = [];
  for (let i = 0; i < N; i++) {
    const userId = `u${pick(users)}`;
    recsFiltered.push(await sign('/recommendations', { campaignArn: cat.recommendCampaign, userId, filterArn: cat.filterArn, filterValues: { GENRE: `"${genreOf(pick(GENRES))}"` } }));
    recsPlain.push(await sign('/recommendations', { campaignArn: cat.recommendCampaign, userId }));
    ranking.push(await sign('/personalize-ranking', { campaignArn: cat.rankingCampaign, userId, inputList: Array.from({ length: 100 }, () => `it${pick(items)}`) }));
    const sentAt = 1_800_000_000;
    events.push(await sign('/events', {
      trackingId: cat.trackingId, userId: `u${pick(users)}`, sessionId: `s${i}`,
      eventList: Array.from({ length: 10 }, () => ({ eventType: 'click', itemId: `it${pick(items)}`, sentAt })),
    }));
  }
  // Users not asked about before: each request pays the user's history and fold-in, nothing remembered.
  const recsCold: Buffer[] = [];
  const coldUsers = Math.min(users, Number(arg('cold', '50000')));
  const start = Math.floor(users / 2);
  const signing = performance.now();
  for (let i = 0; i < coldUsers; i++) recsCold.push(await sign('/recommendations', { campaignArn: cat.recommendCampaign, userId: `u${(start + i) % users}` }));
  log(`  ${coldUsers} requests for distinct users signed in ${round((performance.now() - signing) / 1000, 1)} s`);
  const bareServer = await server('bare');
  children.push(bareServer.child);
  const opts = { connections, seconds, warmup: 2 };
  log(`load: ${connections} keep-alive connections, ${seconds} s per scenario after 2 s warm-up`);
  const bare = await runLoad(bareServer.port, recsPlain, opts);
  log(`  bare node:http ${round(bare.rps, 0)} req/s`);
  const results: Record<string, LoadResult> = {};
  for (const [name, reqs] of [['GetRecommendations (filter with a parameter)', recsFiltered], ['GetRecommendations', recsPlain],
    ['GetRecommendations (a user not asked about before, each request)', recsCold],
    ['GetPersonalizedRanking (100 inputs)', ranking], ['PutEvents (10 events per call)', events]] as const) {
    if (!name.includes(only)) continue;
    results[name] = await runLoad(tailor.port, reqs, opts);
    log(`  ${name}: ${JSON.stringify(row(results[name], bare))}`);
  }
  const table = {
    'bare node:http (fixed JSON body)': row(bare, bare),
    ...Object.fromEntries(Object.entries(results).map(([k, v]) => [k, row(v, bare, k.startsWith('PutEvents') ? 10 : 0)])),
  };
  console.table(table);
  for (const c of children) c.kill();
  children.length = 0;

  log('latency against catalogue size (one query, in process, 64 dimensions)');
  const scaling = scale(sizes, { log });
  console.table(scaling);
  writeResult('serve', {
    benchmark: 'serving: SigV4-signed requests over keep-alive loopback, one Tailor server process, load generator in another process',
    node: process.version,
    catalogue: { users, items, interactions, model: 'aws-user-personalization (iALS, 64 dimensions)', hyperParameters: hyper, filter: 'EXCLUDE ItemID WHERE Items.GENRE IN ($GENRE)' },
    setupSeconds: cat.seconds,
    modelLoad: { loadSeconds: round(loaded.loadMs / 1000, 1), annReadySeconds: round(loaded.indexMs / 1000, 1), approximate: loaded.approximate, annCalibration: loaded.calibration, annRecallAt10: loaded.recallAt10, serverRssMB: round(loaded.mem / 1e6, 0) },
    load: { connections, secondsPerScenario: seconds },
    table,
    scaling,
  });
} finally {
  for (const c of children) c.kill();
  if (!keep) rmSync(dataDir, { recursive: true, force: true });
}
