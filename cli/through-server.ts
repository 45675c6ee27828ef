// The one-writer rule, in one place for every CLI: while a server holds the warehouse, DuckDB lets no
// other process open the file, so a command does its work through that server's HTTP API (found by
// its server file); otherwise it opens the file itself and closes it when done. A command states the
// two ways once, and prints the one result the same whichever way ran.
import { findServer, type ServerFile } from '../server/server-file.ts';
import type { Settings } from '../warehouse/config.ts';
import { Warehouse } from '../warehouse/db.ts';
import { type ServerReply, callServer } from './server-client.ts';

/** One authenticated request to the running server; see callServer for its errors and exit codes. */
export type ServerCall = <T>(method: string, path: string, body?: unknown, opts?: { accept?: number[] }) => Promise<ServerReply<T>>;

export interface TwoWays<T> {
  /** Through the running server. */
  server: (call: ServerCall, server: ServerFile) => Promise<T>;
  /** On the warehouse file, opened for this command alone. */
  file: (wh: Warehouse) => Promise<T>;
}

export async function throughServerOrFile<T>(settings: Settings, ways: TwoWays<T>): Promise<T> {
  const server = findServer(settings.path);
  if (server) return ways.server((method, path, body, opts) => callServer(server, method, path, body, opts), server);
  const wh = await Warehouse.open(settings);
  try {
    return await ways.file(wh);
  } finally {
    wh.close();
  }
}
