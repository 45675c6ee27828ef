// What every command-line tool shares: Asia/Shanghai time, argument parsing errors as exit code 2,
// UserError exit codes, no stack traces for expected failures.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { EXIT, UserError, errorMessage } from '../warehouse/errors.ts';
import { TIME_ZONE } from '../domain/time.ts';

process.env.TZ = TIME_ZONE;

export function parseCli<T extends ParseArgsConfig['options']>(options: T, args = process.argv.slice(2)) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UserError(errorMessage(err), EXIT.usage);
  }
}

/** Runs a CLI's main function and turns its outcome into an exit code. */
export function runCli(main: () => Promise<number | void>): void {
  main().then(
    (code) => {
      process.exitCode = code ?? 0;
    },
    (err: unknown) => {
      if (err instanceof UserError) {
        process.stderr.write(`error: ${err.message}\n`);
        process.exitCode = err.exitCode;
      } else {
        process.stderr.write(`unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
        process.exitCode = EXIT.failed;
      }
    },
  );
}

/**
 * Runs a query function whose refusals are only of malformed or unknown inputs (getKpis, getTargets):
 * such a refusal is a usage error of the command (exit 2), not a failure.
 */
export async function asUsage<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof UserError && err.exitCode === EXIT.failed) throw new UserError(err.message, EXIT.usage);
    throw err;
  }
}
