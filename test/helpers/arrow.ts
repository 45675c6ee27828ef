// Reading Arrow decimals exactly in tests.
import { util } from 'apache-arrow';

/**
 * A decimal cell's scaled integer, signed. apache-arrow 21 reads Decimal64 as unsigned in toString()
 * and bigNumToBigInt() (its 64-bit path uses BigUint64Array); valueOf() and the raw words are right.
 */
export function scaledDecimal(words: Uint32Array): bigint {
  if (words.byteLength === 8) return new BigInt64Array(words.buffer, words.byteOffset, 1)[0]!;
  return BigInt(util.bigNumToString(words as unknown as Parameters<typeof util.bigNumToString>[0]));
}
