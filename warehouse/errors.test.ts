// DuckDB names the files it reads in its errors; what reaches a client names the file, never the
// server's folders (the staging folder of an upload least of all).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeDuckDbError, withoutFolders } from './errors.ts';

let dir: string;
let staging: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'errors-'));
  staging = join(dir, 'staging', 'ingest-abc123');
  mkdirSync(staging, { recursive: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function duckError(sql: string): Promise<unknown> {
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  try {
    await con.run(sql);
  } catch (err) {
    return err;
  } finally {
    con.closeSync();
    instance.closeSync();
  }
  throw new Error(`no error from ${sql}`);
}

describe('describeDuckDbError', () => {
  it('names a missing staged file without its folder', async () => {
    const path = join(staging, 'subscriber_ALL_202609.csv');
    const err = await duckError(`select * from read_csv('${path}')`);
    expect(String((err as Error).message)).toContain(staging);
    for (const reading of ['query', 'file'] as const) {
      const text = describeDuckDbError(err, reading);
      expect(text).toContain('subscriber_ALL_202609.csv');
      expect(text).not.toContain(dir);
      expect(text).not.toContain('staging');
    }
  });

  it('names an unreadable staged file (a name with spaces) without its folder', async () => {
    const path = join(staging, 'my data.parquet');
    writeFileSync(path, 'not parquet at all');
    const err = await duckError(`select * from read_parquet('${path}')`);
    expect(String((err as Error).message)).toContain(staging);
    const text = describeDuckDbError(err, 'file');
    expect(text).toContain('my data.parquet');
    expect(text).not.toContain(dir);
  });

  it('leaves texts without folders alone', () => {
    expect(withoutFolders('Parser Error: syntax error at or near "/"')).toBe('Parser Error: syntax error at or near "/"');
    expect(withoutFolders("Conversion Error: could not convert '1/2' to DATE")).toBe("Conversion Error: could not convert '1/2' to DATE");
    expect(withoutFolders('see https://duckdb.org/docs/a/b')).toBe('see https://duckdb.org/docs/a/b');
    expect(withoutFolders('IO Error: cannot open /srv/wh/staging/x/a.csv: denied')).toBe('IO Error: cannot open a.csv: denied');
    expect(withoutFolders('IO Error: "C:\\data\\staging\\a b.xlsx" is locked')).toBe('IO Error: "a b.xlsx" is locked');
  });
});
