import { describe, expect, it } from 'vitest';
import { KPI_CATALOGUE } from '../domain/kpi-catalogue.ts';
import { renderKpisDoc } from './docs-kpis.ts';

describe('renderKpisDoc', () => {
  const doc = renderKpisDoc();

  it('gives every key of the catalogue one table row with its labels, unit and direction', () => {
    const lines = doc.split('\n');
    const rows = lines.slice(lines.findIndex((l) => l.startsWith('| key |'))).filter((l) => l.startsWith('| `'));
    expect(rows).toHaveLength(KPI_CATALOGUE.length);
    KPI_CATALOGUE.forEach((d, i) => {
      expect(rows[i]!.startsWith(`| \`${d.key}\` | ${d.label_zh} | ${d.label_en} | ${d.unit}`), d.key).toBe(true);
      expect(rows[i], d.key).toContain(` | ${d.direction} | ${d.sources.join(', ')} | `);
    });
  });

  it('is plain Markdown ending in one newline, the same on every call', () => {
    expect(doc.endsWith('\n') && !doc.endsWith('\n\n')).toBe(true);
    expect(doc).not.toContain('\n\n\n');
    expect(renderKpisDoc()).toBe(doc);
  });
});
