// Worker-thread side of batch inference and batch segment jobs: loads the solution version's model
// and the group's data, answers every line of every input file and posts back the output files'
// text. Started by the batch job runner (batch-jobs.ts).
import { workerData } from 'node:worker_threads';
import { answerLines, batchModel, segmentAnswer, segmentFilter } from './batch-answer.js';
import { BatchData, type GroupSnapshot } from './batch-data.js';
import { inferenceAnswer, type InferenceOptions } from './batch-inference.js';
import { asBuffer, workerMain } from './workers.js';

export interface BatchJob {
  flavour: 'inference' | 'segment';
  /** The model file. */
  model: Uint8Array;
  /** How lines are answered (segment jobs read only the filter), and the group's data (histories, filters, exploration). */
  options: Omit<InferenceOptions, 'numResults'>;
  numResults: number;
  group: GroupSnapshot;
  /** The Items schema's field names (item-attribute expressions name them in any case). */
  itemFields: string[];
  files: { name: string; text: string }[];
}

function run(job: BatchJob, progress: (phase: string, fraction: number) => void): { name: string; text: string }[] {
  const model = batchModel(asBuffer(job.model));
  const data = new BatchData(job.group, model.engine?.itemIds ?? [], model.popular);
  const answer = job.flavour === 'inference'
    ? inferenceAnswer(model, data, { ...job.options, numResults: job.numResults })
    : segmentAnswer(model, job.itemFields, job.numResults, segmentFilter(model, data, job.options.filter));
  return job.files.map((f, i) => {
    progress('answering', i / job.files.length);
    return { name: f.name, text: answerLines(f.text, answer) };
  });
}

void workerMain((progress) => run(workerData as BatchJob, progress));
