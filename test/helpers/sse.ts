// Listening to GET /api/events as a user over real HTTP: stop() ends the stream and returns the events
// seen as [name, data].
import type { TestServer, TestUser } from './test-server.ts';

/** A fetch as some user: a helper user by name, or any function that adds a session. */
export type FetchAs = TestUser | ((path: string, init: RequestInit) => Promise<Response>);

export type SeenEvent = [string, Record<string, unknown>];

export async function listenEvents(ts: TestServer, user: FetchAs, region?: string): Promise<{ seen: () => SeenEvent[]; stop: () => Promise<SeenEvent[]> }> {
  const controller = new AbortController();
  const path = `/api/events${region ? `?region=${region}` : ''}`;
  const res = typeof user === 'function' ? await user(path, { signal: controller.signal }) : await ts.fetch(path, { as: user, signal: controller.signal });
  if (res.status !== 200) throw new Error(`events: ${res.status}`);
  const reader = res.body!.getReader();
  let text = '';
  const reading = (async () => {
    const decoder = new TextDecoder();
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      text += decoder.decode(value, { stream: true });
    }
  })();
  const seen = () => [...text.matchAll(/event: (\w+)\ndata: (.*)\n/g)].map((m): SeenEvent => [m[1]!, JSON.parse(m[2]!) as Record<string, unknown>]);
  return {
    seen,
    async stop() {
      controller.abort();
      await reading;
      return seen();
    },
  };
}
