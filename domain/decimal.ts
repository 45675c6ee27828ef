// Exact decimal text from a scaled integer, for the server's JSON and the console's Arrow grid alike.

/** A scaled decimal integer as decimal text, e.g. (-1234n, 2) → '-12.34'. */
export function decimalText(scaled: bigint, scale: number): string {
  if (scale === 0) return scaled.toString();
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}
