// A real server on 127.0.0.1 (free port) over a real warehouse in a temporary folder, with one user
// per role (and a regional user for 温州 330300), for tests that speak HTTP to it.
import { join } from 'node:path';
import type { BriefingRenderer } from '../../server/context.ts';
import { type RunningServer, startServer } from '../../server/runtime.ts';
import { type ServerSettings, normalizeServerSettings } from '../../server/settings.ts';
import type { Warehouse, WarehouseSettings } from '../../warehouse/db.ts';
import { seedDemoWarehouse } from '../../demo/seed.ts';
import { addUser } from '../../warehouse/users.ts';
import { tempWarehouse } from './temp-warehouse.ts';

export const PASSWORD = 'test-password';
export const USERS = {
  exec: { role: 'executive', region_code: null },
  analyst: { role: 'analyst', region_code: null },
  wenzhou: { role: 'regional', region_code: '330300' },
  admin: { role: 'admin', region_code: null },
} as const;
export type TestUser = keyof typeof USERS;

/** Demo extracts (3,000 subscriptions, 3 months to 2026-09) loaded and modelled. */
export async function loadDemo(wh: Warehouse, dir: string, opts: { months?: number; subscribers?: number } = {}): Promise<string[]> {
  const { demo } = await seedDemoWarehouse(wh, { out: join(dir, 'extracts'), subscribers: opts.subscribers ?? 3000, months: opts.months ?? 3, end: '2026-09', seed: 1 });
  return demo.periods;
}

export interface TestServer {
  url: string;
  server: RunningServer;
  wh: Warehouse;
  path: string;
  dir: string;
  /** The session cookie of a user (logged in once, then reused). */
  cookie(user: TestUser): Promise<string>;
  fetch(path: string, init?: RequestInit & { as?: TestUser | null }): Promise<Response>;
  close(): Promise<void>;
}

export async function testServer(
  opts: {
    demo?: boolean;
    settings?: Partial<ServerSettings>;
    prepare?: (wh: Warehouse, dir: string) => Promise<void>;
    serverFile?: boolean;
    briefings?: BriefingRenderer;
    /** The warehouse's engine settings (e.g. a test cluster's: useClickhouseCluster().warehouseSettings()). */
    warehouse?: Partial<WarehouseSettings>;
  } = {},
): Promise<TestServer> {
  const t = await tempWarehouse(opts.warehouse);
  if (opts.demo) await loadDemo(t.wh, t.dir);
  await opts.prepare?.(t.wh, t.dir);
  for (const [name, u] of Object.entries(USERS)) await addUser(t.wh, { name, ...u, password: PASSWORD });
  const settings = normalizeServerSettings(t.path, {}, { host: '127.0.0.1', port: 0, readConnections: 2, sqlConnections: 2, ...opts.settings });
  const server = await startServer({
    warehouse: t.wh,
    settings,
    serverFile: opts.serverFile ?? false,
    ...(opts.briefings ? { briefings: opts.briefings } : {}),
    logger: { info: () => {}, error: (m) => console.error(m) },
  });
  const cookies = new Map<string, string>();
  const ts: TestServer = {
    url: server.url,
    server,
    wh: t.wh,
    path: t.path,
    dir: t.dir,
    async cookie(user) {
      if (!cookies.has(user)) {
        const res = await fetch(`${server.url}/api/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ user, password: PASSWORD }),
        });
        if (!res.ok) throw new Error(`login ${user}: ${res.status} ${await res.text()}`);
        cookies.set(user, (res.headers.get('set-cookie') ?? '').split(';')[0]!);
      }
      return cookies.get(user)!;
    },
    async fetch(path, init = {}) {
      const { as, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (as) headers.set('cookie', await ts.cookie(as));
      return fetch(`${server.url}${path}`, { ...rest, headers });
    },
    async close() {
      await server.close();
      t.dispose();
    },
  };
  return ts;
}

export async function postJson(ts: TestServer, path: string, body: unknown, as: TestUser | null, headers: Record<string, string> = {}): Promise<Response> {
  return ts.fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), as });
}
