import { describe, expect, test } from 'vitest';
import { figure, figureChange, notReportedKinds, notReportedNote, scopeOf } from './figures.ts';
import { MESSAGES, type MessageKey } from './messages.ts';

const kpis = { complaints_per_10k: null, escalated_complaints: null, sla_met_rate: null, revenue: 1_234_567.5, arpu: null, net_adds: null };
const wenzhou = scopeOf({ region: '330300', missing_extracts: { complaint: ['330300'] } }, 11);

describe('figure: how a KPI reads on a tile, in a table, on the wall', () => {
  test('a figure whose extract has not arrived is "not reported", in words, never 0', () => {
    expect(figure('escalated_complaints', kpis, wenzhou, 'zh')).toEqual({ key: 'escalated_complaints', value: null, notReported: ['complaint'], text: '未上报' });
    expect(figure('escalated_complaints', kpis, wenzhou, 'en').text).toBe('not reported');
    // Complaints per 10k needs the complaint and the subscriber extracts: the complaint one is missing.
    expect(figure('complaints_per_10k', kpis, wenzhou, 'zh').notReported).toEqual(['complaint']);
  });

  test('a null whose extracts are all in (e.g. a zero denominator) keeps the dash', () => {
    expect(figure('arpu', kpis, wenzhou, 'zh')).toMatchObject({ notReported: [], text: '—' });
    expect(figure('net_adds', kpis, scopeOf({ region: '330300', missing_extracts: {} }, 11), 'zh').text).toBe('—');
    // Without a scope nothing is known missing.
    expect(figure('escalated_complaints', kpis, null, 'zh').text).toBe('—');
  });

  test('a value is shown as a value even if the answer lists a missing extract', () => {
    expect(figure('revenue', kpis, scopeOf({ region: '330300', missing_extracts: { revenue: ['330300'] } }, 11), 'zh')).toMatchObject({ notReported: [], text: '¥123.46万' });
  });

  test('for the province a kind is missing only when no region of the list has it', () => {
    const someCities = scopeOf({ region: 'ALL', missing_extracts: { complaint: ['330300', '330400'] } }, 11);
    expect(figure('sla_met_rate', kpis, someCities, 'zh').text).toBe('—');
    const everyCity = scopeOf({ region: 'ALL', missing_extracts: { complaint: ['330100', '330200'] } }, 2);
    expect(figure('sla_met_rate', kpis, everyCity, 'zh').text).toBe('未上报');
  });
});

describe('figureChange', () => {
  test('no month-over-month change for a figure that is not reported', () => {
    const f = figure('escalated_complaints', kpis, wenzhou, 'zh');
    expect(figureChange(f, 12, 'zh')).toBeNull();
  });

  test('the change of a reported figure, as formatChange says it', () => {
    const f = figure('revenue', kpis, wenzhou, 'en');
    expect(figureChange(f, 1_000_000, 'en')).toEqual({ text: '+23.5%', direction: 'up' });
  });
});

describe('panels', () => {
  test('the kinds a panel lacks, once each', () => {
    expect(notReportedKinds(['complaints_per_10k', 'escalated_complaints', 'revenue'], kpis, wenzhou)).toEqual(['complaint']);
    expect(notReportedKinds(['revenue', 'arpu'], kpis, wenzhou)).toEqual([]);
  });

  test('the note names the missing extracts in both languages', () => {
    const t = (lang: 'zh' | 'en') => (key: MessageKey) => MESSAGES[lang][key];
    expect(notReportedNote(['complaint', 'channel'], t('zh'))).toBe('本月未上报：投诉数据、渠道数据');
    expect(notReportedNote(['complaint'], t('en'))).toBe('Not reported this month: complaint extract');
  });
});
