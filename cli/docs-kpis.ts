// docs/kpis.md, rendered from the KPI catalogue (domain/kpi-catalogue.ts): the page cannot drift
// from the keys the code computes, because `npm run docs` writes it and a test compares it.
import { KPI_CATALOGUE, type KpiDefinition, type KpiGroup, type KpiUnit } from '../domain/kpi-catalogue.ts';

const GROUP_TITLES: Record<KpiGroup, string> = {
  subscribers: 'Subscribers and convergence (用户与融合)',
  revenue: 'Revenue (收入)',
  channels: 'Channels (渠道)',
  complaints: 'Complaints (投诉)',
};

const UNIT_MEANINGS: Record<KpiUnit, string> = {
  count: 'a whole number of subscriptions, customers, outlets, rows or complaints',
  ratio: 'a fraction between 0 and 1 (0.1234); the dashboard and the briefings print it as 12.3%',
  money: 'yuan (元), exact to the fen',
  per_10k: 'complaints per 10,000 active subscriptions',
  per_million: 'complaints per 1,000,000 active subscriptions',
  average: 'a mean count with a fractional part (adds per outlet)',
  hours: 'a duration in hours',
};

const INTRO = `# KPIs

<!-- Generated from domain/kpi-catalogue.ts by \`npm run docs\` (cli/docs-kpis.ts): edit the catalogue, not this page. -->

Every key below is a column of \`mart_kpis\` and a key of the API's, the CLI's and the briefings'
answers (catalogue version 2). Each is computed for one month (\`YYYY-MM\`) and one region (a six-digit
region code), and for the province as region \`ALL\`. The province's figures are computed again from
the rows of every city, never averaged from the cities' own ratios, so the province's churn rate is its
churners over its subscriptions.

- **Ratios** are plain fractions (0.1234): a percentage is only how a display prints one.
- **Money** is in yuan and exact to the fen (0.01 元): totals are exact decimals, and a figure per
  subscription, customer or add is rounded to the fen, half away from zero.
- **Missing is not zero.** A figure is null — shown as "未上报 / not reported", never 0 — where an
  extract kind it is computed from (its source kinds below) has no slice for the region and month. An
  empty slice (a file that arrived without rows) is not missing: its counts are 0. For the province a
  kind is missing only when no city has it, and a figure built from several kinds covers the cities that
  have all of them (complaints per 10k with one city's complaints missing divide by the other cities'
  subscriptions). Every KPI answer lists the missing extracts in \`missing_extracts\`.
- **Null, not zero**, too, where a denominator is 0, or where a figure compares the month with a
  previous month that has no subscriber extract.
- **Like for like.** The province's comparisons with the previous month (churn rates, net adds,
  vanished subscriptions) cover the cities with a subscriber extract for both months: a city loaded for
  the first time is no province net add. Its adds and churners still count in the plain sums.
- **Channel figures** (adds per channel type and per outlet, commission per add, the exclusive and
  shared outlets' figures) belong to the outlet's city, whatever the subscription's city: a city's
  outlets are judged on what they sold. \`converged_adds_share\` and \`unattributed_adds\` stay with the
  subscription's city.
- A **family** repeats one figure for every code of an enumeration of the extract contracts (per
  service, channel type or complaint category); its keys end with the code.

The columns of the tables:

- **unit**: how the value reads (table below); a unit in parentheses is printed beside the value on
  the dashboard.
- **direction**: which way is an improvement. \`higher\` or \`lower\` colours a month-over-month change
  and orders every ranking of cities: rank 1 is the best city by the direction, ties share the smaller
  rank (1, 2, 2, 4), cities without a figure come last and unranked. A \`none\` figure is neither good
  nor bad when it moves, and is not ranked.
- **source kinds**: the extract kinds (subscriber, revenue, channel, complaint) the figure is computed
  from, the main one first; where one of them is missing the figure is not reported.
- **additive**: yes when the figure over several months is the sum of the monthly figures (a
  year-to-date total); a stock such as active subscriptions, or a ratio, is not.

| unit | reads as |
|---|---|
${Object.entries(UNIT_MEANINGS)
  .map(([unit, meaning]) => `| \`${unit}\` | ${meaning} |`)
  .join('\n')}
`;

function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}

function row(d: KpiDefinition): string {
  const unit = d.display_unit ? `${d.unit} (${d.display_unit.zh})` : d.unit;
  return `| \`${d.key}\` | ${d.label_zh} | ${d.label_en} | ${unit} | ${d.direction} | ${d.sources.join(', ')} | ${yesNo(d.additive)} | ${d.definition} |`;
}

function keyList(keys: readonly KpiDefinition[]): string {
  return keys.map((d) => `\`${d.key}\``).join(', ');
}

export function renderKpisDoc(): string {
  const sections = (Object.keys(GROUP_TITLES) as KpiGroup[]).map((group) =>
    [
      `## ${GROUP_TITLES[group]}`,
      '',
      '| key | 中文 | English | unit | direction | source kinds | additive | definition |',
      '|---|---|---|---|---|---|---|---|',
      ...KPI_CATALOGUE.filter((d) => d.group === group).map(row),
    ].join('\n'),
  );
  const bySegment = KPI_CATALOGUE.filter((d) => d.by_segment);
  const quality = KPI_CATALOGUE.filter((d) => d.data_quality);
  const notes = [
    '## Per customer segment and data quality',
    '',
    `These ${bySegment.length} figures are also computed per customer segment (the dashboard's segment filter): ${keyList(bySegment)}.`,
    '',
    `These describe the extracts rather than the business, and the briefings report them in their data-quality note: ${keyList(quality)}.`,
  ].join('\n');
  return `${[INTRO.trimEnd(), ...sections, notes].join('\n\n')}\n`;
}
