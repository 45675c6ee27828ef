import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.ts';
import { checkClickhouseSql } from './sql-guard.ts';

const TABLES = new Set(['raw_subscriber', 'raw_channel', 'raw_revenue', 'mart_kpis']);
const check = (sql: string) => checkClickhouseSql(sql, 'tca', TABLES);

function refusal(sql: string): string {
  try {
    check(sql);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as UserError).message;
  }
  throw new Error(`not refused: ${sql}`);
}

describe('checkClickhouseSql', () => {
  it('lets the platform’s queries through', () => {
    for (const sql of [
      'SELECT 1',
      'select region_code, count() from raw_subscriber group by region_code order by region_code desc;',
      'SELECT * FROM tca.raw_channel AS c',
      'SELECT s.region_code FROM raw_subscriber s ANY LEFT JOIN raw_channel c ON c.channel_id = s.channel_id',
      "SELECT count() FROM raw_subscriber WHERE customer_id IN (SELECT customer_id FROM raw_revenue WHERE item = 'from')",
      'SELECT extract(YEAR FROM period), trim(BOTH \' \' FROM segment) FROM raw_subscriber',
      'WITH 2 AS k SELECT k * count() FROM raw_subscriber, raw_channel',
      "SELECT 'system.users; DROP TABLE x', `select` FROM (SELECT 1 AS `select`) -- SETTINGS in a comment",
      'SELECT * FROM (SELECT * FROM mart_kpis) ARRAY JOIN [1, 2] AS x',
    ]) {
      expect(() => check(sql), sql).not.toThrow();
    }
  });

  it('names every table read with the platform’s database, and changes nothing else', () => {
    const cases: [string, string][] = [
      ['SELECT count() FROM raw_subscriber', 'SELECT count() FROM `tca`.raw_subscriber'],
      ['SELECT * FROM tca.raw_channel AS c', 'SELECT * FROM tca.raw_channel AS c'],
      [
        'SELECT s.region_code FROM raw_subscriber s ANY LEFT JOIN (SELECT channel_id FROM `raw_channel`) c USING channel_id',
        'SELECT s.region_code FROM `tca`.raw_subscriber s ANY LEFT JOIN (SELECT channel_id FROM `tca`.`raw_channel`) c USING channel_id',
      ],
      [
        "SELECT 'FROM raw_channel' AS t FROM raw_subscriber, raw_channel WHERE channel_id IN raw_channel -- FROM raw_channel",
        "SELECT 'FROM raw_channel' AS t FROM `tca`.raw_subscriber, `tca`.raw_channel WHERE channel_id IN `tca`.raw_channel -- FROM raw_channel",
      ],
      ['SELECT extract(YEAR FROM period) FROM raw_subscriber', 'SELECT extract(YEAR FROM period) FROM `tca`.raw_subscriber'],
    ];
    for (const [sql, qualified] of cases) expect(check(sql), sql).toBe(qualified);
  });

  it('refuses other statements, clauses, table functions, system tables and other tables, naming why in both languages', () => {
    const cases: [string, RegExp][] = [
      ["SELECT * FROM file('/etc/passwd', 'CSV', 'a String')", /file\(\)/],
      ["SELECT * FROM url('http://127.0.0.1:1/', CSV, 'a String')", /url\(\)/],
      ["SELECT * FROM remote('127.0.0.1:9000', system.one)", /remote\(\)|system/],
      ["SELECT * FROM remoteSecure('h', db.t)", /remoteSecure\(\)/],
      ["SELECT * FROM cluster('tca', tca.raw_channel)", /cluster\(\)/],
      ["SELECT * FROM mysql('h:3306', 'db', 't', 'u', 'p')", /mysql\(\)/],
      ['SELECT * FROM numbers(10)', /numbers\(\)/],
      ["SELECT * FROM input('a String')", /input\(\)/],
      ["SELECT * FROM jdbc('x', 'y')", /jdbc\(\)/],
      ["SELECT * FROM odbc('x', 'y')", /odbc\(\)/],
      ["SELECT * FROM hdfs('hdfs://x', 'CSV', 'a String')", /hdfs\(\)/],
      ["SELECT * FROM s3('http://x', 'CSV', 'a String')", /s3\(\)/],
      ['SELECT * FROM merge(tca, \'^raw\')', /merge\(\)/],
      ['SELECT * FROM some_table_function(1)', /table functions/],
      ['SELECT * FROM system.users', /system/i],
      ['SELECT * FROM `system`.`tables`', /system/],
      ['SELECT * FROM "system" . one', /system/],
      ['SELECT * FROM SYSTEM.one', /system|SYSTEM/],
      ['SELECT * FROM raw_channel WHERE channel_id IN system.one', /system/i],
      ['SELECT * FROM default.secrets', /database tca/],
      ['SELECT * FROM raw_subscriber_staging', /no table raw_subscriber_staging/],
      ['SELECT * FROM raw_channel WHERE channel_id IN other_table', /no table other_table/],
      ['SELECT * FROM raw_channel JOIN hidden h ON 1', /no table hidden/],
      ['SELECT * FROM raw_channel, hidden', /no table hidden/],
      ['SET max_execution_time = 0', /only a SELECT|SET/],
      ['SELECT 1 SETTINGS max_execution_time = 0', /SETTINGS/],
      ['SELECT 1 FORMAT TabSeparated', /FORMAT/],
      ["SELECT * FROM raw_channel INTO OUTFILE '/tmp/x'", /INTO/],
      ['INSERT INTO raw_channel SELECT * FROM raw_channel', /only a SELECT/],
      ['ALTER TABLE raw_channel DELETE WHERE 1', /only a SELECT/],
      ['KILL QUERY WHERE 1', /only a SELECT/],
      ['DROP TABLE raw_channel', /only a SELECT/],
      ['TRUNCATE TABLE raw_channel', /only a SELECT/],
      ['OPTIMIZE TABLE raw_channel FINAL', /only a SELECT/],
      ['SELECT 1; DROP TABLE raw_channel', /one statement/],
      ['SELECT 1;; SELECT 2', /one statement/],
      ["SELECT dictGetString('d', 'a', toUInt64(1))", /dictGetString/],
      ["SELECT hasColumnInTable('127.0.0.1', 'system', 'users', 'name')", /hasColumnInTable|system/],
      ["SELECT 'unterminated", /not closed/],
      ['SELECT 1 /* open', /not closed/],
      ['', /empty/],
    ];
    for (const [sql, why] of cases) {
      const message = refusal(sql);
      expect(message, sql).toMatch(why);
      expect(message, sql).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});
