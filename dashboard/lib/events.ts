// Server-sent events (GET /api/events): the board refreshes itself when a load or a model run lands.
// EventSource reconnects by itself; the status callback lets the page say when it is offline.
import type { LoadEvent, ModelsEvent } from './types.ts';

export interface EventHandlers {
  models?: (e: ModelsEvent) => void;
  load?: (e: LoadEvent) => void;
  progress?: (e: { job: string; done: number; total: number }) => void;
  status?: (open: boolean) => void;
}

export function subscribe(handlers: EventHandlers): () => void {
  const source = new EventSource('/api/events', { withCredentials: true });
  const on = <T>(name: string, fn?: (data: T) => void) => {
    if (!fn) return;
    source.addEventListener(name, (e) => {
      try {
        fn(JSON.parse((e as MessageEvent<string>).data) as T);
      } catch {
        // a malformed event is skipped; the next refresh corrects anything it would have said
      }
    });
  };
  on('models', handlers.models);
  on('load', handlers.load);
  on('progress', handlers.progress);
  source.addEventListener('open', () => handlers.status?.(true));
  source.addEventListener('error', () => handlers.status?.(source.readyState === EventSource.OPEN));
  return () => source.close();
}
