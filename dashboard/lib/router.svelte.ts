// History-API routing over a handful of fixed paths. The server answers every non-API path with
// index.html, so /wall or /sql can be opened (or reloaded) directly.

export type Route = 'board' | 'wall' | 'league' | 'sql' | 'data' | 'briefings' | 'targets' | 'alerts' | 'audit' | 'login' | 'notFound';

const PATHS: Record<string, Route> = {
  '/': 'board',
  '/board': 'board',
  '/wall': 'wall',
  '/league': 'league',
  '/sql': 'sql',
  '/data': 'data',
  '/briefings': 'briefings',
  '/targets': 'targets',
  '/alerts': 'alerts',
  '/audit': 'audit',
  '/login': 'login',
};

class Router {
  path = $state(location.pathname);
  search = $state(location.search);

  constructor() {
    addEventListener('popstate', () => this.sync());
  }

  get route(): Route {
    return PATHS[this.path.replace(/\/+$/, '') || '/'] ?? 'notFound';
  }

  get params(): URLSearchParams {
    return new URLSearchParams(this.search);
  }

  navigate(to: string, { replace = false } = {}): void {
    if (to === location.pathname + location.search) return;
    if (replace) history.replaceState(null, '', to);
    else history.pushState(null, '', to);
    this.sync();
  }

  /** Keeps filters in the address bar (shareable, survive a reload) without adding history entries. */
  setParams(params: Record<string, string | null>): void {
    const q = new URLSearchParams(location.search);
    for (const [k, v] of Object.entries(params)) {
      if (v === null || v === '') q.delete(k);
      else q.set(k, v);
    }
    const s = q.toString();
    history.replaceState(null, '', location.pathname + (s ? `?${s}` : ''));
    this.search = location.search;
  }

  private sync(): void {
    this.path = location.pathname;
    this.search = location.search;
  }
}

export const router = new Router();

/** Pages a role may open (SQL, data loads and the targets loaded are for analysts and admins, alert rules for admins); the server refuses the same things anyway. */
export function mayOpen(route: Route, user: { canSql: boolean; isAdmin?: boolean }): boolean {
  if (route === 'sql' || route === 'data' || route === 'targets') return user.canSql;
  if (route === 'alerts' || route === 'audit') return user.isAdmin === true;
  return true;
}

/**
 * Where the shell sends a user, or null to stay: signed out, to the login page (remembering the page
 * asked for); signed in on the login page, on to that page — a path on this site only, never another.
 */
export function redirectFor(route: Route, signedIn: boolean, here: string, next: string | null): string | null {
  if (!signedIn && route !== 'login') return here === '/' ? '/login' : `/login?next=${encodeURIComponent(here)}`;
  if (signedIn && route === 'login') return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
  return null;
}

/** Follows same-origin links without a page load; modified clicks keep the browser's behaviour. */
export function link(node: HTMLAnchorElement): { destroy: () => void } {
  const onClick = (e: MouseEvent) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    router.navigate(node.getAttribute('href') ?? '/');
  };
  node.addEventListener('click', onClick);
  return { destroy: () => node.removeEventListener('click', onClick) };
}
