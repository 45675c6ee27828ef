// The two layers under the SQL guard, tested without it: a locked-down DuckDB reads no file outside
// the staging folder whatever the SQL, and a READ ONLY transaction writes nothing, not even a sequence.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../warehouse/db.ts';
import { tempWarehouse } from '../test/helpers/temp-warehouse.ts';
import { lockDown } from './runtime.ts';

let ctx: Awaited<ReturnType<typeof tempWarehouse>>;
let staging: string;
let reader: Warehouse;
beforeAll(async () => {
  ctx = await tempWarehouse();
  staging = join(ctx.dir, 'staging');
  mkdirSync(staging);
  writeFileSync(join(staging, 'inside.csv'), 'a\n1\n');
  writeFileSync(join(ctx.dir, 'beside-the-warehouse.csv'), 'a\n1\n');
  await lockDown(ctx.wh, staging);
  reader = await ctx.wh.fork();
});
afterAll(() => {
  reader.close();
  ctx.dispose();
});

const refused = (sql: string) => expect(reader.all(sql), sql).rejects.toThrow(/Permission|disabled|Cannot/i);

describe('lockDown: enable_external_access = false, allowed_directories = staging', () => {
  it('lets DuckDB read the staging folder, and nothing else — not the warehouse folder, not /etc', async () => {
    expect(await reader.all(`select * from read_csv('${join(staging, 'inside.csv')}')`)).toEqual([{ a: 1n }]);
    await refused(`select * from read_csv('${join(ctx.dir, 'beside-the-warehouse.csv')}')`);
    await refused(`select * from read_csv('${join(staging, '..', 'beside-the-warehouse.csv')}')`);
    await refused(`select * from read_text('/etc/passwd')`);
    await refused(`select * from '${join(ctx.dir, 'beside-the-warehouse.csv')}'`);
    await refused(`select * from glob('${ctx.dir}/*')`);
    await refused(`copy (select 1) to '${join(ctx.dir, 'out.csv')}'`);
    await refused(`attach '${join(ctx.dir, 'other.duckdb')}' as other`);
    await refused(`install httpfs`);
  });

  it('cannot be switched back on from SQL', async () => {
    await expect(reader.run('set enable_external_access = true')).rejects.toThrow();
    await expect(reader.run(`set allowed_directories = ['/']`)).rejects.toThrow();
  });
});

describe('a READ ONLY transaction', () => {
  it('refuses every write, a sequence step included', async () => {
    await ctx.wh.run('create sequence if not exists probe_seq');
    for (const sql of [`select nextval('probe_seq')`, `insert into regions values ('999999', 'x', null)`, `create table t (a int)`]) {
      await reader.run('begin transaction read only');
      await expect(reader.run(sql), sql).rejects.toThrow(/read-only/);
      await reader.run('rollback');
    }
    expect(await reader.one(`select nextval('probe_seq') as n`)).toEqual({ n: 1n });
  });
});
