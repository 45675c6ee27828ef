import { describe, expect, it } from 'vitest';
import { RuleError, checkRule, judge, monthOnMonth } from './alerts.ts';

const REGIONS = new Set(['330100', '330300']);

describe('alert conditions', () => {
  it('compare the figure with the threshold by the operator', () => {
    const holds = (op: '>' | '>=' | '<' | '<=', value: number, current: number) => judge({ op, value }, { current, previous: null }).holds;
    expect([holds('>', 0, 1), holds('>', 1, 1), holds('>=', 1, 1), holds('<', 2, 1), holds('<', 1, 1), holds('<=', 1, 1)]).toEqual([true, false, true, true, false, true]);
    expect(judge({ op: '>', value: 0 }, { current: 3, previous: null })).toEqual({ holds: true, value: 3, threshold: 0 });
  });

  it('never fire on a missing figure: null is not 0', () => {
    expect(judge({ op: '<', value: 5 }, { current: null, previous: 2 }).holds).toBe(false);
    expect(judge({ op: '<=', value: 0 }, { current: null, previous: null }).holds).toBe(false);
    expect(judge({ change_pct: 0.1 }, { current: 3, previous: null }).holds).toBe(false);
    expect(judge({ change_pct: 0.1 }, { current: null, previous: 3 }).holds).toBe(false);
    expect(judge({ status: 'red' }, { current: 3, previous: 2, attainment: null, status: 'none' }).holds).toBe(false);
  });

  it('change_pct: |a(p) / a(p−1) − 1| ≥ x, either way; a previous 0 gives no ratio', () => {
    expect(monthOnMonth(6, 4)).toBeCloseTo(0.5, 12);
    expect(judge({ change_pct: 0.5 }, { current: 6, previous: 4 })).toEqual({ holds: true, value: 0.5, threshold: 0.5 });
    expect(judge({ change_pct: 0.5 }, { current: 2, previous: 4 })).toEqual({ holds: true, value: -0.5, threshold: 0.5 });
    expect(judge({ change_pct: 0.5 }, { current: 5, previous: 4 }).holds).toBe(false);
    expect(judge({ change_pct: 0.5 }, { current: 3, previous: 0 })).toEqual({ holds: false, value: null, threshold: 0.5 });
  });

  it('status red: holds on a red status only, quoting the attainment against 90%', () => {
    expect(judge({ status: 'red' }, { current: 3, previous: 1, attainment: 0.75, status: 'red' })).toEqual({ holds: true, value: 0.75, threshold: 0.9 });
    expect(judge({ status: 'red' }, { current: 3, previous: 1, attainment: 0.95, status: 'amber' }).holds).toBe(false);
  });
});

describe('checkRule', () => {
  const good = { name: ' 越级投诉 ', kpi: 'escalated_complaints', scope: 'each', condition: { op: '>', value: 0 }, deliveries: [{ url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k', format: 'wecom' }] };

  it('accepts a good rule, trimming its name; deliveries default to json', () => {
    expect(checkRule(good, REGIONS)).toEqual({ ...good, name: '越级投诉' });
    expect(checkRule({ ...good, scope: '330300', deliveries: [{ url: 'http://10.0.0.1/hook' }] }, REGIONS).deliveries).toEqual([{ url: 'http://10.0.0.1/hook', format: 'json' }]);
    expect(checkRule({ ...good, scope: 'ALL', condition: { status: 'red' } }, REGIONS).condition).toEqual({ status: 'red' });
  });

  it('refuses, in English and Chinese, what it cannot judge or deliver', () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ ...good, kpi: 'nope' }, /^kpi: unknown KPI key "nope".* \/ kpi：未知指标/],
      [{ ...good, scope: '330200' }, /^scope: must be ALL, each or a region code of the region list, got "330200"/],
      [{ ...good, condition: { op: '>', value: '0' } }, /value must be a number/],
      [{ ...good, condition: { op: '>', value: 0, change_pct: 1 } }, /expected \{"op"/],
      [{ ...good, deliveries: [{ url: 'javascript:alert(1)' }] }, /must use http or https, not javascript/],
      [{ ...good, deliveries: [{ url: 'https://u:p@example.com/' }] }, /must not carry a user name or password/],
      [{ ...good, name: '' }, /needs a name/],
      [{ ...good, colour: 'red' }, /unknown field "colour"/],
    ];
    for (const [body, message] of bad) expect(() => checkRule(body, REGIONS), JSON.stringify(body)).toThrow(message);
    expect(() => checkRule(null, REGIONS)).toThrow(RuleError);
  });
});
