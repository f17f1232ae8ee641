// Worker-thread side of batch inference and batch segment jobs: loads the solution version's model
// and the group's interactions, answers every line of every input file and posts back the output
// files' text. Started by the batch job runner (batch-jobs.ts).
import { workerData } from 'node:worker_threads';
import { answerLines, batchModel, Histories, inferenceAnswer, segmentAnswer } from './batch-answer.js';
import { decodeTable } from './table.js';
import { asBuffer, workerMain } from './workers.js';

export interface BatchJob {
  flavour: 'inference' | 'segment';
  recipe: string;
  recipeType: string | undefined;
  numResults: number;
  /** The model file, and for inference the group's encoded Interactions table (users' histories). */
  model: Uint8Array;
  interactions?: Uint8Array;
  /** The Items schema's field names (item-attribute expressions name them in any case). */
  itemFields: string[];
  files: { name: string; text: string }[];
}

function run(job: BatchJob, progress: (phase: string, fraction: number) => void): { name: string; text: string }[] {
  const model = batchModel(asBuffer(job.model));
  const answer = job.flavour === 'inference'
    ? inferenceAnswer(model, new Histories(job.interactions && decodeTable(asBuffer(job.interactions))), job.recipe, job.recipeType, job.numResults)
    : segmentAnswer(model, job.itemFields, job.numResults);
  return job.files.map((f, i) => {
    progress('answering', i / job.files.length);
    return { name: f.name, text: answerLines(f.text, answer) };
  });
}

void workerMain((progress) => run(workerData as BatchJob, progress));
