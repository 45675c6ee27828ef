// Progress on stderr for the CLIs. On a terminal one line is redrawn in place; elsewhere (a log, a
// pipe) there is no redrawing, only the lines worth keeping. Two kinds: bytes of a big file, with rate
// and ETA (npm run ingest), and a count of steps (briefings, demo files).
import type { Phase } from '../ingest/load.ts';

function bar(fraction: number, width: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

const BIG = 4 << 20;
const PHASES: Record<Phase, string> = { reading: 'reading / 读取', checking: 'checking rows / 校验', loading: 'loading / 写入', done: 'done / 完成' };

/**
 * A load's progress, for files of 4 MB and more: bytes read (with rate and ETA), then the checking and
 * loading phases DuckDB runs. Off a terminal, one line per phase.
 */
export function bytesProgress(stream: NodeJS.WriteStream = process.stderr, sizeOf: (file: string) => number) {
  const tty = stream.isTTY === true;
  let started = 0;
  let lastPhase: Phase | null = null;
  let lastDraw = 0;
  return (p: { file: string; phase: Phase; done: number; total: number }) => {
    if (sizeOf(p.file) < BIG) return;
    const now = Date.now();
    if (p.phase !== lastPhase) {
      if (lastPhase === null || p.phase === 'reading') started = now;
      if (tty && lastPhase !== null) stream.write('\n');
      lastPhase = p.phase;
      lastDraw = 0;
      if (!tty || p.phase !== 'reading') {
        stream.write(`${p.file}: ${PHASES[p.phase]}${p.phase === 'done' ? ` in ${((now - started) / 1000).toFixed(1)} s` : '…'}${tty ? '' : '\n'}`);
        if (p.phase === 'done' && tty) stream.write('\n');
        return;
      }
    }
    if (!tty || p.phase !== 'reading' || now - lastDraw < 100) return;
    lastDraw = now;
    const frac = p.total ? p.done / p.total : 0;
    const secs = (now - started) / 1000;
    const rate = secs > 0 ? p.done / secs : 0;
    const eta = rate > 0 ? (p.total - p.done) / rate : 0;
    stream.write(`\r${p.file}: ${bar(frac, 30)} ${(frac * 100).toFixed(0)}% ${(rate / 1e6).toFixed(0)} MB/s ETA ${eta.toFixed(0)} s `);
  };
}

export interface CountOptions {
  stream?: NodeJS.WriteStream;
  /** Off a terminal: a line for every step (few, slow ones), or only the last (many quick ones, the default). */
  everyStep?: boolean;
}

/**
 * Steps done of a known total: `tick(done, total, item?)` after each, `item` naming the one just done.
 * The bar line ends with a newline once done reaches total.
 */
export function countProgress(label: string, opts: CountOptions = {}) {
  const stream = opts.stream ?? process.stderr;
  const started = performance.now();
  return (done: number, total: number, item = '') => {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (stream.isTTY) {
      stream.write(`\r${label} [${bar(total ? done / total : 1, 24)}] ${done}/${total}${item ? ` ${item.padEnd(8)}` : ''} ${seconds} s`);
      if (done === total) stream.write('\n');
    } else if (opts.everyStep || done === total) {
      stream.write(`${label} ${done}/${total}${item ? ` ${item}` : ''} ${seconds} s\n`);
    }
  };
}
