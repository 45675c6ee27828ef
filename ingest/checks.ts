// Builds the SQL that parses and checks every row of a file in one DuckDB pass. Each contract column
// becomes three columns of the temp table `chk`: v_<name> (the trimmed text), <name> (the typed
// value) and e_<name> (a reason code, null when the cell is fine); `ok` says the row passed every
// row rule. Values never enter the SQL text: only contract names, enum codes and labels do.
import { type ColumnContract, type KindContract, SOCIAL_CHANNEL_TYPES, acceptsAllRegion } from '../domain/contracts.ts';
import { KPI_CATALOGUE } from '../domain/kpi-catalogue.ts';
import { ALL_REGIONS } from '../domain/region-code.ts';
import { quoteIdent, quoteLiteral } from '../warehouse/db.ts';
import type { HeaderMapping } from './header.ts';

const lit = quoteLiteral;
const id = quoteIdent;
const v = (name: string) => id(`v_${name}`);
const e = (name: string) => id(`e_${name}`);

function enumCase(text: string, c: ColumnContract): string {
  const whens = (c.values ?? []).flatMap((x) => {
    const keys = new Set([x.code.toLowerCase(), x.label.toLowerCase()]);
    return [...keys].map((k) => `when ${lit(k)} then ${lit(x.code)}`);
  });
  return `case lower(${text}) ${whens.join(' ')} end`;
}

/** A KPI key or its Chinese label (any case) → the key. */
function kpiCase(text: string): string {
  const whens = KPI_CATALOGUE.flatMap((d) => {
    const keys = new Set([d.key.toLowerCase(), d.label_zh.toLowerCase()]);
    return [...keys].map((k) => `when ${lit(k)} then ${lit(d.key)}`);
  });
  return `case lower(${text}) ${whens.join(' ')} end`;
}

const BOOL_TRUE = ['1', 'true', 'y', 'yes', '是'];
const BOOL_FALSE = ['0', 'false', 'n', 'no', '否'];

/** Typed value of a trimmed text cell, null when it does not parse. */
export function parseExpr(c: ColumnContract, text: string): string {
  switch (c.type) {
    case 'text':
      return text;
    case 'enum':
      return enumCase(text, c);
    case 'month':
      return `case length(${text}) when 7 then try_cast(${text} || '-01' as date) when 6 then try_strptime(${text}, '%Y%m')::date end`;
    case 'date':
      return `case length(${text}) when 10 then try_cast(replace(${text}, '/', '-') as date) when 8 then try_strptime(${text}, '%Y%m%d')::date end`;
    case 'timestamp':
      return (
        `case when length(${text}) in (16, 19) then try_cast(replace(${text}, '/', '-') as timestamp) ` +
        `when length(${text}) in (14, 17) then try_strptime(${text}, ['%Y%m%d %H:%M:%S', '%Y%m%d %H:%M']) end`
      );
    case 'money':
      return `case when regexp_full_match(${text}, '[+-]?([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\\.[0-9]{1,2})?') then replace(${text}, ',', '')::decimal(18, 2) end`;
    case 'bool':
      return `case when lower(${text}) in (${BOOL_TRUE.map(lit).join(', ')}) then true when lower(${text}) in (${BOOL_FALSE.map(lit).join(', ')}) then false end`;
    case 'integer':
      return `try_cast(${text} as integer)`;
    case 'period':
      return (
        `case when regexp_full_match(${text}, '[0-9]{4}') and try_cast(${text} as integer) between 1900 and 2999 then ${text} ` +
        `else strftime(${parseExpr({ ...c, type: 'month' }, text)}, '%Y-%m') end`
      );
    case 'kpi':
      return kpiCase(text);
    case 'decimal':
      // At most 6 decimals as written; a percentage is divided by 100, exactly (DECIMAL, not a float).
      return (
        `case when regexp_full_match(${text}, '[+-]?([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\\.[0-9]{1,6})?') then replace(${text}, ',', '')::decimal(24, 8) ` +
        `when regexp_full_match(${text}, '[+-]?[0-9]+(\\.[0-9]{1,6})? *%') then (rtrim(rtrim(${text}, '%'))::decimal(24, 8) * 0.01::decimal(3, 2))::decimal(24, 8) end`
      );
  }
}

const BAD_CODE: Record<ColumnContract['type'], string> = {
  text: 'bad_value',
  enum: 'bad_enum',
  month: 'bad_date',
  date: 'bad_date',
  timestamp: 'bad_date',
  money: 'bad_number',
  bool: 'bad_bool',
  integer: 'bad_number',
  period: 'bad_date',
  kpi: 'bad_enum',
  decimal: 'bad_number',
};

/** Rules beyond type and required, per kind and column: [condition on typed values, reason]. */
function extraRules(kind: KindContract['kind'], name: string): [string, string][] {
  const social = SOCIAL_CHANNEL_TYPES.map(lit).join(', ');
  const rules: Record<string, [string, string][]> = {
    'subscriber.terminated_on': [['terminated_on < activated_on', 'date_order']],
    'channel.closed_on': [['closed_on < opened_on', 'date_order']],
    'channel.exclusive': [['exclusive and channel_type not in (' + social + ')', 'bad_value']],
    'channel.commission': [
      ['commission < 0', 'bad_value'],
      [`commission > 0 and channel_type = 'self_run_hall'`, 'bad_value'],
    ],
    'complaint.resolved_at': [['resolved_at < received_at', 'date_order']],
    'complaint.sla_hours': [['sla_hours <= 0', 'bad_value']],
    'revenue.discount': [['discount < 0', 'bad_value']],
    'target.weight': [['weight < 0', 'bad_value']],
  };
  return rules[`${kind}.${name}`] ?? [];
}

/** Required when empty: contract `required`, plus conditional requirements. */
function requiredWhen(kind: KindContract['kind'], c: ColumnContract): string | null {
  if (c.required) return 'true';
  if (kind === 'channel' && c.name === 'exclusive') {
    return `channel_type in (${SOCIAL_CHANNEL_TYPES.map(lit).join(', ')})`;
  }
  return null;
}

export function errorExpr(kind: KindContract['kind'], c: ColumnContract, knownRegions: string): string {
  const parts: string[] = [];
  const req = requiredWhen(kind, c);
  if (req) parts.push(`when ${v(c.name)} is null and ${req} then 'required'`);
  if (c.name === 'region_code') {
    const all = acceptsAllRegion(kind) ? ` and ${id(c.name)} <> ${lit(ALL_REGIONS)}` : '';
    parts.push(`when ${v(c.name)} is not null and ${v(c.name)} not in (${knownRegions})${all} then 'unknown_region'`);
  } else if (c.type !== 'text') {
    parts.push(`when ${v(c.name)} is not null and ${id(c.name)} is null then ${lit(BAD_CODE[c.type])}`);
  }
  for (const [cond, reason] of extraRules(kind, c.name)) parts.push(`when ${cond} then ${lit(reason)}`);
  return parts.length ? `case ${parts.join(' ')} end` : 'null::varchar';
}

/**
 * The `create temp table chk` statement for one file. Rows keep the file's order (DuckDB preserves
 * insertion order), so a row's spreadsheet line is rowid + 2 unless the source carries `__line`.
 * Raw text is kept only where a cell broke a rule, to keep the table small.
 */
export function checkTableSql(
  contract: KindContract,
  mapping: HeaderMapping,
  relation: string,
  regionCodes: readonly string[],
  hasLine: boolean,
): string {
  const cols = contract.columns;
  const texts = cols.map((c) => {
    const idx = mapping.columns.get(c.name);
    return `${idx === undefined ? 'null::varchar' : `nullif(trim(c${idx}), '')`} as ${v(c.name)}`;
  });
  const extra = mapping.extras.length
    ? `json_object(${mapping.extras.map((x) => `${lit(x.name)}, nullif(trim(c${x.index}), '')`).join(', ')})`
    : 'null::json';
  const parsed = cols.map((c) => {
    let expr = parseExpr(c, v(c.name));
    if (contract.kind === 'revenue' && c.name === 'discount') expr = `coalesce(${expr}, case when ${v(c.name)} is null then 0::decimal(18, 2) end)`;
    // The province's own targets: ALL in any letter case.
    if (c.name === 'region_code' && acceptsAllRegion(contract.kind)) expr = `case when upper(${expr}) = ${lit(ALL_REGIONS)} then ${lit(ALL_REGIONS)} else ${expr} end`;
    return `${expr} as ${id(c.name)}`;
  });
  const period =
    contract.periodFrom === 'period' ? '' : `, date_trunc('month', ${id(contract.periodFrom)})::date as period`;
  // Region codes come from the warehouse's own region list (6-digit codes), not from the file.
  const known = regionCodes.length ? regionCodes.map(lit).join(', ') : `''`;
  const errors = cols.map((c) => `${errorExpr(contract.kind, c, known)} as ${e(c.name)}`);
  const ok = cols.map((c) => `${e(c.name)} is null`).join(' and ');
  const keep = cols.filter((c) => c.type !== 'text').map((c) => `case when ${e(c.name)} is not null then ${v(c.name)} end as ${v(c.name)}`);
  const typed = cols.map((c) => id(c.name));
  return `create or replace temp table chk as
with src as (
  select ${hasLine ? '__line as line, ' : ''}${texts.join(', ')}, ${extra} as extra from ${relation}
),
parsed as (
  select *, ${parsed.join(', ')}${period} from src
),
checked as (
  select *, ${errors.join(', ')} from parsed
)
select ${hasLine ? 'line, ' : ''}${typed.join(', ')}${period ? ', period' : ''}, extra, ${cols.map((c) => e(c.name)).join(', ')}, ${keep.join(', ')}, ${ok} as ok
from checked`;
}

/** `chk` with its line numbers: a view, so nothing is copied. */
export function checkViewSql(hasLine: boolean): string {
  return `create or replace temp view chkv as select ${hasLine ? '*' : 'rowid + 2 as line, *'} from chk`;
}

/** One row per (line, column) that broke a rule, for the rows that are not ok. */
export function rowRejectsSql(contract: KindContract): string {
  const unions = contract.columns.map(
    (c) => `select line, ${lit(c.name)} as col, ${c.type === 'text' ? id(c.name) : v(c.name)} as val, ${e(c.name)} as reason from chkv where not ok and ${e(c.name)} is not null`,
  );
  return `insert into bad (line, col, val, reason) ${unions.join(' union all ')}`;
}

/** The key columns as `a = b` conditions between two aliases. */
export function keyJoin(contract: KindContract, a: string, b: string): string {
  return contract.key.map((k) => `${a}.${id(k)} = ${b}.${id(k)}`).join(' and ');
}

/** A readable text of a row's key, for the reject's value. */
export function keyText(contract: KindContract, alias: string): string {
  return contract.key
    .map((k) => (k === 'period' && periodIsDate(contract) ? `strftime(${alias}.period, '%Y-%m')` : `${alias}.${id(k)}`))
    .join(` || ' / ' || `);
}

/** The column a duplicate-key reject names: the key's identifier column. */
export function keyColumn(contract: KindContract): string {
  return contract.key.find((k) => k !== 'period' && k !== 'item' && k !== 'region_code') ?? contract.key[0]!;
}

/** Whether the kind's period is a DATE (a month's first day) rather than text as written (a target's 'YYYY' or 'YYYY-MM'). */
export function periodIsDate(contract: KindContract): boolean {
  return contract.columns.find((c) => c.name === 'period')?.type !== 'period';
}
