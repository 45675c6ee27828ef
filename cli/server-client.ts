// The CLIs' HTTP client for a running server (found through its server file, server/server-file.ts).
import type { ServerFile } from '../server/server-file.ts';
import { EXIT, UserError, errorMessage } from '../warehouse/errors.ts';

export interface ServerReply<T> {
  status: number;
  body: T;
}

/**
 * One request to the server with its token. Unreachable → exit 3 (as a locked warehouse); an
 * {"error"} reply → UserError with that message (exit 1, as the same failure without a server).
 */
export async function callServer<T>(
  server: ServerFile,
  method: string,
  path: string,
  body?: unknown,
  opts: { accept?: number[] } = {},
): Promise<ServerReply<T>> {
  let res: Response;
  try {
    res = await fetch(new URL(path, server.url), {
      method,
      headers: {
        authorization: `Bearer ${server.token}`,
        ...(body instanceof FormData || body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: body instanceof FormData ? body : JSON.stringify(body) }),
    });
  } catch (err) {
    throw new UserError(`the server at ${server.url} (pid ${server.pid}) cannot be reached: ${errorMessage(err)}`, EXIT.locked);
  }
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = { error: text.slice(0, 200) };
  }
  if (res.ok || opts.accept?.includes(res.status)) return { status: res.status, body: parsed as T };
  const message = (parsed as { error?: unknown } | null)?.error;
  throw new UserError(typeof message === 'string' ? message : `the server answered HTTP ${res.status}`, EXIT.failed);
}
