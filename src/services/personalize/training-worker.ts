// Worker-thread side of engine training: trains one recipe on the interactions it is started with
// and posts back the model file and metrics, so training's CPU time never holds the request loop.
// Started by trainOffThread (training.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { trainSolution, type Interactions } from '../../training/index.js';
import type { TrainReply } from './training.js';

const { recipe, data } = workerData as { recipe: string; data: Interactions };
let reply: TrainReply;
try {
  const { model, metrics } = trainSolution(recipe, data);
  reply = { model: new Uint8Array(model.buffer, model.byteOffset, model.byteLength), metrics };
} catch (e) {
  reply = { error: e instanceof Error ? e.message : String(e) };
}
parentPort!.postMessage(reply);
