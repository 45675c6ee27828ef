// The few options the benchmarks take, as `--name VALUE` and `--flag`.

/** The number after `--name`, or the fallback when the option is absent. */
export function numberOption(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? Number(args[i + 1]) : fallback;
}

export function flag(args: string[], name: string): boolean {
  return args.includes(`--${name}`);
}
