import { describe, expect, test } from 'vitest';
import { exportName, toCsv } from './csv.ts';

describe('toCsv', () => {
  test('opens in Excel as UTF-8: a byte-order mark first, CRLF after every line', () => {
    const csv = toCsv(['地市', 'arpu'], [['温州市', 52.5]]);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toBe('\uFEFF地市,arpu\r\n温州市,52.5\r\n');
  });

  test('quotes a cell holding a comma, a quote or a line break, doubling the quotes', () => {
    const csv = toCsv(['a'], [['x,y'], ['say "hi"'], ['two\nlines'], ['cr\rhere'], ['plain']]);
    expect(csv.slice(1).split('\r\n')).toEqual(['a', '"x,y"', '"say ""hi"""', '"two\nlines"', '"cr\rhere"', 'plain', '']);
  });

  test('an empty cell for null, JSON for lists and structs, the text of anything else', () => {
    const csv = toCsv(['n', 'u', 'list', 'struct', 'b', 'big'], [[null, undefined, [1, 2], { k: 'v' }, true, 12345678901234567890n]]);
    expect(csv.slice(1)).toBe('n,u,list,struct,b,big\r\n,,"[1,2]","{""k"":""v""}",true,12345678901234567890\r\n');
  });

  test('a header without rows is still a file Excel opens', () => {
    expect(toCsv(['a', 'b'], [])).toBe('\uFEFFa,b\r\n');
  });
});

describe('exportName', () => {
  test('is the Shanghai wall-clock time of the export, whatever the machine zone', () => {
    expect(exportName(new Date('2026-09-30T06:05:09Z'))).toBe('query-20260930-140509');
  });

  test('crosses the date line at Shanghai midnight, as hour 00 of the new day', () => {
    expect(exportName(new Date('2026-09-30T16:00:07Z'))).toBe('query-20261001-000007');
    expect(exportName(new Date('2026-12-31T15:59:59Z'))).toBe('query-20261231-235959');
  });
});
