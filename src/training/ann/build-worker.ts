// Builds an HNSW graph off the request loop and calibrates its search list size; the graph's
// arrays are transferred back, not copied.
import { parentPort, workerData } from 'node:worker_threads';
import { buildHnsw, HnswIndex, type HnswParams } from './hnsw.js';
import { calibrate } from './calibrate.js';

const { data, n, d, params, recall } = workerData as { data: Float32Array; n: number; d: number; params: Partial<HnswParams>; recall: number };
const graph = buildHnsw(data, n, d, params);
const calibration = calibrate(new HnswIndex(graph), data, n, d, recall);
parentPort!.postMessage({ graph, calibration }, [graph.vectors.buffer, graph.base.buffer, graph.upperAt.buffer, graph.upper.buffer, graph.levels.buffer] as ArrayBuffer[]);
