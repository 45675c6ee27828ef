// The audit log through the real server: every action it records (logins failed and refused too,
// logout, SQL runs with their text, rows, ms and status, briefing downloads, ingests with each file's
// fate, sandbox uploads, user changes through the API and the CLI — on the file and through the
// server), GET /api/audit for admins only with its filters, nothing that can change or delete an
// entry (no route, the SQL console refused), the retention removing only old entries, and writes that
// neither wait for the write queue nor fail a request when they fail.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BriefingService } from '../briefings/cache.ts';
import { shanghaiTimestamp } from '../domain/time.ts';
import type { AuditEvent } from '../domain/audit.ts';
import { appendAudit, queryAudit } from '../warehouse/audit.ts';
import { Warehouse } from '../warehouse/db.ts';
import { FIXTURES, tempDir } from '../test/helpers/temp-warehouse.ts';
import { PASSWORD, type TestServer, type TestUser, loadDemo, postJson, testServer } from '../test/helpers/test-server.ts';
import { AuditLog } from './audit.ts';

const ROOT = join(import.meta.dirname, '..');
let ts: TestServer;
const briefings = new BriefingService();

beforeAll(async () => {
  ts = await testServer({
    prepare: async (wh, dir) => void (await loadDemo(wh, dir, { months: 1, subscribers: 500 })),
    briefings: (wh, region, period, format) => briefings.get(wh, region, period, format),
    serverFile: true,
    // Two failures for a (user, address) lock it: the third attempt is refused (429).
    settings: { loginPerUser: 2 },
  });
}, 180_000);

afterAll(async () => {
  await ts?.close();
  await briefings.close();
});

async function events(query = '', as: TestUser = 'admin'): Promise<AuditEvent[]> {
  const res = await ts.fetch(`/api/audit${query}`, { as });
  const body = (await res.json()) as { events: AuditEvent[]; error?: string };
  expect(res.status, body.error).toBe(200);
  return body.events;
}

const login = (user: string, password: string) =>
  fetch(`${ts.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, password }) });

/**
 * The newest entry of the action for the user. A route records when its work ends, which for a streamed
 * answer may be just after the client has the last byte: asked again for up to 2 s.
 */
async function last(action: string, user: string): Promise<AuditEvent> {
  const until = Date.now() + 2000;
  for (;;) {
    const [e] = await events(`?action=${action}&user=${encodeURIComponent(user)}&limit=1`);
    if (e || Date.now() > until) {
      expect(e, `${action} by ${user}`).toBeDefined();
      return e!;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the audit log records', () => {
  it('logins (as typed, with the address), failed and refused ones, and logouts, at Asia/Shanghai time', async () => {
    const before = shanghaiTimestamp();
    expect((await login('analyst', PASSWORD)).status).toBe(200);
    const ok = await last('login', 'analyst');
    expect(ok).toMatchObject({ user: 'analyst', role: 'analyst', action: 'login', status: 'ok', detail: { address: expect.stringMatching(/127\.0\.0\.1/) } });
    // `at` is Shanghai wall time (the machine runs UTC): within a few seconds of it.
    expect(ok.at >= before.slice(0, 16)).toBe(true);
    expect(Math.abs(Date.parse(ok.at.replace(' ', 'T') + '+08:00') - Date.now())).toBeLessThan(10_000);

    expect((await login('Analyst ', 'wrong password')).status).toBe(401);
    expect(await last('login', 'Analyst ')).toMatchObject({ role: null, status: 'failed', detail: { address: expect.any(String) } });
    expect((await login('ghost', 'nope-nope-nope')).status).toBe(401);
    expect((await login('ghost', 'nope-nope-nope')).status).toBe(401);
    expect((await login('ghost', 'nope-nope-nope')).status).toBe(429);
    const ghost = await events('?action=login&user=ghost');
    expect(ghost.map((e) => e.status)).toEqual(['refused', 'failed', 'failed']);

    const res = await login('exec', PASSWORD);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    expect((await fetch(`${ts.url}/api/logout`, { method: 'POST', headers: { cookie } })).status).toBe(200);
    expect(await last('logout', 'exec')).toMatchObject({ role: 'executive', status: 'ok' });
  });

  it('SQL runs and exports: the text, rows, ms, and ok / refused / error', async () => {
    const sql = `select code from regions where code like '3303%' -- 温州`;
    expect((await postJson(ts, '/api/sql', { sql }, 'analyst')).status).toBe(200);
    const ok = await last('sql', 'analyst');
    expect(ok).toMatchObject({ role: 'analyst', status: 'ok', detail: { sql, rows: 1, truncated: false, ms: expect.any(Number) } });

    expect((await postJson(ts, '/api/sql', { sql: 'delete from audit_log' }, 'analyst')).status).toBe(400);
    expect(await last('sql', 'analyst')).toMatchObject({ status: 'refused', detail: { sql: 'delete from audit_log', error: expect.stringMatching(/read-only/) } });

    const exported = await postJson(ts, '/api/sql/export', { sql: 'select * from range(3)', format: 'csv' }, 'analyst');
    expect(exported.status).toBe(200);
    await exported.arrayBuffer();
    expect(await last('sql_export', 'analyst')).toMatchObject({ status: 'ok', detail: { sql: 'select * from range(3)', format: 'csv', rows: 3, ms: expect.any(Number) } });

    expect((await postJson(ts, '/api/sql', { sql: `select cast('x' as integer)` }, 'admin')).status).toBe(400);
    expect(await last('sql', 'admin')).toMatchObject({ role: 'admin', status: 'error', detail: { sql: `select cast('x' as integer)`, error: expect.stringMatching(/convert|Conversion/i) } });
  });

  it('briefing downloads: region, period, format', async () => {
    const res = await ts.fetch('/api/briefings/330300/2026-09.xlsx', { as: 'wenzhou' });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    expect(await last('briefing', 'wenzhou')).toMatchObject({
      role: 'regional',
      target: '330300/2026-09.xlsx',
      status: 'ok',
      detail: { region: '330300', period: '2026-09', format: 'xlsx' },
    });
  }, 60_000);

  it('ingests: the files and what became of each', async () => {
    const form = new FormData();
    for (const name of ['subscriber_330300_202609_zh.csv', 'subscriber_330300_202610_bad.csv']) {
      form.append('files', new Blob([readFileSync(join(FIXTURES, 'ingest', name))]), name);
    }
    const res = await ts.fetch('/api/ingest', { method: 'POST', body: form, as: 'analyst' });
    const body = (await res.json()) as { files: { file: string; status: string; load_id: number | null }[] };
    expect(res.status).toBe(200);
    const e = await last('ingest', 'analyst');
    const files = (e.detail as { files: { file: string; status: string; load_id: number | null }[] }).files;
    expect(files.map((f) => [f.file, f.status, f.load_id])).toEqual(body.files.map((f) => [f.file, f.status, f.load_id]));
    expect(files.map((f) => f.file)).toEqual(['subscriber_330300_202609_zh.csv', 'subscriber_330300_202610_bad.csv']);
    expect(e.status).toBe(body.files.some((f) => f.status === 'refused') ? 'refused' : 'ok');
  }, 60_000);

  it('sandbox uploads and deletions', async () => {
    const form = new FormData();
    form.append('name', 'audited');
    form.append('file', new Blob(['a,b\n1,2\n3,4\n']), 'audited.csv');
    expect((await ts.fetch('/api/sandbox', { method: 'POST', body: form, as: 'analyst' })).status).toBe(200);
    expect(await last('sandbox_upload', 'analyst')).toMatchObject({ target: 'sandbox_analyst.audited', status: 'ok', detail: { file: 'audited.csv', shared: false, rows: 2 } });
    expect((await ts.fetch('/api/sandbox/audited', { method: 'DELETE', as: 'analyst' })).status).toBe(200);
    expect(await last('sandbox_delete', 'analyst')).toMatchObject({ target: 'sandbox_analyst.audited', status: 'ok' });
  });

  it('user changes through the API', async () => {
    const add = await postJson(ts, '/api/admin/users', { name: 'temp1', role: 'executive', password: 'temporary-pw-1' }, 'admin');
    expect(add.status).toBe(200);
    expect(await last('user_add', 'admin')).toMatchObject({ target: 'temp1', status: 'ok', detail: { role: 'executive', region_code: null, via: 'session' } });
    const pw = await ts.fetch('/api/admin/users/temp1/password', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password: 'another-pw-22' }), as: 'admin' });
    expect(pw.status).toBe(200);
    expect(await last('user_passwd', 'admin')).toMatchObject({ target: 'temp1', status: 'ok' });
    expect((await ts.fetch('/api/admin/users/temp1', { method: 'DELETE', as: 'admin' })).status).toBe(200);
    expect(await last('user_remove', 'admin')).toMatchObject({ target: 'temp1', status: 'ok' });
    // Nothing of the password is in the log.
    expect(JSON.stringify(await events('?limit=10000'))).not.toMatch(/temporary-pw-1|another-pw-22/);
  }, 60_000);

  it('alert rule changes, webhook keys left out', async () => {
    const rule = { name: '越级投诉', kpi: 'escalated_complaints', scope: 'each', condition: { op: '>', value: 0 }, deliveries: [{ url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET-KEY', format: 'wecom' }] };
    const res = await postJson(ts, '/api/alerts/rules', rule, 'admin');
    expect(res.status).toBe(200);
    const { id } = (await res.json()) as { id: number };
    const added = await last('alert_rule_add', 'admin');
    expect(added).toMatchObject({ target: String(id), status: 'ok', detail: { name: '越级投诉', kpi: 'escalated_complaints', scope: 'each', deliveries: [{ format: 'wecom', host: 'qyapi.weixin.qq.com' }] } });
    expect(JSON.stringify(added)).not.toContain('SECRET-KEY');
    expect((await ts.fetch(`/api/alerts/rules/${id}`, { method: 'DELETE', as: 'admin' })).status).toBe(200);
    expect(await last('alert_rule_remove', 'admin')).toMatchObject({ target: String(id), status: 'ok' });
  });

  it('user changes through `npm run users` while the server runs (its token: user cli)', async () => {
    // Asynchronously: the server answering the CLI runs in this process.
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/users.ts', '--db', ts.path, 'add', 'viacli', '--role', 'analyst'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.end('through-the-server\n');
    const [code] = (await once(child, 'exit')) as [number];
    expect(code, stderr).toBe(0);
    expect(await last('user_add', 'cli')).toMatchObject({ role: 'admin', target: 'viacli', detail: { via: 'token' } });
  }, 60_000);
});

describe('GET /api/audit', () => {
  it('answers admins only: 401 without a session, 403 for the other roles', async () => {
    expect((await ts.fetch('/api/audit')).status).toBe(401);
    for (const as of ['exec', 'analyst', 'wenzhou'] as const) expect((await ts.fetch('/api/audit', { as })).status, as).toBe(403);
    expect((await ts.fetch('/api/audit', { as: 'admin' })).status).toBe(200);
  });

  it('filters by user, action and since; newest first; limit; strict parameters', async () => {
    await postJson(ts, '/api/sql', { sql: 'select 1 as filter_probe' }, 'analyst');
    const all = await events('?limit=10000');
    expect(all.length).toBeGreaterThan(5);
    expect([...all].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).map((e) => e.at)).toEqual(all.map((e) => e.at));
    const analystSql = await events('?user=analyst&action=sql');
    expect(analystSql.length).toBeGreaterThan(0);
    expect(analystSql.every((e) => e.user === 'analyst' && e.action === 'sql')).toBe(true);
    expect(analystSql[0]!.detail).toMatchObject({ sql: 'select 1 as filter_probe' });
    expect(await events('?limit=2')).toHaveLength(2);
    const tomorrow = shanghaiTimestamp(new Date(Date.now() + 86_400_000)).slice(0, 10);
    expect(await events(`?since=${tomorrow}`)).toEqual([]);
    const since = all[0]!.at;
    expect((await events(`?since=${encodeURIComponent(since)}`)).every((e) => e.at >= since)).toBe(true);
    for (const bad of ['?action=drop_everything', '?since=yesterday', '?since=2026-02-30', '?limit=0', '?user=a&user=b', '?order=asc']) {
      const res = await ts.fetch(`/api/audit${bad}`, { as: 'admin' });
      expect(res.status, bad).toBe(400);
      expect(((await res.json()) as { error: string }).error.length).toBeGreaterThan(5);
    }
  });

  it('has no way to change or delete an entry: no route, the SQL console refused', async () => {
    const before = await events('?limit=10000');
    for (const method of ['DELETE', 'PUT', 'PATCH', 'POST']) {
      for (const path of ['/api/audit', '/api/audit/1']) {
        const res = await ts.fetch(path, { method, as: 'admin', headers: { 'content-type': 'application/json' }, body: '{}' });
        expect(res.status, `${method} ${path}`).toBe(404);
      }
    }
    for (const sql of [
      'delete from audit_log',
      `update audit_log set status = 'ok'`,
      'drop table audit_log',
      'truncate audit_log',
      'select * from audit_log',
      'select * from main.audit_log',
      `select * from "AUDIT_LOG"`,
      'with a as (select * from audit_log) select * from a',
      `select table_name from information_schema.tables where table_name = 'audit_log'`,
    ]) {
      const res = await postJson(ts, '/api/sql', { sql }, 'admin');
      const body = (await res.json()) as { rows?: unknown[][] };
      if (res.status === 200) expect(body.rows, sql).toEqual([]); // information_schema: narrowed, so empty
      else expect(res.status, sql).toBe(400);
    }
    const schema = (await (await ts.fetch('/api/schema', { as: 'admin' })).json()) as { tables: { name: string }[] };
    expect(schema.tables.map((t) => t.name)).not.toContain('audit_log');
    // Every entry there was is still there, unchanged; only new ones were added.
    const after = await events('?limit=10000');
    expect(after.slice(after.length - before.length)).toEqual(before);
  });

  it('records without waiting for the write queue (a long load does not hold an entry back)', async () => {
    let release!: () => void;
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const blocked = ts.server.ctx.queue.run(
      () =>
        new Promise<void>((r) => {
          release = r;
          started();
        }),
    );
    await running;
    try {
      await postJson(ts, '/api/sql', { sql: 'select 2 as while_loading' }, 'analyst');
      const [e] = await events('?action=sql&user=analyst&limit=1');
      expect(e?.detail).toMatchObject({ sql: 'select 2 as while_loading' });
      expect(ts.server.ctx.queue.pending).toBe(1);
    } finally {
      release();
      await blocked;
    }
  });
});

describe('retention and failures', () => {
  it('removes entries older than the configured days, at start and when pruned, and nothing newer', async () => {
    const { dir, remove } = tempDir('audit-retention-');
    try {
      const path = join(dir, 'w.duckdb');
      const wh = await Warehouse.open({ path, memoryLimit: '256MB' });
      const day = 86_400_000;
      const now = Date.now();
      const entry = (daysAgo: number, target: string) => ({ at: new Date(now - daysAgo * day), user: 'x', role: 'admin', action: 'sql', target, detail: null, status: 'ok' as const });
      await appendAudit(wh, [entry(45, 'old'), entry(31, 'old-too'), entry(29, 'kept'), entry(0, 'new')]);
      const log = new AuditLog(await wh.fork(), 30, () => new Date(now), { info: () => {}, error: () => {} });
      await log.start(); // prunes at start
      expect((await queryAudit(wh, { limit: 100 })).map((e) => e.target)).toEqual(['new', 'kept']);
      // Time passes: a day later the 29-day-old entry is past 30 days.
      const later = new AuditLog(await wh.fork(), 30, () => new Date(now + 2 * day), { info: () => {}, error: () => {} });
      expect(await later.prune()).toBe(1);
      expect((await queryAudit(wh, { limit: 100 })).map((e) => e.target)).toEqual(['new']);
      await log.close();
      await later.close();
      wh.close();
    } finally {
      remove();
    }
  });

  it('the server prunes by AUDIT_RETENTION_DAYS at start (default 400)', async () => {
    const { normalizeServerSettings } = await import('./settings.ts');
    expect(normalizeServerSettings('/tmp/x/w.duckdb', {}).auditRetentionDays).toBe(400);
    expect(normalizeServerSettings('/tmp/x/w.duckdb', { AUDIT_RETENTION_DAYS: '90' }).auditRetentionDays).toBe(90);
    expect(() => normalizeServerSettings('/tmp/x/w.duckdb', { AUDIT_RETENTION_DAYS: '0' })).toThrow(/AUDIT_RETENTION_DAYS/);
    const day = 86_400_000;
    const other = await testServer({
      prepare: async (wh) => {
        await appendAudit(wh, [
          { at: new Date(Date.now() - 401 * day), user: 'x', role: null, action: 'login', target: 'ancient', detail: null, status: 'ok' },
          { at: new Date(Date.now() - 399 * day), user: 'x', role: null, action: 'login', target: 'old', detail: null, status: 'ok' },
        ]);
      },
    });
    try {
      const res = await other.fetch('/api/audit?user=x', { as: 'admin' });
      expect(((await res.json()) as { events: AuditEvent[] }).events.map((e) => e.target)).toEqual(['old']);
    } finally {
      await other.close();
    }
  }, 60_000);

  it('a failed write is logged and never breaks the caller', async () => {
    const { dir, remove } = tempDir('audit-fail-');
    try {
      const wh = await Warehouse.open({ path: join(dir, 'w.duckdb'), memoryLimit: '256MB' });
      const conn = await wh.fork();
      const errors: string[] = [];
      const log = new AuditLog(conn, 400, () => new Date(), { info: () => {}, error: (m) => errors.push(m) });
      conn.close(); // the connection is gone: every append fails
      expect(() => log.record({ name: 'a', role: 'admin' }, { action: 'sql', detail: { sql: 'select 1' } })).not.toThrow();
      await log.flush();
      expect(errors.join('\n')).toMatch(/audit: 1 entry not written \(sql\)/);
      // A value JSON cannot hold: the entry is dropped with a message, not the request.
      const ok = new AuditLog(await wh.fork(), 400, () => new Date(), { info: () => {}, error: (m) => errors.push(m) });
      ok.record(null, { action: 'sql', detail: { n: 1n } });
      await ok.flush();
      expect(errors.at(-1)).toMatch(/not written/);
      wh.close();
    } finally {
      remove();
    }
  });
});

describe('npm run users on the file', () => {
  it('records add, passwd and remove done without a server (user cli, the account, via file)', async () => {
    const { dir, remove } = tempDir('audit-cli-');
    try {
      const db = join(dir, 'w.duckdb');
      const users = (args: string[], input = '') => spawnSync(process.execPath, ['--import', 'tsx', 'cli/users.ts', '--db', db, ...args], { cwd: ROOT, encoding: 'utf8', input });
      expect(users(['add', 'oncli', '--role', 'regional', '--region', '330300'], 'on-the-file-1\n').status).toBe(0);
      expect(users(['passwd', 'oncli'], 'on-the-file-2\n').status).toBe(0);
      expect(users(['remove', 'oncli']).status).toBe(0);
      expect(users(['remove', 'oncli']).status).toBe(1);
      const wh = await Warehouse.open({ path: db, memoryLimit: '256MB' });
      try {
        const log = await queryAudit(wh, { limit: 100 });
        expect(log.map((e) => [e.action, e.target, e.status])).toEqual([
          ['user_remove', 'oncli', 'error'],
          ['user_remove', 'oncli', 'ok'],
          ['user_passwd', 'oncli', 'ok'],
          ['user_add', 'oncli', 'ok'],
        ]);
        expect(log.at(-1)).toMatchObject({ user: 'cli', role: 'admin', detail: { role: 'regional', region_code: '330300', via: 'file', os_user: expect.any(String) } });
        expect(JSON.stringify(log)).not.toMatch(/on-the-file/);
      } finally {
        wh.close();
      }
    } finally {
      remove();
    }
  }, 60_000);
});
