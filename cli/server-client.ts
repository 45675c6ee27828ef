// The CLIs' HTTP client for a running server (found through its server file, server/server-file.ts).
import type { ServerFile } from '../server/server-file.ts';
import { EXIT, UserError, errorMessage } from '../warehouse/errors.ts';

export interface ServerReply<T> {
  status: number;
  body: T;
}

/**
 * One request to the server with its token. Unreachable → exit 3 (as a locked warehouse); a reply
 * that is not OK (nor one of `accept`) → UserError with its {"error"} message (exit 1, as the same
 * failure without a server).
 */
export async function requestServer(
  server: ServerFile,
  method: string,
  path: string,
  body?: unknown,
  opts: { accept?: number[] } = {},
): Promise<Response> {
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
  if (res.ok || opts.accept?.includes(res.status)) return res;
  const message = (parseJson(await res.text()) as { error?: unknown } | null)?.error;
  throw new UserError(typeof message === 'string' ? message : `${path}: the server answered HTTP ${res.status}`, EXIT.failed);
}

/** requestServer with a JSON answer. */
export async function callServer<T>(
  server: ServerFile,
  method: string,
  path: string,
  body?: unknown,
  opts: { accept?: number[] } = {},
): Promise<ServerReply<T>> {
  const res = await requestServer(server, method, path, body, opts);
  return { status: res.status, body: parseJson(await res.text()) as T };
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return { error: text.slice(0, 200) };
  }
}
