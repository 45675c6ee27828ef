// Runs a command the way a user would, asynchronously: a test's own server, answering that command
// over HTTP, lives in the test's event loop and must keep running meanwhile.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

export interface CommandResult {
  code: number | null;
  /** The signal that ended the process, if one did. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function runCommand(command: string, args: string[], input = '', env?: NodeJS.ProcessEnv): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, ...(env ? { env } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** One of the project's CLI entry points (`cli/NAME.ts`), run with tsx as `npm run NAME` would. */
export function runCliScript(script: string, args: string[], input = '', env?: NodeJS.ProcessEnv): Promise<CommandResult> {
  return runCommand(process.execPath, ['--import', 'tsx', script, ...args], input, env);
}
