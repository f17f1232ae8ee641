// aws-user-personalization(-v2): collaborative filtering (EASE) blended with two sequential
// signals of the user's latest items: counted item transitions and a learned sequential linear
// model (slit.ts). Each part's scores are scaled by their maximum for the user, so the weights
// weigh like against like, then raised to `power` (sign kept): below 1 it flattens each part's
// long tail, so an item several parts rank fairly high beats one that a single part ranks top. Above EASE_MAX_ITEMS the model is iALS alone:
// a pure factor model, which serving scores with a GEMM/top-k kernel or an ANN index.
import type { Sequences, SideData } from '../data.js';
import type { Artifact } from '../artifact.js';
import { decodeArtifact, encodeArtifact } from '../artifact.js';
import type { Model, Recipe } from './model.js';
import { ease, EASE_MAX_ITEMS, type EaseParams } from './ease.js';
import { transition, type TransitionParams } from './transition.js';
import { slit, type SlitParams } from './slit.js';
import { popularity } from './popularity.js';
import { ials, type IalsParams } from './ials.js';
import { within } from '../progress.js';

const VERSION = 1;

export interface BlendParams extends EaseParams, TransitionParams, IalsParams, SlitParams {
  /** Weight of the collaborative part. */
  alpha: number;
  /** Weight of the sequential linear part (0: none, as in blends from before it); 1 − alpha − gamma goes to transitions. */
  gamma: number;
  /** Exponent of each part's scaled scores (1, linear, in blends from before it). */
  power: number;
}

function scaleInto(out: Float32Array, part: Float32Array, weight: number, power: number): void {
  let max = 0;
  for (let j = 0; j < part.length; j++) if (part[j] > max) max = part[j];
  if (max <= 0 || weight === 0) return;
  const f = 1 / max;
  if (power === 1) for (let j = 0; j < part.length; j++) out[j] += weight * f * part[j];
  else for (let j = 0; j < part.length; j++) out[j] += weight * Math.sign(part[j]) * Math.pow(Math.abs(f * part[j]), power);
}

export class Blend implements Model {
  readonly recipe = 'user-personalization';
  private readonly buf: Float32Array;
  /** `lin` is absent in blends from before it (their params have no gamma). */
  constructor(readonly cf: Model, readonly seq: Model, readonly params: BlendParams, readonly lin?: Model) {
    this.buf = new Float32Array(cf.nItems);
  }
  get nItems() { return this.cf.nItems; }
  score(history: Int32Array, out: Float32Array): void {
    const gamma = this.lin ? this.params.gamma : 0;
    const power = this.params.power ?? 1;
    out.fill(0);
    this.cf.score(history, this.buf);
    scaleInto(out, this.buf, this.params.alpha, power);
    this.seq.score(history, this.buf);
    scaleInto(out, this.buf, 1 - this.params.alpha - gamma, power);
    if (!this.lin) return;
    this.lin.score(history, this.buf);
    scaleInto(out, this.buf, gamma, power);
  }
  toArtifact(): Artifact {
    // Parts nest as whole artifacts so each keeps its own loader and version.
    const part = (m: Model) => encodeArtifact(m.toArtifact());
    const arrays = { cf: part(this.cf), seq: part(this.seq), ...(this.lin ? { lin: part(this.lin) } : {}) };
    return { recipe: this.recipe, version: VERSION, params: { ...this.params }, arrays };
  }
}

/**
 * `model` brought up to date with `data`: EASE and the sequential linear part have no cheap update
 * (each is one inverse of a whole matrix) and train again; transitions come from `updateSeq`.
 */
export function updateBlend(model: Blend, data: Sequences, updateSeq: (seq: Model, side?: SideData) => Model, side?: SideData): Blend {
  const cf = ease.train(data, model.params, within(side, 0, 0.45));
  const lin = model.lin && slit.train(data, model.params, within(side, 0.45, 0.9));
  return new Blend(cf, updateSeq(model.seq, within(side, 0.9, 1)), model.params, lin);
}

export const blend: Recipe<BlendParams> = {
  version: VERSION,
  // Chosen on ML-1M's leave-last-out validation split (second-to-last item), never its test item.
  defaults: {
    // Scoring-time weights (recency, decays, beta, the mix and power) tuned jointly, part by part.
    lambda: 500, recencyDecay: 0.97, recencyFloor: 0.2, window: 10, history: 20, decay: 0.4, beta: 0.3, distancePower: 1, rowNorm: 0.75,
    ...slit.defaults, seqDecay: 0.9, alpha: 0.35, gamma: 0.25, power: 0.25,
    ...ials.defaults,
  },
  train(data: Sequences, params, side?: SideData) {
    if (data.nItems > EASE_MAX_ITEMS) return ials.train(data, params, side);
    const cf = ease.train(data, params, within(side, 0, 0.45));
    const lin = params.gamma > 0 ? slit.train(data, params, within(side, 0.45, 0.9)) : undefined;
    const seq = transition.train(data, params, within(side, 0.9, 1));
    return new Blend(cf, seq, { ...params }, lin);
  },
  load(a) {
    const loaders = new Map<string, { load(a: Artifact): Model }>([['ease', ease], ['item-transition', transition], ['sequential-linear', slit]]);
    const part = (name: 'cf' | 'seq' | 'lin') => {
      const bytes = a.arrays[name];
      const inner = decodeArtifact(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return (loaders.get(inner.recipe) ?? popularity).load(inner);
    };
    return new Blend(part('cf'), part('seq'), a.params as unknown as BlendParams, a.arrays.lin ? part('lin') : undefined);
  },
};
