// libuv's thread pool (4 threads unless UV_THREADPOOL_SIZE is set before Node starts) runs every
// async DuckDB call, scrypt and file I/O. A server holding a load, a model run and two ad-hoc
// queries would leave no thread for a board's request, so its entry points re-run themselves once
// with a bigger pool — the variable has no effect once the process is running.
import { spawn } from 'node:child_process';

export const THREAD_POOL_SIZE = '16';

/** True when the caller is the child with the bigger pool (or the pool was sized already). */
export async function relaunchWithLibuvThreads(): Promise<boolean> {
  if (process.env.UV_THREADPOOL_SIZE) return true;
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, UV_THREADPOOL_SIZE: THREAD_POOL_SIZE },
  });
  // A signal sent to this pid alone (npm passes SIGTERM/SIGINT down to its script's process only) is
  // passed on; Ctrl-C reaches both, and the child stops once however many copies it gets.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  const code = await new Promise<number>((resolve) => child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
  process.exitCode = code;
  return false;
}
