// The errors the project raises on purpose below the server. A UserError carries the exit code a CLI
// should end with (the server answers it with 400); the server's own HttpError is in
// server/http-error.ts. Neither carries a stack trace to the user.

export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** Exit codes fixed by architecture.md. */
export const EXIT = { ok: 0, failed: 1, usage: 2, locked: 3 } as const;

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * DuckDB's error text, with a hint where we know what the user should do. The lock message names
 * the process that holds the file ("Conflicting lock is held in … (PID n)").
 */
export function enrichWarehouseError(err: unknown, dbPath: string): Error {
  const message = errorMessage(err);
  if (/Could not set lock on file|Conflicting lock is held/i.test(message)) {
    const holder = /Conflicting lock is held in (.*?)(?:\. See also|$)/s.exec(message)?.[1]?.trim();
    return new UserError(
      `warehouse ${dbPath} is locked${holder ? ` by ${holder}` : ''}, and no running server was found ` +
        `(no ${dbPath}.server.json). Stop that process or start the server and retry.`,
      EXIT.locked,
    );
  }
  return err instanceof Error ? err : new Error(message);
}

/**
 * A text with every absolute file path cut to its last part: DuckDB names the files it reads, and
 * the server's staging folder (or any other folder of the server) is none of a client's business.
 */
export function withoutFolders(text: string): string {
  return (
    text
      // Quoted paths may hold spaces: "…/staging/ingest-x/my file.csv" → "my file.csv".
      .replace(/(["'`])((?:[A-Za-z]:)?[\\/][^"'`\n]*)\1/g, (_m, q: string, path: string) => `${q}${lastPart(path)}${q}`)
      // Unquoted: /a/b/c.csv or C:\a\b.csv (two parts at least, so a lone "/" stays).
      .replace(/(?<![\w.~/\\])(?:[A-Za-z]:)?[\\/](?:[^\s"'`\\/]+[\\/])+[^\s"'`\\/,;:)]*/g, (path) => lastPart(path))
  );
}

/** The file name of a path with a folder ("/a/b.csv" → "b.csv"); "/" or "/x" as they are. */
function lastPart(path: string): string {
  const parts = path.split(/[\\/]/).filter((p) => p !== '');
  return parts.length > 1 ? parts.at(-1)! : path;
}

/**
 * DuckDB's error in one line for a user: its first line (the error class and message), never a stack
 * or the option dump. Reading a `file`, a CSV error keeps the line it names; a `query` may have been
 * interrupted (the time limit, a cancel).
 */
export function describeDuckDbError(err: unknown, reading: 'query' | 'file' = 'query'): string {
  const text = withoutFolders(errorMessage(err));
  const firstLine = (skip?: RegExp) => (text.split('\n').find((l) => l.trim() && !skip?.test(l)) ?? text).trim();
  if (reading === 'file') {
    const line = /line:?\s*(\d+)/i.exec(text)?.[1];
    return `cannot read the file${line ? ` at line ${line}` : ''}: ${firstLine(/^Invalid Input Error:\s*$/)} / 文件无法解析`;
  }
  if (/INTERRUPT/i.test(text)) return 'the query was interrupted';
  return firstLine().slice(0, 500);
}
