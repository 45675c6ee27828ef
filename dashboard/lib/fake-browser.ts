// The browser the dashboard's unit tests stand in for (they run in Node, without a DOM): the address
// bar and its history, localStorage, <html lang>, the server (fetch, answered by a handler — with a
// value as JSON, or with a real Response for a streamed body) and its
// event stream (EventSource, fired by the test). The router and i18n read the address bar when they
// load, so a test installs this first, then imports the module afresh (vi.resetModules()).
import { vi } from 'vitest';

/** An answer other than 200 (a bare value from the handler is a 200 JSON body). */
export class Answer {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}

export type ApiHandler = (url: URL) => unknown;

export class FakeEventSource extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  readyState = FakeEventSource.CONNECTING;

  constructor(readonly url: string) {
    super();
  }

  /** The connection opened (or came back). */
  open(): void {
    this.readyState = FakeEventSource.OPEN;
    this.dispatchEvent(new Event('open'));
  }

  /** The connection dropped; EventSource is reconnecting. */
  drop(): void {
    this.readyState = FakeEventSource.CONNECTING;
    this.dispatchEvent(new Event('error'));
  }

  emit(type: string, data: unknown): void {
    this.dispatchEvent(new MessageEvent(type, { data: JSON.stringify(data) }));
  }

  close(): void {
    this.readyState = FakeEventSource.CLOSED;
  }
}

export interface FakeBrowser {
  location: URL;
  history: { readonly length: number; back(): void };
  storage: Map<string, string>;
  document: { documentElement: { lang: string } };
  /** Every URL fetched, in order. */
  requests: URL[];
  /** Every event stream opened, in order. */
  eventSources: FakeEventSource[];
}

function abortError(): Error {
  return new DOMException('The operation was aborted.', 'AbortError');
}

export function installFakeBrowser({ url = 'http://localhost/', api = () => new Answer(404, { error: 'not found' }) }: { url?: string; api?: ApiHandler } = {}): FakeBrowser {
  const location = new URL(url);
  const window = new EventTarget();
  const entries = [location.href];
  let index = 0;
  const go = (to: string | URL | null | undefined) => {
    location.href = new URL(String(to ?? location.href), location.href).href;
  };
  const history = {
    get length() {
      return entries.length;
    },
    pushState(_state: unknown, _title: string, to?: string | URL | null) {
      go(to);
      entries.splice(index + 1, Infinity, location.href);
      index = entries.length - 1;
    },
    replaceState(_state: unknown, _title: string, to?: string | URL | null) {
      go(to);
      entries[index] = location.href;
    },
    back() {
      if (index === 0) return;
      go(entries[--index]);
      window.dispatchEvent(new Event('popstate'));
    },
  };

  const storage = new Map<string, string>();
  const localStorage = {
    getItem: (key: string) => storage.get(key) ?? null,
    setItem: (key: string, value: string) => void storage.set(key, String(value)),
    removeItem: (key: string) => void storage.delete(key),
  };

  // A page's requests share one signal (a board asks a dozen things at once): one listener per signal,
  // each pending request's rejection in its set until answered, as a browser's fetch does it.
  const waiting = new WeakMap<AbortSignal, Set<() => void>>();
  const whenAborted = (signal: AbortSignal, onAbort: () => void): (() => void) => {
    let set = waiting.get(signal);
    if (!set) {
      const fresh = new Set<() => void>();
      signal.addEventListener('abort', () => fresh.forEach((f) => f()), { once: true });
      waiting.set(signal, (set = fresh));
    }
    set.add(onAbort);
    return () => set.delete(onAbort);
  };

  const requests: URL[] = [];
  const fetch = async (input: string | URL, init: RequestInit = {}) => {
    const target = new URL(String(input), location.href);
    requests.push(target);
    const { signal } = init;
    if (signal?.aborted) throw abortError();
    // As with a real fetch, giving up on a request rejects it at once, answered or not.
    const answer = await new Promise((resolve, reject) => {
      const forget = signal ? whenAborted(signal, () => reject(abortError())) : () => {};
      Promise.resolve(api(target))
        .then(resolve, reject)
        .finally(forget);
    });
    // A real Response (a streamed body, headers) goes to the page as it is.
    if (answer instanceof Response) return answer;
    const { status, body } = answer instanceof Answer ? answer : new Answer(200, answer);
    const text = body === undefined ? '' : JSON.stringify(body);
    return { ok: status >= 200 && status < 300, status, statusText: status === 200 ? 'OK' : 'Error', json: async () => JSON.parse(text) as unknown, text: async () => text };
  };

  const eventSources: FakeEventSource[] = [];
  class EventSource extends FakeEventSource {
    constructor(url: string) {
      super(url);
      eventSources.push(this);
    }
  }

  const document = { documentElement: { lang: '' } };
  vi.stubGlobal('location', location);
  vi.stubGlobal('history', history);
  vi.stubGlobal('addEventListener', window.addEventListener.bind(window));
  vi.stubGlobal('removeEventListener', window.removeEventListener.bind(window));
  vi.stubGlobal('localStorage', localStorage);
  vi.stubGlobal('document', document);
  vi.stubGlobal('fetch', fetch);
  vi.stubGlobal('EventSource', EventSource);
  vi.stubGlobal('requestAnimationFrame', (callback: (time: number) => void) => setTimeout(() => callback(performance.now()), 16));
  return { location, history, storage, document, requests, eventSources };
}
