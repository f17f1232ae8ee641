import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plantedData } from './testing.js';
import { tuneHyperparameters } from './hpo.js';

test('HPO finds a better setting than a bad default, within the ranges and job budget', () => {
  const seq = plantedData({ users: 300 });
  const ranges = {
    continuousHyperParameterRanges: [{ name: 'reg', minValue: 0.001, maxValue: 1000 }],
    integerHyperParameterRanges: [{ name: 'dim', minValue: 4, maxValue: 16 }],
    categoricalHyperParameterRanges: [{ name: 'confidence', values: ['1', '5'] }, { name: 'not_a_parameter', values: ['3'] }],
  };
  const jobs: number[] = [];
  const bad = { reg: 1000, dim: 4, iterations: 4 };
  const tuned = tuneHyperparameters('ials', seq, {
    hpoResourceConfig: { maxNumberOfTrainingJobs: '8' }, algorithmHyperParameterRanges: ranges,
  }, { onProgress: (_p, f) => jobs.push(f) }, bad);
  const baseline = tuneHyperparameters('ials', seq, {}, undefined, bad);
  assert.equal(jobs.length, 8);
  assert.ok(tuned.objective > baseline.objective + 0.05, `${tuned.objective} vs ${baseline.objective}`);
  assert.ok(tuned.params.reg >= 0.001 && tuned.params.reg <= 1000);
  assert.ok(Number.isInteger(tuned.params.dim) && tuned.params.dim >= 4 && tuned.params.dim <= 16);
  assert.ok([1, 5].includes(tuned.params.confidence));
  assert.equal(tuned.params.iterations, 4, 'fixed parameters stay');
  assert.equal('not_a_parameter' in tuned.params, false);
});

test('HPO can minimise, and names its metric', () => {
  const seq = plantedData({ users: 200 });
  const config = (type: string) => ({
    hpoObjective: { type, metricName: 'coverage' }, hpoResourceConfig: { maxNumberOfTrainingJobs: '4' },
    algorithmHyperParameterRanges: { continuousHyperParameterRanges: [{ name: 'alpha', minValue: 0, maxValue: 1 }] },
  });
  const low = tuneHyperparameters('aws-user-personalization', seq, config('Minimize'));
  const high = tuneHyperparameters('aws-user-personalization', seq, config('Maximize'));
  assert.ok(low.objective <= high.objective);
});

test('USER_SEGMENTATION recipes tune on their own split, for recall unless told otherwise', () => {
  const seq = plantedData({ users: 300 });
  const config = (metricName?: string) => ({
    hpoObjective: metricName ? { metricName } : undefined, hpoResourceConfig: { maxNumberOfTrainingJobs: '3' },
    algorithmHyperParameterRanges: { continuousHyperParameterRanges: [{ name: 'userNorm', minValue: 0, maxValue: 1 }] },
  });
  const recall = tuneHyperparameters('aws-item-affinity', seq, config());
  // K is 1% of 300 users (3): a segment of 3 finds its share of an item's actual users, hits up to 3.
  assert.ok(recall.objective > 0 && recall.objective <= 1, String(recall.objective));
  const hit = tuneHyperparameters('aws-item-affinity', seq, config('hit'));
  assert.ok(hit.objective > recall.objective && hit.objective <= 3, `${hit.objective} vs ${recall.objective}`);
  assert.ok(recall.params.userNorm >= 0 && recall.params.userNorm <= 1);
});
