// The landing folder (INGEST_DIR): extracts dropped there are loaded as they arrive. A file is taken
// once its size and modification time stay the same between two scans (a copy still in progress is
// left alone); after its load it moves to `loaded/` (loaded or duplicate) or `refused/`, so the
// folder shows what is still to do. Polling, not fs.watch: it behaves the same on every file system,
// network shares included.
import { mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { formatFromFileName } from '../ingest/detect.ts';
import { errorMessage } from '../warehouse/errors.ts';
import type { AppContext } from './context.ts';
import { summary } from './ingest-service.ts';
import { jsonSafe } from './json-values.ts';
import { stageLocalFile } from './staging.ts';

export class LandingWatcher {
  private seen = new Map<string, string>();
  private busy = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private scanning: Promise<void> = Promise.resolve();
  private work = new Set<Promise<void>>();

  constructor(
    private readonly ctx: AppContext,
    readonly dir: string,
  ) {}

  start(): void {
    mkdirSync(this.dir, { recursive: true });
    this.ctx.log.info(`watching ${this.dir} for new extracts`);
    this.timer = setInterval(() => {
      this.scanning = this.scanning.then(() => this.scan());
    }, this.ctx.settings.watchIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.scanning;
    await Promise.all(this.work);
  }

  private scan(): void {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return;
    }
    const present = new Set<string>();
    for (const name of names) {
      if (name.startsWith('.') || !formatFromFileName(name)) continue;
      const path = join(this.dir, name);
      let signature: string;
      try {
        const st = statSync(path);
        if (!st.isFile()) continue;
        signature = `${st.size}:${st.mtimeMs}`;
      } catch {
        continue;
      }
      present.add(name);
      const before = this.seen.get(name);
      this.seen.set(name, signature);
      if (before !== signature || this.busy.has(name)) continue;
      this.busy.add(name);
      const job = this.load(name, path).finally(() => {
        this.busy.delete(name);
        this.seen.delete(name);
        this.work.delete(job);
      });
      this.work.add(job);
    }
    for (const name of this.seen.keys()) if (!present.has(name)) this.seen.delete(name);
  }

  private async load(name: string, path: string): Promise<void> {
    try {
      const staged = stageLocalFile(this.ctx.settings.stagingDir, path, name);
      const [result] = await this.ctx.ingest.ingest([staged], {});
      if (result) this.ctx.audit.record({ name: 'landing-folder', role: null }, { action: 'ingest', target: name, detail: { files: [jsonSafe(summary(result))] }, status: result.status === 'refused' ? 'refused' : 'ok' });
      const folder = join(this.dir, result?.status === 'refused' ? 'refused' : 'loaded');
      mkdirSync(folder, { recursive: true });
      renameSync(path, join(folder, name));
    } catch (err) {
      this.ctx.log.error(`landing folder: ${name}: ${errorMessage(err)}`);
    }
  }
}
