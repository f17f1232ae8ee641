// `npm run bench`: every benchmark in one run, each printed and written to bench/results/<name>.json.
import { run as policy } from './policy.js';
import { run as sigv4 } from './sigv4.js';
import { run as gateway } from './gateway.js';
import { run as importBench } from './import.js';
import { run as s3 } from './s3.js';
import { run as kernels } from './kernels.js';
import { writeResult } from './stats.js';

const only = process.argv.slice(2);
const want = (name: string) => only.length === 0 || only.includes(name);

if (want('policy')) {
  const figures = policy();
  console.log('\npolicy engine: decisions per second on one core');
  console.table(figures);
  writeResult('policy', { node: process.version, figures });
}
if (want('sigv4')) {
  const r = await sigv4({ write: true });
  console.log('\nSigV4 verification (µs)');
  console.table(r.results);
}
if (want('gateway')) {
  const r = await gateway();
  console.log(`\n${r.benchmark} (µs)`);
  console.table({ 'pipeline in process (root, sts:GetCallerIdentity)': r.pipelineInProcess, 'pipeline in process (user, iam:GetUser)': r.userWithPoliciesInProcess, 'tailor over HTTP': r.tailorHttp, 'bare node:http': r.bareNodeHttp, overhead: r.overheadVsBare });
  writeResult('gateway', r);
}
if (want('s3')) {
  const r = await s3();
  console.log(`\n${r.benchmark}`);
  console.table(r.figures);
  writeResult('s3', r);
}
if (want('import')) {
  const r = await importBench();
  console.log(`\n${r.benchmark}`);
  console.table(r);
  writeResult('import', r);
}
if (want('kernels')) {
  const r = kernels();
  console.log('\ndense kernels (gemmTopK GFLOP/s; EASE on a synthetic catalogue)');
  console.log(JSON.stringify(r, null, 2));
  writeResult('kernels', r);
}
