// Server-sent events (GET /api/events): the board refreshes itself when a load or a model run lands,
// and the alert banner hears of alerts. One stream per page, shared by every subscriber (the server
// caps the streams a user may hold); it closes with the last one. EventSource reconnects by itself;
// the status callback lets the page say when it is offline.
import type { AlertEvent, LoadEvent, ModelsEvent } from './types.ts';

export interface EventHandlers {
  models?: (e: ModelsEvent) => void;
  load?: (e: LoadEvent) => void;
  progress?: (e: { job: string; done: number; total: number }) => void;
  alert?: (e: AlertEvent) => void;
  status?: (open: boolean) => void;
}

const NAMES = ['models', 'load', 'progress', 'alert'] as const;

let source: EventSource | null = null;
const subscribers = new Set<EventHandlers>();

function open(): EventSource {
  const s = new EventSource('/api/events', { withCredentials: true });
  for (const name of NAMES) {
    s.addEventListener(name, (e) => {
      let data: unknown;
      try {
        data = JSON.parse((e as MessageEvent<string>).data);
      } catch {
        // a malformed event is skipped; the next refresh corrects anything it would have said
        return;
      }
      for (const h of [...subscribers]) (h[name] as ((d: unknown) => void) | undefined)?.(data);
    });
  }
  s.addEventListener('open', () => {
    for (const h of [...subscribers]) h.status?.(true);
  });
  s.addEventListener('error', () => {
    for (const h of [...subscribers]) h.status?.(s.readyState === EventSource.OPEN);
  });
  return s;
}

export function subscribe(handlers: EventHandlers): () => void {
  const handle = { ...handlers };
  subscribers.add(handle);
  source ??= open();
  if (source.readyState === EventSource.OPEN) handle.status?.(true);
  return () => {
    subscribers.delete(handle);
    if (subscribers.size === 0 && source) {
      source.close();
      source = null;
    }
  };
}
