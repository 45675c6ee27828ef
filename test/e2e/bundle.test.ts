// The first-render budget of issue 5, checked on every build: the JavaScript the page loads before
// anything else (the entry and what it imports statically) stays under 150 KB gzipped, and neither
// vega nor ExcelJS is part of it — they arrive with import() once the tiles are on screen.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, inject, it } from 'vitest';

describe('the dashboard build', () => {
  it('ships at most 150 KB of gzipped JavaScript before the tiles, without the chart libraries', () => {
    const { dist } = inject('e2e');
    const html = readFileSync(join(dist, 'index.html'), 'utf8');
    const queue = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
    const initial = new Set<string>();
    while (queue.length) {
      const file = queue.shift()!;
      if (initial.has(file)) continue;
      initial.add(file);
      const code = readFileSync(join(dist, file), 'utf8');
      // Static imports only: `import(…)` is what loads later.
      for (const m of code.matchAll(/(?:^|[;\s}])(?:import|export)\s*(?:[\w${},*\s]*from\s*)?["']\.\/([^"']+\.js)["']/g)) queue.push(`assets/${m[1]}`);
    }
    const gzipped = [...initial].reduce((sum, f) => sum + gzipSync(readFileSync(join(dist, f)), { level: 9 }).length, 0);
    expect(gzipped).toBeLessThan(150 * 1024);
    expect([...initial].filter((f) => /\/(embed|exceljs)/.test(f))).toEqual([]);
    expect(initial.size).toBeGreaterThanOrEqual(1);
  });
});
