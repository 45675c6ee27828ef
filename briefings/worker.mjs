// Worker-thread entry, plain JavaScript so that it starts alike under tsx and under vitest (a worker
// does not inherit either's TypeScript loader); it loads the TypeScript renderer through tsx's API.
import { parentPort } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

const { renderBriefing } = await tsImport('./render.ts', import.meta.url);

parentPort.on('message', async ({ id, data, format }) => {
  try {
    const bytes = await renderBriefing(data, format);
    // The bytes move to the caller without a copy.
    parentPort.postMessage({ id, bytes }, [bytes.buffer]);
  } catch (err) {
    parentPort.postMessage({ id, error: err?.message ?? String(err) });
  }
});
