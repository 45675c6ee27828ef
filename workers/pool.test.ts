// The worker-thread pool: jobs by module URL and function name, at most `size` threads started on
// demand, a job's error arriving with its name and message, a stopped thread replaced.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { threadId } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkerPool, WorkerPoolError } from './pool.ts';

const JOBS = new URL('../test/fixtures/pool-jobs.ts', import.meta.url);

let pool: WorkerPool;
afterEach(() => pool?.close());

describe('WorkerPool', () => {
  it('runs an exported function of a module on a worker thread, arguments and result cloned', async () => {
    pool = new WorkerPool({ name: 'test' });
    expect(await pool.run(JOBS, 'echo', [1, 'two', { three: [3n] }])).toEqual([1, 'two', { three: [3n] }]);
    expect(await pool.run<number>(JOBS, 'whichThread', [0])).not.toBe(threadId);
    const bytes = await pool.run<Uint8Array>(JOBS, 'bytes', [1 << 16]);
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect([bytes.byteLength, bytes[0], bytes.at(-1)]).toEqual([1 << 16, 7, 7]);
  });

  it('starts threads on demand, never more than its size', async () => {
    pool = new WorkerPool({ size: 2 });
    const threads = await Promise.all(Array.from({ length: 6 }, () => pool.run<number>(JOBS, 'whichThread', [50])));
    expect(new Set(threads).size).toBe(2);
    const one = new WorkerPool();
    try {
      const alone = await Promise.all(Array.from({ length: 3 }, () => one.run<number>(JOBS, 'whichThread', [20])));
      expect(new Set(alone).size).toBe(1);
    } finally {
      await one.close();
    }
  });

  it("rejects a failing job with the error's name and message, and keeps going", async () => {
    pool = new WorkerPool();
    const err = await pool.run(JOBS, 'fail', ['bad row 3']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ name: 'ParseError', message: 'bad row 3' });
    await expect(pool.run(JOBS, 'nope')).rejects.toThrow(/not a function/);
    expect(await pool.run(JOBS, 'echo', ['after'])).toEqual(['after']);
  });

  it('rejects the job of a thread that stopped, and starts another for the next', async () => {
    pool = new WorkerPool({ name: 'test' });
    const err = await pool.run(JOBS, 'exit', [3]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkerPoolError);
    expect((err as Error).message).toBe('the test worker stopped (exit code 3)');
    expect(await pool.run(JOBS, 'echo', ['again'])).toEqual(['again']);
  });

  it('close() rejects the jobs not yet done', async () => {
    pool = new WorkerPool({ name: 'test' });
    const running = pool.run(JOBS, 'whichThread', [1000]).catch((e: unknown) => e);
    const queued = pool.run(JOBS, 'whichThread', [0]).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await pool.close();
    expect(await running).toBeInstanceOf(WorkerPoolError);
    expect(await queued).toMatchObject({ message: 'the test worker was stopped' });
  });

  it('keeps the process alive while a job runs, and not when idle', async () => {
    const script = fileURLToPath(new URL('../test/fixtures/pool-idle.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], { timeout: 30_000 });
    expect(stdout).toBe('["done"]\n');
  });
});
