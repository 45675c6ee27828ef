// Worker-thread entry, plain JavaScript so that it starts alike under tsx and under vitest (a worker
// does not inherit either's TypeScript loader); it loads the TypeScript jobs through tsx's API.
import { parentPort } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

const { runJob } = await tsImport('./worker-jobs.ts', import.meta.url);

parentPort.on('message', async ({ id, job }) => {
  try {
    parentPort.postMessage({ id, result: await runJob(job) });
  } catch (err) {
    parentPort.postMessage({ id, error: { name: err?.name ?? 'Error', message: err?.message ?? String(err) } });
  }
});
