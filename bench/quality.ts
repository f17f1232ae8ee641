// Recommendation quality and training speed on MovieLens-1M under three protocols, next to the
// numpy reference figures (refbench). Usage: node dist/bench/quality.js --data <ml-1m dir>
// The dataset is read from the given path only; nothing from it is written anywhere but the
// figures in bench/results/quality.json.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fromLists, historyOf, type Sequences } from '../src/training/data.js';
import { candidateMetrics, evaluate, leaveLastOut, personalizeSplit, type Split } from '../src/training/metrics.js';
import { trainModel } from '../src/training/registry.js';
import type { Model } from '../src/training/models/model.js';
import { bestKernels } from '../src/training/kernels/wasm.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const dir = arg('data');
if (!dir) {
  console.error('usage: node dist/bench/quality.js --data <ml-1m dir> [--only loo,ncf,pz]');
  process.exit(2);
}
const only = new Set((arg('only') ?? 'loo,ncf,pz').split(','));

const lines = (file: string) => readFileSync(join(dir, file), 'utf8').split('\n').filter((l) => l.trim() !== '');

/** SASRec's ml-1m.txt: "user item" lines, chronological per user, 1-based ids. */
function sasrec(): Sequences {
  const lists: number[][] = [];
  let nItems = 0;
  for (const l of lines('sasrec_ml-1m.txt')) {
    const [u, i] = l.split(' ').map(Number);
    (lists[u - 1] ??= []).push(i - 1);
    nItems = Math.max(nItems, i);
  }
  return fromLists(lists, nItems);
}

/** NCF split: training rows (file order, reordered by SASRec's per-user order where known), test item and 99 negatives. */
function ncf() {
  const test = new Map(lines('ncf_loo_test.tsv').slice(1).map((l) => l.split('\t').map(Number)).map(([u, m]) => [u, m]));
  const movieIds = [...new Set(lines('ratings_uir.dat').map((l) => Number(l.split('::')[1])))].sort((a, b) => a - b);
  const index = new Map(movieIds.map((m, i) => [m, i]));
  // Sequence position of (user, movie) in SASRec's chronological file, for ordering.
  const item2movie = new Map(lines('sasrec_item_to_movieid.txt').map((l) => l.split(' ').map(Number) as [number, number]));
  const user2id = new Map(lines('sasrec_user_to_userid.txt').map((l) => l.split(' ').map(Number) as [number, number]));
  const pos = new Map<string, number>();
  const seen = new Map<number, number>();
  for (const l of lines('sasrec_ml-1m.txt')) {
    const [u, i] = l.split(' ').map(Number);
    const uid = user2id.get(u)!;
    const p = seen.get(uid) ?? 0;
    seen.set(uid, p + 1);
    pos.set(`${uid}:${item2movie.get(i)}`, p);
  }
  const lists: number[][] = Array.from({ length: 6040 }, () => []);
  for (const l of lines('ratings_uir.dat')) {
    const [u, m] = l.split('::').map(Number);
    if (test.get(u) !== m) lists[u - 1].push(m);
  }
  const ordered = lists.map((l, u) => l.map((m, f) => ({ m, key: pos.get(`${u + 1}:${m}`) ?? -1e6 + f })).sort((a, b) => a.key - b.key).map((x) => index.get(x.m)!));
  const candidates = lines('ncf_loo_negatives.tsv').map((l) => {
    const [u, ...negs] = l.split(/\s+/).map(Number);
    return { u, c: Int32Array.from(new Set([...negs, test.get(u)!]), (m) => index.get(m)!) };
  }).sort((a, b) => a.u - b.u);
  return {
    train: fromLists(ordered, movieIds.length),
    candidates: candidates.map((x) => x.c),
    target: candidates.map((x) => index.get(test.get(x.u)!)!),
  };
}

const round = (x: number) => Math.round(x * 10000) / 10000;
const peakMiB = () => Math.round(process.resourceUsage().maxRSS / 1024);

function fit(recipe: string, train: Sequences, params: Record<string, number>): { model: Model; seconds: number } {
  const t0 = performance.now();
  const model = trainModel(recipe, train, params);
  return { model, seconds: (performance.now() - t0) / 1000 };
}

/** Picks the parameter set with the best NDCG@10 on a validation split. */
function tune(recipe: string, val: Split, grid: Record<string, number>[]): Record<string, number> {
  let best = { params: grid[0], ndcg: -1 };
  for (const params of grid) {
    const ndcg = evaluate(fit(recipe, val.train, params).model, val)['normalized_discounted_cumulative_gain_at_10'];
    console.error(`  tune ${recipe} ${JSON.stringify(params)} → NDCG@10 ${round(ndcg)}`);
    if (ndcg > best.ndcg) best = { params, ndcg };
  }
  return best.params;
}

/**
 * Parameter grids searched on each protocol's validation split. EASE's λ is the one refbench
 * chose on the same protocol (200 leave-last-out, 500 NCF, 2000 Personalize) to keep runs short.
 */
const grids = (lambda: number): Record<string, Record<string, number>[]> => ({
  'aws-popularity-count': [{}],
  ease: [{ lambda }],
  'item-transition': [{ window: 10, history: 10, decay: 0.5, beta: 0 }, { window: 10, history: 20, decay: 0.6, beta: 0.2, rowNorm: 0.75 }],
  'aws-user-personalization-v2': [0.3, 0.4, 0.55].map((alpha) => ({ alpha })),
});

/** numpy reference figures (recsys-anchors.md §5): NDCG@10 / HR@10. */
const REFERENCE: Record<string, Record<string, string>> = {
  loo: { 'aws-popularity-count': 'pop 0.0178 / 0.0363', ease: 'EASE 0.0536 / 0.1101', 'item-transition': 'Markov 0.1463 / 0.2487', 'aws-user-personalization-v2': 'target ≥ 0.18' },
  ncf: { 'aws-popularity-count': 'pop 0.2545 / 0.4538', ease: 'EASE 0.4495 / 0.7096', 'item-transition': '—', 'aws-user-personalization-v2': 'target ≥ 0.45' },
  pz: { 'aws-popularity-count': 'pop 0.0653', ease: 'EASE 0.1152', 'item-transition': '—', 'aws-user-personalization-v2': 'target ≥ 0.115' },
};

interface Row { protocol: string; recipe: string; params: Record<string, number>; ndcg10: number; hr10: number; coverage: number; trainSeconds: number; peakRssMiB: number; metrics: Record<string, number> }
const rows: Row[] = [];

function report(protocol: string, recipe: string, params: Record<string, number>, seconds: number, m: Record<string, number>, coverage: number): void {
  const row: Row = {
    protocol, recipe, params, ndcg10: round(m.normalized_discounted_cumulative_gain_at_10), hr10: round(m.hit_rate_at_10),
    coverage: round(coverage), trainSeconds: Math.round(seconds * 100) / 100, peakRssMiB: peakMiB(),
    metrics: Object.fromEntries(Object.entries(m).map(([k, v]) => [k, round(v)])),
  };
  rows.push(row);
  console.log(`${protocol.padEnd(4)} ${recipe.padEnd(28)} NDCG@10 ${row.ndcg10.toFixed(4)}  HR@10 ${row.hr10.toFixed(4)}  cov ${row.coverage.toFixed(3)}  train ${row.trainSeconds.toFixed(2)} s  peak ${row.peakRssMiB} MiB  | ref ${REFERENCE[protocol][recipe]}`);
}

const RECIPES = Object.keys(grids(0));
console.log(`kernels: ${bestKernels().name}`);

if (only.has('loo')) {
  const seq = sasrec();
  const test = leaveLastOut(seq);
  const val = leaveLastOut(test.train);
  for (const recipe of RECIPES) {
    const params = tune(recipe, val, grids(200)[recipe]);
    const { model, seconds } = fit(recipe, test.train, params);
    const m = evaluate(model, test, 10);
    report('loo', recipe, params, seconds, m, m.coverage);
  }
}

if (only.has('ncf')) {
  const d = ncf();
  const histories = Array.from({ length: d.train.nUsers }, (_, u) => historyOf(d.train, u));
  // No validation split here (as in refbench): each recipe's first grid entry.
  for (const recipe of RECIPES) {
    const params = grids(500)[recipe][0];
    const { model, seconds } = fit(recipe, d.train, params);
    const m = candidateMetrics(model, histories, d.candidates, d.target);
    report('ncf', recipe, params, seconds, m, NaN);
  }
}

if (only.has('pz')) {
  const seq = sasrec();
  const split = personalizeSplit(seq, 42);
  const val = personalizeSplit(split.train, 43);
  for (const recipe of RECIPES) {
    const params = tune(recipe, val, grids(2000)[recipe]);
    const { model, seconds } = fit(recipe, split.train, params);
    const m = evaluate(model, split);
    report('pz', recipe, params, seconds, m, m.coverage);
  }
}

mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/quality.json', JSON.stringify({ date: new Date().toISOString(), kernels: bestKernels().name, rows }, null, 2) + '\n');
