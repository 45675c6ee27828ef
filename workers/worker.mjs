// The thread of workers/pool.ts. Plain JavaScript so that it starts alike under tsx and under vitest
// (a worker does not inherit either's TypeScript loader); it loads each job's module through tsx's
// API, once, and calls the function the job names.
import { parentPort } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

const modules = new Map();

/** Bytes that own their whole buffer move to the caller without a copy (a pooled Buffer is copied). */
function transferable(result) {
  return ArrayBuffer.isView(result) && result.buffer instanceof ArrayBuffer && result.byteOffset === 0 && result.byteLength === result.buffer.byteLength
    ? [result.buffer]
    : [];
}

parentPort.on('message', async ({ id, module, fn, args }) => {
  try {
    if (!modules.has(module)) modules.set(module, tsImport(module, import.meta.url));
    const result = await (await modules.get(module))[fn](...args);
    parentPort.postMessage({ id, result }, transferable(result));
  } catch (err) {
    parentPort.postMessage({ id, error: { name: err?.name ?? 'Error', message: err?.message ?? String(err) } });
  }
});
