// The regions the signed-in user may see, from GET /api/regions (a regional user gets only their own
// city, so no other city's name or code is ever listed). Until it answers, the 11 default cities.
import { DEFAULT_REGIONS, regionName, type Region } from '../../charts/labels.ts';
import { getJson } from './api.ts';
import { i18n } from './i18n.svelte.ts';

class Regions {
  list = $state<Region[]>([...DEFAULT_REGIONS]);
  private loading: Promise<void> | null = null;

  /** Loads once per session; later calls wait for the same answer. */
  load(): Promise<void> {
    this.loading ??= getJson<{ regions: { code: string; name_zh: string; name_en: string | null }[] }>('/api/regions')
      .then((body) => {
        this.list = body.regions.map((r) => ({ code: r.code, nameZh: r.name_zh, nameEn: r.name_en ?? r.name_zh }));
      })
      .catch(() => {
        this.loading = null;
      });
    return this.loading;
  }

  reset(): void {
    this.loading = null;
    this.list = [...DEFAULT_REGIONS];
  }

  get codes(): string[] {
    return this.list.map((r) => r.code);
  }

  /** The region's name in the page's language ('ALL' is the province). */
  name = (code: string): string => regionName(code, i18n.lang, this.list);
}

export const regions = new Regions();
