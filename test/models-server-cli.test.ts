// npm run kpis and npm run models while a server holds the warehouse: through its API, with the
// same output and exit codes as on the file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KPI_KEYS } from '../domain/kpi-catalogue.ts';
import { runModels } from '../warehouse/models.ts';
import { WORKED_EXAMPLE } from './fixtures/worked-example.ts';
import { insertRaw } from './helpers/raw-fixture.ts';
import { type TestServer, testServer } from './helpers/test-server.ts';
import { runCliScript } from './helpers/run-command.ts';

let ts: TestServer;

beforeAll(async () => {
  ts = await testServer({
    serverFile: true,
    prepare: async (wh) => {
      await insertRaw(wh, 'subscriber', [...WORKED_EXAMPLE['2026-08'], ...WORKED_EXAMPLE['2026-09']]);
      await runModels(wh);
    },
  });
}, 60_000);
afterAll(async () => {
  await ts?.close();
});

const cli = runCliScript;

describe('CLIs of the models while the server runs', () => {
  it('npm run kpis answers from GET /api/kpis with every key', async () => {
    const r = await cli('cli/kpis.ts', ['--db', ts.path, '--period', '2026-09', '--region', '330300', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const body = JSON.parse(r.stdout) as { period: string; region: string; kpis: Record<string, number | null> };
    expect(body).toMatchObject({ period: '2026-09', region: '330300' });
    expect(Object.keys(body.kpis).sort()).toEqual([...KPI_KEYS].sort());
    expect(body.kpis.churn_rate).toBe(0.25);
    expect((await cli('cli/kpis.ts', ['--db', ts.path, '--period', '2026-9', '--json'])).code).toBe(2);
    expect((await cli('cli/kpis.ts', ['--db', ts.path, '--period', '2026-09', '--region', '999999', '--json'])).code).toBe(2);
  });

  it('npm run models runs through POST /api/admin/models', async () => {
    const r = await cli('cli/models.ts', ['--db', ts.path]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\(full\), data version \d+/);
    expect(r.stdout).toMatch(/tests: \d+ passed, 0 failed/);
  });
});
