// aws-user-personalization(-v2): collaborative filtering (EASE) blended with the sequential signal
// of the user's latest items (item transitions). Each part's scores are scaled by their maximum
// for the user, so `alpha` weighs like against like. Above EASE_MAX_ITEMS the model is iALS alone:
// a pure factor model, which serving scores with a GEMM/top-k kernel or an ANN index.
import type { Sequences, SideData } from '../data.js';
import type { Artifact } from '../artifact.js';
import { decodeArtifact, encodeArtifact } from '../artifact.js';
import type { Model, Recipe } from './model.js';
import { ease, EASE_MAX_ITEMS, type EaseParams } from './ease.js';
import { transition, type TransitionParams } from './transition.js';
import { popularity } from './popularity.js';
import { ials, type IalsParams } from './ials.js';
import { within } from '../progress.js';

const VERSION = 1;

export interface BlendParams extends EaseParams, TransitionParams, IalsParams {
  /** Weight of the collaborative part; 1 − alpha goes to transitions. */
  alpha: number;
}

function scaleInto(out: Float32Array, part: Float32Array, weight: number): void {
  let max = 0;
  for (let j = 0; j < part.length; j++) if (part[j] > max) max = part[j];
  if (max <= 0) return;
  const f = weight / max;
  for (let j = 0; j < part.length; j++) out[j] += f * part[j];
}

export class Blend implements Model {
  readonly recipe = 'user-personalization';
  private readonly buf: Float32Array;
  constructor(readonly cf: Model, readonly seq: Model, readonly params: BlendParams) {
    this.buf = new Float32Array(cf.nItems);
  }
  get nItems() { return this.cf.nItems; }
  score(history: Int32Array, out: Float32Array): void {
    out.fill(0);
    this.cf.score(history, this.buf);
    scaleInto(out, this.buf, this.params.alpha);
    this.seq.score(history, this.buf);
    scaleInto(out, this.buf, 1 - this.params.alpha);
  }
  toArtifact(): Artifact {
    // Parts nest as whole artifacts so each keeps its own loader and version.
    const parts = [this.cf, this.seq].map((m) => encodeArtifact(m.toArtifact()));
    return { recipe: this.recipe, version: VERSION, params: { ...this.params }, arrays: { cf: parts[0], seq: parts[1] } };
  }
}

export const blend: Recipe<BlendParams> = {
  version: VERSION,
  // Chosen on ML-1M's leave-last-out validation split (second-to-last item), never its test item.
  defaults: {
    lambda: 500, recencyDecay: 0.9, recencyFloor: 0.1, window: 10, history: 20, decay: 0.6, beta: 0.2, distancePower: 1, rowNorm: 0.75, alpha: 0.4,
    ...ials.defaults,
  },
  train(data: Sequences, params, side?: SideData) {
    if (data.nItems > EASE_MAX_ITEMS) return ials.train(data, params, side);
    const cf = ease.train(data, params, within(side, 0, 0.9));
    const seq = transition.train(data, params, within(side, 0.9, 1));
    return new Blend(cf, seq, { ...params });
  },
  load(a) {
    const part = (name: 'cf' | 'seq') => {
      const bytes = a.arrays[name];
      const inner = decodeArtifact(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return inner.recipe === 'ease' ? ease.load(inner) : inner.recipe === 'item-transition' ? transition.load(inner) : popularity.load(inner);
    };
    return new Blend(part('cf'), part('seq'), a.params as unknown as BlendParams);
  },
};
