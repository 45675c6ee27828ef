import { describe, expect, test } from 'vitest';
import { changedTiles, HEADLINE_KEYS } from './tiles.ts';

describe('changedTiles (what a live update highlights)', () => {
  const before = Object.fromEntries(HEADLINE_KEYS.map((k, i) => [k, i + 1]));

  test('nothing on the first figures: there is nothing to compare with', () => {
    expect(changedTiles(null, before)).toEqual([]);
  });

  test('nothing when no figure moved', () => {
    expect(changedTiles(before, { ...before })).toEqual([]);
  });

  test('the tiles whose figures moved, in reading order', () => {
    expect(changedTiles(before, { ...before, sla_met_rate: 0.5, arpu: 40 })).toEqual(['arpu', 'sla_met_rate']);
  });

  test('a tile of two figures lights up when either moves', () => {
    expect(changedTiles(before, { ...before, churn_rate_standalone: 0.03 })).toEqual(['churn']);
  });

  test('a figure appearing or disappearing is a change; missing and null are the same', () => {
    expect(changedTiles({ ...before, revenue: null }, before)).toEqual(['revenue']);
    expect(changedTiles(before, { ...before, revenue: null })).toEqual(['revenue']);
    const { revenue: _revenue, ...withoutRevenue } = before;
    expect(changedTiles({ ...before, revenue: null }, withoutRevenue)).toEqual([]);
  });

  test('figures outside the tiles do not light any tile', () => {
    expect(changedTiles(before, { ...before, net_adds: 5 })).toEqual([]);
  });
});
