// This browser's copy of the query history, per user (localStorage, keyed by user name): newest first,
// a repeated query moves to the top instead of appearing twice. The history the console shows is the
// server's (GET /api/queries/history, it follows the analyst to another machine); this copy is what it
// shows when the server cannot be reached.

export interface HistoryEntry {
  sql: string;
  at: string;
  rows: number | null;
  ms: number | null;
  error?: string;
}

const MAX = 100;
const key = (user: string) => `tca.sql.history.${user}`;

export function readHistory(user: string): HistoryEntry[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(key(user)) ?? '[]') as unknown;
    return Array.isArray(parsed) ? (parsed as HistoryEntry[]) : [];
  } catch {
    return [];
  }
}

export function addHistory(user: string, entry: HistoryEntry): HistoryEntry[] {
  const list = [entry, ...readHistory(user).filter((e) => e.sql.trim() !== entry.sql.trim())].slice(0, MAX);
  try {
    localStorage.setItem(key(user), JSON.stringify(list));
  } catch {
    // storage full or disabled: history is a convenience, the query itself succeeded
  }
  return list;
}
