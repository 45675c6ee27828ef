import { describe, expect, it } from 'vitest';
import { FIT_MIN_PX, fittedSize } from './fit-text.ts';

describe('fittedSize', () => {
  it('keeps the size of a text that fits', () => {
    expect(fittedSize(76, 300, 290)).toBe(76);
    expect(fittedSize(76, 300, 300)).toBe(76);
  });

  it('shrinks a text in proportion to what it lacks, floored to half a pixel', () => {
    // 320 px of text in 280 px: 76 × 280 / 320 = 66.5
    expect(fittedSize(76, 280, 320)).toBe(66.5);
    expect(fittedSize(28, 100, 150)).toBe(18.5);
  });

  it('never goes below the smallest readable size, nor measures an element without a width', () => {
    expect(fittedSize(28, 10, 1000)).toBe(FIT_MIN_PX);
    expect(fittedSize(28, 0, 100)).toBe(28);
  });
});
