// The role × endpoint × region matrix of server/access.test.ts, extended to the artefacts a user takes
// away (issue 11): every role (and no session) × every downloadable artefact × the region asked for
// gets the status of the roles table, and every artefact a regional user is given names their own city
// and no other city nor a province figure — read out of the PDF's text and every XLSX cell.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BriefingService } from '../briefings/cache.ts';
import { foreignNames, xlsxText } from './helpers/briefing-scope.ts';
import { pdfText } from './helpers/pdf-tools.ts';
import { type TestServer, type TestUser, testServer } from './helpers/test-server.ts';

let ts: TestServer;
const service = new BriefingService();

beforeAll(async () => {
  ts = await testServer({ demo: true, briefings: (wh, region, period, format, lang) => service.get(wh, region, period, format, lang) });
}, 120_000);

afterAll(async () => {
  await ts?.close();
  await service.close();
});

const OWN = '330300';
const OWN_NAME = '温州市';
const OTHER = '330100';
type Who = TestUser | 'anonymous';
const WHO: Who[] = ['anonymous', 'exec', 'analyst', 'wenzhou', 'admin'];
const REGIONS = [OWN, OTHER, 'ALL'] as const;

interface Artefact {
  name: string;
  path: (region: string) => string;
  /** How the artefact names the regional user's own city. */
  own: string;
  /** The artefact's text as a reader sees it. */
  text: (bytes: Uint8Array) => Promise<string> | string;
}

const ARTEFACTS: Artefact[] = [
  { name: 'briefing PDF', path: (r) => `/api/briefings/${r}/2026-09.pdf`, own: OWN_NAME, text: pdfText },
  { name: 'briefing XLSX', path: (r) => `/api/briefings/${r}/2026-09.xlsx`, own: OWN_NAME, text: xlsxText },
  // The English edition (issue 12): the same scope, the city named in English.
  { name: 'briefing PDF, English', path: (r) => `/api/briefings/${r}/2026-09.pdf?lang=en`, own: 'Wenzhou', text: pdfText },
  { name: 'briefing XLSX, English', path: (r) => `/api/briefings/${r}/2026-09.xlsx?lang=en`, own: 'Wenzhou', text: xlsxText },
];

function expected(who: Who, region: string): number {
  if (who === 'anonymous') return 401;
  if (who === 'wenzhou' && region !== OWN) return 403;
  return 200;
}

describe('artefacts in the role × endpoint × region matrix', () => {
  it('gives every role × artefact × region the status of the roles table; a regional user’s artefacts name no other city', async () => {
    const got: string[] = [];
    const want: string[] = [];
    let regionalChecked = 0;
    for (const a of ARTEFACTS) {
      for (const who of WHO) {
        for (const region of REGIONS) {
          const res = await ts.fetch(a.path(region), { as: who === 'anonymous' ? null : who });
          const bytes = new Uint8Array(await res.arrayBuffer());
          got.push(`${a.name} ${who} ${region} → ${res.status}`);
          want.push(`${a.name} ${who} ${region} → ${expected(who, region)}`);
          if (who === 'wenzhou' && res.status === 200) {
            const text = await a.text(bytes);
            expect(text, a.name).toContain(a.own);
            expect(foreignNames(text, OWN), `${a.name} of ${OWN}`).toEqual([]);
            regionalChecked++;
          }
          if (res.status >= 400) expect(JSON.parse(Buffer.from(bytes).toString('utf8'))).toEqual({ error: expect.any(String) });
        }
      }
    }
    expect(got).toEqual(want);
    expect(regionalChecked).toBe(ARTEFACTS.length);
  }, 240_000);

  it('gives the executive another city’s briefing naming that city (the check above is not blind)', async () => {
    const res = await ts.fetch(`/api/briefings/${OTHER}/2026-09.pdf`, { as: 'exec' });
    const text = pdfText(new Uint8Array(await res.arrayBuffer()));
    expect(foreignNames(text, OWN)).toContain('杭州市');
    const en = await ts.fetch(`/api/briefings/${OTHER}/2026-09.pdf?lang=en`, { as: 'exec' });
    expect(foreignNames(pdfText(new Uint8Array(await en.arrayBuffer())), OWN)).toContain('Hangzhou');
  });
});
