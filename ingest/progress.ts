// A progress bar on stderr for big files: bytes read (with rate and ETA), then the checking and
// loading phases DuckDB runs. On a non-terminal it prints one line per phase instead of redrawing.
import type { Phase } from './load.ts';

const BIG = 4 << 20;

export function progressBar(stream: NodeJS.WriteStream = process.stderr, sizeOf: (file: string) => number) {
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
        const label = { reading: 'reading / 读取', checking: 'checking rows / 校验', loading: 'loading / 写入', done: 'done / 完成' }[p.phase];
        stream.write(`${p.file}: ${label}${p.phase === 'done' ? ` in ${((now - started) / 1000).toFixed(1)} s` : '…'}${tty ? '' : '\n'}`);
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
    const width = 30;
    const bar = '█'.repeat(Math.round(frac * width)).padEnd(width, '░');
    stream.write(`\r${p.file}: ${bar} ${(frac * 100).toFixed(0)}% ${(rate / 1e6).toFixed(0)} MB/s ETA ${eta.toFixed(0)} s `);
  };
}
