// Asia/Shanghai wall-clock time whatever the machine's zone, without loading DuckDB (the demo-data
// generator needs it too).

export const TIME_ZONE = 'Asia/Shanghai';

/** Wall-clock time in Asia/Shanghai as 'YYYY-MM-DD HH:MM:SS', whatever the machine's zone. */
export function shanghaiTimestamp(date: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
}
