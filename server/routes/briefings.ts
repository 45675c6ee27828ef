// GET /api/briefings/{region}/{YYYY-MM}.pdf|.xlsx[?lang=en]: the monthly briefing of one city (or
// ALL), in Chinese (the default) or English, for the roles that may read briefings, a regional user
// only for their own city.
import type { Router } from 'express';
import { briefingFileName } from '../../briefings/render.ts';
import { HttpError } from '../http-error.ts';
import { route } from '../access.ts';
import type { AppContext } from '../context.ts';
import { onlyParams, parseEnum, parsePeriod, parseRegion, queryString } from '../params.ts';

interface BriefingParams {
  region: string;
  period: string;
  format: 'pdf' | 'xlsx';
  lang: 'zh' | 'en';
}

const TYPES = { pdf: 'application/pdf', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } as const;

export function briefingRoutes(r: Router, ctx: AppContext): void {
  r.get(
    '/api/briefings/:region/:file',
    route<BriefingParams>(ctx, {
      need: 'briefings',
      parse: (req) => {
        onlyParams(req, ['lang']);
        const m = /^(\d{4}-\d{2})\.(pdf|xlsx)$/.exec(String(req.params.file));
        if (!m) throw new HttpError(400, 'expected /api/briefings/{region}/{YYYY-MM}.pdf or .xlsx');
        const lang = parseEnum(queryString(req, 'lang') ?? 'zh', ['zh', 'en'] as const, 'lang');
        return { region: parseRegion(String(req.params.region), ctx.regions), period: parsePeriod(m[1]!), format: m[2] as 'pdf' | 'xlsx', lang };
      },
      regions: (p) => [p.region],
      handle: async ({ res, params, who }) => {
        if (!ctx.briefings) throw new HttpError(501, 'briefings are not available on this server yet');
        const bytes = await ctx.audit.timed(
          who,
          { action: 'briefing', target: `${params.region}/${params.period}.${params.format}`, detail: { region: params.region, period: params.period, format: params.format, lang: params.lang } },
          () => ctx.readers.use((wh) => ctx.briefings!(wh, params.region, params.period, params.format, params.lang)),
          (b) => ({ bytes: b.byteLength }),
        );
        res
          .type(TYPES[params.format])
          .setHeader('Content-Disposition', `attachment; filename="${briefingFileName(params.region, params.period, params.format, params.lang)}"`);
        res.send(Buffer.from(bytes));
        return undefined;
      },
    }),
  );
}
