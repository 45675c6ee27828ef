// docs/extracts.md: the contracts of domain/contracts.ts as tables, and around them the prose the data
// cannot carry (file formats, how values are written, the loading rules), describing what ingest/ does.
// `npm run docs` writes it; test/docs.test.ts fails when the file and this output part ways.
import {
  CONTRACTS,
  ESCALATED_SOURCES,
  KINDS,
  SOCIAL_CHANNEL_TYPES,
  ZHEJIANG_CITIES,
  type ColumnContract,
  type ColumnType,
  type EnumValue,
  type Kind,
  type KindContract,
  acceptsAllRegion,
} from '../domain/contracts.ts';
import { REASONS, type Reason } from '../ingest/messages.ts';
import { normalizeSettings } from '../warehouse/config.ts';

const WHAT_A_ROW_IS: Record<Kind, string> = {
  subscriber: 'one row per subscription (a service instance: a mobile line, a broadband access, …) as it stands at the end of the month `period`',
  channel: 'one row per sales outlet as it stands at the end of the month `period`',
  complaint: 'one row per complaint; it belongs to the month it was received in',
  revenue: 'one row per subscription, revenue item and billing month `period`',
  target: 'one row per region, period and KPI: the goals a region is judged against (考核目标), in the KPI’s own unit',
};

const HOW_WRITTEN: Record<ColumnType, string> = {
  text: 'any text; surrounding spaces are dropped',
  enum: 'the English code or the Chinese label of the value, in any letter case',
  month: '`YYYY-MM` or `YYYYMM`',
  date: '`YYYY-MM-DD`, `YYYY/MM/DD` or `YYYYMMDD`',
  timestamp: 'a date as above, a space, then `HH:MM` or `HH:MM:SS`; wall-clock time in Asia/Shanghai',
  money: 'yuan (元): an optional sign, digits with optional thousands separators, at most two decimals (`-1,234.5`); no currency sign. Kept as DECIMAL(18,2), never as a float',
  bool: '`1`/`0`, `true`/`false`, `Y`/`N`, `yes`/`no`, `是`/`否`, in any letter case',
  integer: 'a whole number',
  period: '`YYYY` (a year) or a month `YYYY-MM` / `YYYYMM`; kept as `YYYY` or `YYYY-MM`',
  kpi: 'a key of the KPI catalogue ([kpis.md](kpis.md)) or its Chinese label (`churn_rate` or `离网率`), in any letter case; kept as the key',
  decimal: 'a number with an optional sign, thousands separators and at most 6 decimals, or a percentage (`2%`, `2.5 %`), kept as its fraction (0.02); DECIMAL, never a float',
};

const REASON_MEANS: Record<Reason, string> = {
  required: 'a required cell is empty (or a column required only in some rows, such as `exclusive` for social channels)',
  bad_enum: 'not a code or label of the column’s enumeration (for `kpi`: not a key or Chinese label of the KPI catalogue)',
  bad_date: 'a month, year, date or timestamp not written as above',
  bad_number: 'money, an integer or a decimal not written as above',
  bad_bool: 'not one of the yes/no spellings',
  bad_value: 'well-formed but outside what the column allows (the rules in the tables)',
  date_order: 'an end before its start (terminated before activated, closed before opened, resolved before received)',
  unknown_region: '`region_code` is not in the warehouse’s region list (nor `ALL`, for a target)',
  duplicate_key: 'the row’s key repeats inside the file, or matches a row that stays in the warehouse',
};

const codes = (list: readonly string[]) => list.map((c) => `\`${c}\``).join(', ');

/** What the column types cannot say: the rules `ingest/checks.ts` adds, keyed `kind.column`. */
const COLUMN_RULES: Record<string, string> = {
  'subscriber.bundle_id': 'empty when the subscription is in no converged bundle (融合套餐)',
  'subscriber.channel_id': 'the outlet that sold the subscription',
  'subscriber.terminated_on': 'empty while active; not before `activated_on` (`date_order`)',
  'channel.exclusive': `required for the social channel types (${codes(SOCIAL_CHANNEL_TYPES)}); true for any other type is \`bad_value\``,
  'channel.closed_on': 'empty while open; not before `opened_on` (`date_order`)',
  'channel.commission': 'paid to the outlet for the month; ≥ 0, and not above 0 for a `self_run_hall` (`bad_value`)',
  'complaint.received_at': 'its month is the complaint’s period',
  'complaint.resolved_at': 'empty while open; not before `received_at` (`date_order`)',
  'complaint.sla_hours': 'the time allowed to resolve it, in hours; > 0 (`bad_value`); when empty the models take 48, or 72 for `installation`',
  'complaint.repeat_of': 'the `complaint_id` of an earlier complaint of the same customer; not checked against other rows (it may point outside the warehouse)',
  'revenue.amount': 'may be negative (an adjustment)',
  'revenue.discount': 'a discount given inside a converged bundle; ≥ 0 (`bad_value`); empty counts as 0',
  'target.period': 'a year (an annual target: it applies to every month of the year) or a month (a monthly target: it replaces the annual one of the same KPI for that month)',
  'target.kpi': 'a key of the KPI catalogue ([kpis.md](kpis.md)) or its Chinese label; anything else is `bad_enum`. A KPI whose direction is `none` may carry a target but is not judged',
  'target.target': 'in the KPI’s own unit: a count, yuan, a rate as a fraction (`0.02` or `2%`)',
  'target.weight': 'the KPI’s weight in the region’s scorecard for the period; ≥ 0 (`bad_value`); empty: the target is judged but not scored',
};

function labelOf(values: readonly EnumValue[], code: string): string {
  return values.find((v) => v.code === code)?.label ?? code;
}

/** Sentences after a kind's table, from the contracts' own lists. */
function afterTable(contract: KindContract): string[] {
  if (contract.kind === 'complaint') {
    const sources = contract.columns.find((c) => c.name === 'source')!.values!;
    const escalated = ESCALATED_SOURCES.map((s) => `\`${s}\` ${labelOf(sources, s)}`).join(', ');
    return [`A complaint is **escalated** (越级) when its \`source\` is ${escalated}.`];
  }
  if (contract.kind === 'revenue') return ['Net revenue is `amount` − `discount`.'];
  if (contract.kind === 'target') {
    return [
      'A slice is a (`region_code`, `period`) pair **as written**: a re-sent file of a region’s annual targets (`2026`) replaces that region’s annual targets for 2026 and leaves its monthly ones; a file of monthly targets replaces those months’ targets only.',
      'File names: `target_330300_2026.csv`, `target_ALL_2026.xlsx`. A target file records no empty slice, and a target load rebuilds no month of the models (the targets are read as they are); it moves the data version, so the answers judged against the targets follow.',
      'Attainment, status and the scorecard are computed from the targets at query time (`npm run targets`, `GET /api/targets`, `GET /api/scorecard`; see [architecture.md](architecture.md)).',
    ];
  }
  return [];
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

function columnRule(contract: KindContract, c: ColumnContract): string {
  const parts: string[] = [];
  if (c.name === 'region_code') {
    parts.push(acceptsAllRegion(contract.kind) ? 'a code of the warehouse’s region list, or `ALL` for the province’s own target (`unknown_region`)' : 'a code of the warehouse’s region list (`unknown_region`)');
  }
  const rule = COLUMN_RULES[`${contract.kind}.${c.name}`];
  if (rule) parts.push(rule);
  if (c.values) parts.push(c.values.map((v) => `\`${v.code}\` ${v.label}`).join(', '));
  return parts.join('; ');
}

function kindSection(contract: KindContract): string {
  const rows = contract.columns.map((c) => [`\`${c.name}\``, c.alias, c.type, c.required ? 'yes' : 'no', columnRule(contract, c)]);
  const period =
    contract.periodFrom !== 'period' ? `the month of \`${contract.periodFrom}\`` : contract.kind === 'target' ? '`period`, a year or a month as written' : '`period`';
  return [
    `## ${contract.kind}`,
    '',
    `${WHAT_A_ROW_IS[contract.kind][0]!.toUpperCase()}${WHAT_A_ROW_IS[contract.kind].slice(1)}.`,
    '',
    table(['column', 'alias', 'type', 'required', 'rule'], rows),
    '',
    `- **Key:** (${contract.key.map((k) => `\`${k}\``).join(', ')}) — unique inside the file and among the rows that stay in the warehouse.`,
    `- **Period:** ${period}. **Slice:** (\`region_code\`, period).`,
    ...afterTable(contract).map((s) => `- ${s}`),
  ].join('\n');
}

function checkRulesNameColumns(): void {
  for (const key of Object.keys(COLUMN_RULES)) {
    const [kind, name] = key.split('.') as [Kind, string];
    if (!CONTRACTS[kind]?.columns.some((c) => c.name === name)) throw new Error(`cli/docs-extracts.ts: a rule for ${key}, which is not a contract column`);
  }
}

export function renderExtractsDoc(): string {
  checkRulesNameColumns();
  const threshold = normalizeSettings({ env: {} }).rejectThreshold;
  const pct = `${threshold * 100}%`;
  const types = (Object.keys(HOW_WRITTEN) as ColumnType[]).map((t) => [t, HOW_WRITTEN[t]]);
  const cities = ZHEJIANG_CITIES.map((c) => `${c.code} ${c.nameZh}`).join(', ');
  const text = `# Extract contracts

<!-- Generated by \`npm run docs\` from domain/contracts.ts and cli/docs-extracts.ts: edit those, not this file. -->

What a BSS sends and what ingest accepts: version 2 of the contracts, with ${KINDS.length} kinds of extract:
${codes(KINDS)}. The first four are data, the KPIs are computed from them; a \`target\` file holds the goals
a region is judged against.

Each kind is a table of columns; a file may name a column by its English name or by its Chinese alias,
in any order, and may carry extra columns (kept in the raw layer as JSON, ignored by the models).

## Files

- **Formats**, from the file's extension: CSV (\`.csv\`, \`.txt\`; comma-separated), TSV (\`.tsv\`, \`.tab\`),
  XLSX (\`.xlsx\`; the first sheet, or the one named by \`--sheet\`) and Parquet (\`.parquet\`, \`.pq\`). Any
  other extension is refused.
- **Encodings** of CSV and TSV: UTF-8, with or without a byte-order mark, or GBK / GB18030. The bytes
  decide: a file that is not valid UTF-8 is read as GB18030 (GBK's superset). \`--encoding\` (\`utf-8\`,
  \`gbk\`, \`gb2312\`, \`gb18030\`) overrides the guess.
- **Header**: the first row. Cells match column names and aliases ignoring letter case, surrounding
  spaces and a byte-order mark. A file lacking a required column, or naming one column twice, is refused
  before any row is read. Parquet columns are matched by their names the same way, and every value is
  read as text and then checked like a CSV cell.
- **Kind**: \`--kind\`, or else the first \`_\`-separated part of the file name that is a kind, in any
  letter case: \`subscriber_330300_202609.csv\`, \`complaint_ALL_202609.xlsx\`, \`07_revenue_ALL_202609.csv\`.
  A file whose kind cannot be found is refused, saying so.
- **Region and month** in the name: each row's region and month come from its cells, but the name may
  also name one region (a code of the region list, or \`ALL\`) and one month (\`YYYYMM\` or \`YYYY-MM\`),
  as \`_\`-separated parts. That is what makes a file without rows an empty slice (below).

## How values are written

A cell is trimmed first; an empty cell (or one of spaces only) is null, whatever the column's type.

${table(['type', 'written as'], types)}

## Regions

Every row's \`region_code\` must be in the warehouse's region list: 6-digit GB/T 2260 codes with a Chinese
and an English name. A new warehouse starts with the ${ZHEJIANG_CITIES.length} prefecture-level cities of Zhejiang:

${cities}.

\`npm run regions -- add CODE NAME_ZH [NAME_EN]\` adds one and \`npm run regions -- load FILE.csv\` a list of
\`code,name\` rows (4-digit city codes are padded with \`00\`).

${KINDS.map((k) => kindSection(CONTRACTS[k])).join('\n\n')}

## Loading rules

These hold for every kind.

- **Whole or nothing.** A file's good rows, its rejects, its slices and the record of the load are
  written in one transaction: a load that fails or is killed half-way leaves the warehouse as it was.
- **Rejects.** A row that breaks a rule is not loaded. Each broken cell becomes a reject naming the
  line (as a spreadsheet shows it: the header is line 1, so the first data row is line 2; for XLSX, the
  sheet's own row number; for Parquet, the row's position + 2), the column (its English name), the
  value as written and a reason code (below) with a message in Chinese and English.
- **Threshold.** When more than ${pct} of a file's data rows are rejected (\`REJECT_THRESHOLD\`, a
  fraction), the whole file is refused: nothing of it is loaded, and its rejects are still recorded so
  the sender can see what to fix.
- **Duplicates.** Each file's SHA-256 is recorded. A file whose bytes equal those of an earlier
  *loaded* file is skipped as \`duplicate\`, naming that load; a refused load never makes a later one a
  duplicate. Files whose names make different empty slices (below) are not duplicates of each other:
  the same header-only file sent for two cities or two months is two empty slices.
- **Result.** Each file ends \`loaded\`, \`refused\` or \`duplicate\` — what the CLI's \`--json\` and
  \`POST /api/ingest\` report.
- **Keys inside a file.** When a key repeats inside one file, every row that carries it is rejected
  (\`duplicate_key\`): the file cannot say which one is right.
- **Slices and re-sends.** A file's slice is the set of (\`region_code\`, period) pairs of its rows that
  pass the row rules and the key check inside the file. Loading it first removes the rows of the same
  kind, from earlier loads, in those pairs — so a corrected re-send of a city's month replaces exactly
  that city-month and nothing is counted twice. The load history keeps which load replaced which slice;
  a load all of whose slices were replaced is marked superseded.
- **Empty slices.** A city that had no complaints must be told apart from a city whose file has not
  arrived. A file that has no data rows and whose name names one region and one month
  (\`complaint_330300_202609.csv\` with only its header) loads as an **empty slice** of that (region,
  month): it replaces what was there like any slice, and the month is then known to have none. A
  \`complaint\` file named for \`ALL\` and one month (\`complaint_ALL_202609.csv\`) covers every region of the
  region list for that month: a region none of its rows names for that month (good or rejected) gets an
  empty complaint slice. (Complaints are sparse events; the other kinds list every subscription or outlet,
  so their \`ALL\` files cover the regions of their rows only.) A file without rows whose name names no
  single region and month records no slice, and its message says so.
- **Missing.** A (region, month) with no slice of a kind has that kind missing: the figures computed from
  it are null, never 0, and every KPI answer lists the missing kinds and regions (\`missing_extracts\`).
- **Keys after the replacement.** Keys must also be unique against the rows that stay in the warehouse
  once the slices are replaced (the same \`subscription_id\` in another city's file of the same month,
  say). Such rows are rejected as \`duplicate_key\`, naming the load, region and month they clash with,
  and count toward the threshold like any other reject.
- **Afterwards** the models are rebuilt for the months the load touched (after a \`subscriber\` file,
  the month after as well: churn and net adds compare two months), and a running server tells the
  boards.

## Reject reasons

${table(['reason', 'means'], REASONS.map((r) => [`\`${r}\``, REASON_MEANS[r]]))}
`;
  return text;
}
