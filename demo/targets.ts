// The demo's target files (考核目标), one per year the demo covers, `target_ALL_<YYYY>.csv`: annual
// targets for each city and for the province (ALL) on six headline KPIs with their scorecard weights,
// set from each city's profile so that some are met and some are not; and, in the last month's year,
// two monthly overrides (a stricter churn target for 温州 and an escalation target for the province in
// the last month). With --gbk the file is written as a BSS would: GBK, Chinese headers, the KPIs by
// their Chinese labels and rates as percentages.
import { kpiDefinition } from '../domain/kpi-catalogue.ts';
import { header } from './rows.ts';
import { CITIES } from './world.ts';
import { CsvWriter, type WrittenFile } from './writer.ts';

/** Monthly revenue per subscription at tariff multiplier 1 (the demo's tariffs give about this). */
const BASE_ARPU = 63.5;
/** Monthly churn at hazard multiplier 1. */
const BASE_CHURN = 0.0125;

/** How ambitious each city's targets are, in the cities' order: above 1 asks more. */
const AMBITION = [1.0, 0.98, 1.03, 0.97, 1.01, 0.99, 1.05, 0.96, 1.0, 1.02, 0.99];

/** The headline KPIs judged, with their weights (they add up to 100). */
export const DEMO_TARGET_WEIGHTS: Readonly<Record<string, number>> = {
  revenue: 30,
  gross_adds: 20,
  churn_rate: 20,
  convergence_rate: 15,
  complaints_per_10k: 10,
  escalated_complaints: 5,
};

interface TargetLine {
  region: string;
  period: string;
  kpi: string;
  target: number;
  weight: number;
}

function cityTargets(code: string, subs: number, i: number, year: string): TargetLine[] {
  const c = CITIES[i]!;
  const f = AMBITION[i] ?? 1;
  const values: Record<string, number> = {
    revenue: Math.round(subs * BASE_ARPU * c.arpu * 12 * f * 100) / 100,
    gross_adds: Math.round(subs * BASE_CHURN * c.churn * c.growth * 12 * f),
    churn_rate: round4((BASE_CHURN * c.churn) / f),
    convergence_rate: round4(c.convergence * f + 0.005),
    complaints_per_10k: round4(c.complaintsPer10k / f),
    escalated_complaints: Math.round(((subs * c.complaintsPer10k) / 10_000) * c.escalated * 12 / f),
  };
  return Object.entries(DEMO_TARGET_WEIGHTS).map(([kpi, weight]) => ({ region: code, period: year, kpi, target: values[kpi]!, weight }));
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/** The target rows of one year: every city's and the province's annual targets, plus overrides for `lastMonth` when in that year. */
export function demoTargets(perCity: readonly number[], year: string, lastMonth: string): TargetLine[] {
  const cities = CITIES.flatMap((c, i) => cityTargets(c.code, perCity[i] ?? 0, i, year));
  const total = perCity.reduce((a, b) => a + b, 0);
  const sum = (kpi: string) => cities.filter((t) => t.kpi === kpi).reduce((s, t) => s + t.target, 0);
  const province: Record<string, number> = {
    revenue: Math.round(sum('revenue') * 100) / 100,
    gross_adds: sum('gross_adds'),
    churn_rate: 0.0135,
    convergence_rate: 0.405,
    complaints_per_10k: 11,
    escalated_complaints: sum('escalated_complaints'),
  };
  const all = Object.entries(DEMO_TARGET_WEIGHTS).map(([kpi, weight]) => ({ region: 'ALL', period: year, kpi, target: province[kpi]!, weight }));
  const overrides: TargetLine[] =
    lastMonth.startsWith(`${year}-`) && total > 0
      ? [
          { region: '330300', period: lastMonth, kpi: 'churn_rate', target: 0.012, weight: 25 },
          { region: 'ALL', period: lastMonth, kpi: 'escalated_complaints', target: Math.round((province.escalated_complaints! / 12) * 0.8), weight: 5 },
        ]
      : [];
  return [...cities, ...all, ...overrides];
}

/** Writes one year's target file; Chinese (GBK, labels, percentages) when `chinese`. */
export function writeTargetFile(path: string, lines: readonly TargetLine[], chinese: boolean): WrittenFile {
  return CsvWriter.write(path, header('target', chinese), chinese ? 'gbk' : 'utf8', (w) => {
    for (const t of lines) {
      const def = kpiDefinition(t.kpi)!;
      const kpi = chinese ? def.label_zh : t.kpi;
      const target = chinese && def.unit === 'ratio' ? `${round4(t.target * 100)}%` : String(t.target);
      w.fields([t.region, t.period, kpi, target, String(t.weight)]);
    }
  });
}
