// Recommendation quality and training speed on MovieLens-1M, MovieLens-100k and Amazon Grocery
// under the protocols of the numpy reference runs (refbench), next to its figures.
// Usage: node dist/bench/quality.js --data <data dir holding ml-1m/, ml-100k/, amazon-grocery-5core/>
//          [--datasets ml-1m,ml-100k,grocery] [--only loo,ncf,pz] [--recipes ease,ials,...]
// The datasets are read from the given path only; nothing from them is written anywhere but the
// figures in bench/results/quality.json.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromLists, historyOf, toSequences, type Sequences } from '../src/training/data.js';
import { candidateMetrics, evaluate, leaveLastOut, personalizeSplit, type Split } from '../src/training/metrics.js';
import { trainModel } from '../src/training/registry.js';
import type { Model } from '../src/training/models/model.js';
import { bestKernels } from '../src/training/kernels/wasm.js';
import { writeResult } from './stats.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const root = arg('data');
if (!root) {
  console.error('usage: node dist/bench/quality.js --data <data dir> [--datasets ml-1m,ml-100k,grocery] [--only loo,ncf,pz] [--recipes ease,ials,...]');
  process.exit(2);
}
const only = new Set((arg('only') ?? 'loo,ncf,pz').split(','));
const wanted = new Set((arg('datasets') ?? 'ml-1m,ml-100k,grocery').split(','));
/** A dataset's directory: under the data dir, or the data dir itself when it is that dataset's. */
const dirOf = (sub: string, marker: string) => [join(root, sub), root].find((d) => existsSync(join(d, marker)));

const lines = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8').split('\n').filter((l) => l.trim() !== '');

/** SASRec's ml-1m.txt: "user item" lines, chronological per user, 1-based ids. */
function sasrec(dir: string): Sequences {
  const lists: number[][] = [];
  let nItems = 0;
  for (const l of lines(dir, 'sasrec_ml-1m.txt')) {
    const [u, i] = l.split(' ').map(Number);
    (lists[u - 1] ??= []).push(i - 1);
    nItems = Math.max(nItems, i);
  }
  return fromLists(lists, nItems);
}

/** (user, item, time) rows with raw ids → sequences over dense indexes (ids in sorted order); time ties keep row order. */
function fromRows(rows: number[][]): Sequences {
  const dense = (col: number) => new Map([...new Set(rows.map((r) => r[col]))].sort((a, b) => a - b).map((id, k) => [id, k]));
  const [users, items] = [dense(0), dense(1)];
  return toSequences({
    users: Int32Array.from(rows, (r) => users.get(r[0])!), items: Int32Array.from(rows, (r) => items.get(r[1])!),
    times: Float64Array.from(rows, (r) => r[2]), nUsers: users.size, nItems: items.size,
  });
}

/** ml-100k's u.data ("user item rating time"), time ties broken by item id as refbench does. */
const ml100k = (dir: string) => fromRows(lines(dir, 'u.data').map((l) => l.split('\t').map(Number)).map(([u, i, , t]) => [u, i, t]).sort((a, b) => a[1] - b[1]));

/** Grocery's train.csv (user, item, day timestamp; header line), ties in file order. */
const grocery = (dir: string) => fromRows(lines(dir, 'train.csv').slice(1).map((l) => l.split('\t').map(Number)));

/** NCF split: training rows (file order, reordered by SASRec's per-user order where known), test item and 99 negatives. */
function ncf(dir: string) {
  const test = new Map(lines(dir, 'ncf_loo_test.tsv').slice(1).map((l) => l.split('\t').map(Number)).map(([u, m]) => [u, m]));
  const movieIds = [...new Set(lines(dir, 'ratings_uir.dat').map((l) => Number(l.split('::')[1])))].sort((a, b) => a - b);
  const index = new Map(movieIds.map((m, i) => [m, i]));
  // Sequence position of (user, movie) in SASRec's chronological file, for ordering.
  const item2movie = new Map(lines(dir, 'sasrec_item_to_movieid.txt').map((l) => l.split(' ').map(Number) as [number, number]));
  const user2id = new Map(lines(dir, 'sasrec_user_to_userid.txt').map((l) => l.split(' ').map(Number) as [number, number]));
  const pos = new Map<string, number>();
  const seen = new Map<number, number>();
  for (const l of lines(dir, 'sasrec_ml-1m.txt')) {
    const [u, i] = l.split(' ').map(Number);
    const uid = user2id.get(u)!;
    const p = seen.get(uid) ?? 0;
    seen.set(uid, p + 1);
    pos.set(`${uid}:${item2movie.get(i)}`, p);
  }
  const lists: number[][] = Array.from({ length: 6040 }, () => []);
  for (const l of lines(dir, 'ratings_uir.dat')) {
    const [u, m] = l.split('::').map(Number);
    if (test.get(u) !== m) lists[u - 1].push(m);
  }
  const ordered = lists.map((l, u) => l.map((m, f) => ({ m, key: pos.get(`${u + 1}:${m}`) ?? -1e6 + f })).sort((a, b) => a.key - b.key).map((x) => index.get(x.m)!));
  const candidates = lines(dir, 'ncf_loo_negatives.tsv').map((l) => {
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
  if (grid.length === 1) return grid[0];
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
 * chose on the same dataset and protocol, to keep runs short.
 */
const grids = (lambda: number): Record<string, Record<string, number>[]> => ({
  'aws-popularity-count': [{}],
  ease: [{ lambda }],
  ials: [1, 3, 20].map((confidence) => ({ dim: 64, confidence })),
  'item-transition': [{ window: 10, history: 10, decay: 0.5, beta: 0 }, { window: 10, history: 20, decay: 0.6, beta: 0.2, rowNorm: 0.75 }],
  'aws-user-personalization-v2': [[0.35, 0.25], [0.4, 0.2], [0.5, 0.2]].map(([alpha, gamma]) => ({ alpha, gamma })),
});
const RECIPES = Object.keys(grids(0)).filter((r) => !arg('recipes') || arg('recipes')!.split(',').includes(r));

/** refbench figures (recsys-anchors.md §5): NDCG@10 / HR@10 (pz: NDCG@10). */
const REFERENCE: Record<string, Record<string, Record<string, string>>> = {
  'ml-1m': {
    loo: { 'aws-popularity-count': 'pop 0.0178 / 0.0363', ease: 'EASE 0.0536 / 0.1101', ials: 'iALS d=256 0.0502 / 0.1013, 85 s', 'item-transition': 'Markov 0.1463 / 0.2487', 'aws-user-personalization-v2': 'target ≥ 0.18' },
    ncf: { 'aws-popularity-count': 'pop 0.2545 / 0.4538', ease: 'EASE 0.4495 / 0.7096', ials: 'iALS d=192 0.4193 / 0.6611, 117 s', 'item-transition': '—', 'aws-user-personalization-v2': 'target ≥ 0.45' },
    pz: { 'aws-popularity-count': 'pop 0.0653', ease: 'EASE 0.1152', ials: 'iALS d=256 0.1094, 67 s', 'item-transition': '—', 'aws-user-personalization-v2': 'target ≥ 0.115' },
  },
  'ml-100k': {
    loo: { 'aws-popularity-count': 'pop 0.0255 / 0.0498', ease: 'EASE 0.0407 / 0.0880', ials: 'iALS d=256 0.0453 / 0.0912, 8 s', 'item-transition': 'Markov 0.0925 / 0.1633', 'aws-user-personalization-v2': '—' },
    pz: {},
  },
  grocery: {
    loo: { 'aws-popularity-count': 'pop 0.0091 / 0.0188', ease: 'EASE 0.0441 / 0.0773', ials: 'iALS d=256 0.0421 / 0.0764, 19 s', 'item-transition': 'Markov 0.0637 / 0.1061', 'aws-user-personalization-v2': '—' },
    pz: { 'aws-popularity-count': 'pop 0.0077', ease: 'EASE 0.0460', ials: 'iALS d=256 0.0412, 14 s', 'item-transition': '—', 'aws-user-personalization-v2': '—' },
  },
};

interface Row { dataset: string; protocol: string; recipe: string; params: Record<string, number>; ndcg10: number; hr10: number; coverage: number; trainSeconds: number; peakRssMiB: number; metrics: Record<string, number> }
const rows: Row[] = [];

function report(dataset: string, protocol: string, recipe: string, params: Record<string, number>, seconds: number, m: Record<string, number>): void {
  const row: Row = {
    dataset, protocol, recipe, params, ndcg10: round(m.normalized_discounted_cumulative_gain_at_10), hr10: round(m.hit_rate_at_10),
    coverage: round(m.coverage ?? NaN), trainSeconds: Math.round(seconds * 100) / 100, peakRssMiB: peakMiB(),
    metrics: Object.fromEntries(Object.entries(m).map(([k, v]) => [k, round(v)])),
  };
  rows.push(row);
  console.log(`${dataset.padEnd(8)} ${protocol.padEnd(4)} ${recipe.padEnd(28)} NDCG@10 ${row.ndcg10.toFixed(4)}  HR@10 ${row.hr10.toFixed(4)}  cov ${row.coverage.toFixed(3)}  train ${row.trainSeconds.toFixed(2)} s  peak ${row.peakRssMiB} MiB  | ref ${REFERENCE[dataset][protocol][recipe] ?? '—'}`);
}

/** Full-ranking protocols: leave-last-out by time (validation = second-to-last) and Personalize's split. */
function fullRanking(dataset: string, seq: Sequences, lambda: { loo: number; pz: number }): void {
  if (only.has('loo')) {
    const test = leaveLastOut(seq);
    const val = leaveLastOut(test.train);
    for (const recipe of RECIPES) {
      const params = tune(recipe, val, grids(lambda.loo)[recipe]);
      const { model, seconds } = fit(recipe, test.train, params);
      report(dataset, 'loo', recipe, params, seconds, evaluate(model, test, 10));
    }
  }
  if (only.has('pz')) {
    const split = personalizeSplit(seq, 42);
    const val = personalizeSplit(split.train, 43);
    for (const recipe of RECIPES) {
      const params = tune(recipe, val, grids(lambda.pz)[recipe]);
      const { model, seconds } = fit(recipe, split.train, params);
      report(dataset, 'pz', recipe, params, seconds, evaluate(model, split));
    }
  }
}

console.log(`kernels: ${bestKernels().name}`);

const ml1m = dirOf('ml-1m', 'sasrec_ml-1m.txt');
if (wanted.has('ml-1m') && ml1m) {
  // Personalize's split is run after NCF, as before, so its λ and ordering stay comparable run to run.
  fullRanking('ml-1m', sasrec(ml1m), { loo: 200, pz: 2000 });
  if (only.has('ncf')) {
    const d = ncf(ml1m);
    const histories = Array.from({ length: d.train.nUsers }, (_, u) => historyOf(d.train, u));
    // No validation split here (as in refbench): each recipe's first grid entry.
    for (const recipe of RECIPES) {
      const params = grids(500)[recipe][0];
      const { model, seconds } = fit(recipe, d.train, params);
      report('ml-1m', 'ncf', recipe, params, seconds, candidateMetrics(model, histories, d.candidates, d.target));
    }
  }
}
const small = dirOf('ml-100k', 'u.data');
if (wanted.has('ml-100k') && small) fullRanking('ml-100k', ml100k(small), { loo: 200, pz: 500 });
const groc = dirOf('amazon-grocery-5core', 'train.csv');
if (wanted.has('grocery') && groc) fullRanking('grocery', grocery(groc), { loo: 200, pz: 50 });

// Rows of earlier runs for other datasets, protocols or recipes stay (a run may cover only some).
const RESULTS = new URL('../../bench/results/quality.json', import.meta.url);
const key = (r: Pick<Row, 'dataset' | 'protocol' | 'recipe'>) => `${r.dataset}/${r.protocol}/${r.recipe}`;
const earlier: Row[] = existsSync(RESULTS) ? (JSON.parse(readFileSync(RESULTS, 'utf8')).rows as Row[]).map((r) => ({ ...r, dataset: r.dataset ?? 'ml-1m' })) : [];
const fresh = new Set(rows.map(key));
writeResult('quality', { kernels: bestKernels().name, rows: [...earlier.filter((r) => !fresh.has(key(r))), ...rows] });
