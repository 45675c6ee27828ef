import { afterEach, describe, expect, test, vi } from 'vitest';
import { installFakeBrowser, type FakeBrowser } from './fake-browser.ts';
import type { Route } from './router.svelte.ts';

type RouterModule = typeof import('./router.svelte.ts');

/** The router reads the address bar when it loads: a fresh one for each test, opened at `url`. */
async function open(url = 'http://localhost/'): Promise<{ browser: FakeBrowser } & RouterModule> {
  const browser = installFakeBrowser({ url });
  vi.resetModules();
  return { browser, ...(await import('./router.svelte.ts')) };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('routes', () => {
  test.each<[string, Route]>([
    ['/', 'board'],
    ['/board', 'board'],
    ['/wall', 'wall'],
    ['/sql', 'sql'],
    ['/data', 'data'],
    ['/briefings', 'briefings'],
    ['/login', 'login'],
  ])('%s opens the %s page', async (path, route) => {
    const { router } = await open(`http://localhost${path}`);
    expect(router.route).toBe(route);
  });

  test('a trailing slash opens the same page, a query does not change it', async () => {
    const { router } = await open('http://localhost/wall/?slide=2');
    expect(router.route).toBe('wall');
  });

  test.each(['/nowhere', '/board/extra', '/SQL', '/api/kpis'])('%s is not a page', async (path) => {
    const { router } = await open(`http://localhost${path}`);
    expect(router.route).toBe('notFound');
  });
});

describe('query parameters', () => {
  test('are read from the address bar the page was opened at', async () => {
    const { router } = await open('http://localhost/?period=2026-08&region=330300');
    expect(router.params.get('period')).toBe('2026-08');
    expect(router.params.get('region')).toBe('330300');
    expect(router.params.get('segment')).toBeNull();
  });

  test('setParams sets, replaces and removes filters without adding a history entry', async () => {
    const { router, browser } = await open('http://localhost/board?period=2026-08&sort=arpu');
    router.setParams({ period: '2026-09', region: '330300', sort: null, segment: '' });
    expect(browser.location.pathname).toBe('/board');
    expect(Object.fromEntries(browser.location.searchParams)).toEqual({ period: '2026-09', region: '330300' });
    expect(router.params.get('period')).toBe('2026-09');
    expect(router.route).toBe('board');
    expect(browser.history.length).toBe(1);
  });

  test('clearing every filter leaves a bare path, not a dangling ?', async () => {
    const { router, browser } = await open('http://localhost/?region=330300');
    router.setParams({ region: null });
    expect(browser.location.href).toBe('http://localhost/');
    expect(router.search).toBe('');
  });
});

describe('navigation', () => {
  test('navigate changes the page and adds a history entry the back button returns through', async () => {
    const { router, browser } = await open('http://localhost/');
    router.navigate('/sql');
    expect(router.route).toBe('sql');
    expect(browser.location.pathname).toBe('/sql');
    router.navigate('/data?load=3');
    expect(router.route).toBe('data');
    expect(router.params.get('load')).toBe('3');
    expect(browser.history.length).toBe(3);

    browser.history.back();
    expect(router.route).toBe('sql');
    expect(router.params.get('load')).toBeNull();
    browser.history.back();
    expect(router.route).toBe('board');
  });

  test('replace swaps the current entry instead of adding one', async () => {
    const { router, browser } = await open('http://localhost/board');
    router.navigate('/login?next=%2Fboard', { replace: true });
    expect(router.route).toBe('login');
    expect(router.params.get('next')).toBe('/board');
    expect(browser.history.length).toBe(1);
  });

  test('navigating to the address already shown adds nothing', async () => {
    const { router, browser } = await open('http://localhost/wall?slide=1');
    router.navigate('/wall?slide=1');
    expect(browser.history.length).toBe(1);
    router.navigate('/wall');
    expect(browser.history.length).toBe(2);
    expect(router.search).toBe('');
  });

  test('an unknown path is shown as not found, and the router still navigates from it', async () => {
    const { router } = await open('http://localhost/');
    router.navigate('/reports');
    expect(router.route).toBe('notFound');
    router.navigate('/');
    expect(router.route).toBe('board');
  });
});

describe('links', () => {
  function anchor(href: string) {
    const node = Object.assign(new EventTarget(), { getAttribute: (name: string) => (name === 'href' ? href : null) });
    return node as unknown as HTMLAnchorElement;
  }
  function click(node: HTMLAnchorElement, init: Partial<Pick<MouseEvent, 'button' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>> = {}): Event {
    const event = Object.assign(new Event('click', { cancelable: true }), { button: 0, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...init });
    node.dispatchEvent(event);
    return event;
  }

  test('a plain click follows the link without a page load', async () => {
    const { router, link } = await open('http://localhost/');
    const node = anchor('/briefings');
    link(node);
    const event = click(node);
    expect(event.defaultPrevented).toBe(true);
    expect(router.route).toBe('briefings');
  });

  test.each([{ ctrlKey: true }, { metaKey: true }, { shiftKey: true }, { altKey: true }, { button: 1 }])('a click with %o is left to the browser (new tab, window)', async (init) => {
    const { router, link } = await open('http://localhost/');
    const node = anchor('/sql');
    link(node);
    const event = click(node, init);
    expect(event.defaultPrevented).toBe(false);
    expect(router.route).toBe('board');
  });

  test('after destroy the link no longer navigates', async () => {
    const { router, link } = await open('http://localhost/');
    const node = anchor('/sql');
    link(node).destroy();
    click(node);
    expect(router.route).toBe('board');
  });
});

describe('pages by role', () => {
  const routes: Route[] = ['board', 'wall', 'sql', 'data', 'briefings', 'login', 'notFound'];

  test('only users who may write SQL open the SQL and data pages; every role opens the rest', async () => {
    const { mayOpen } = await open();
    const open_ = (canSql: boolean) => routes.filter((r) => mayOpen(r, { canSql }));
    expect(open_(true)).toEqual(routes);
    expect(open_(false)).toEqual(['board', 'wall', 'briefings', 'login', 'notFound']);
  });

  test('a signed-out user goes to the login page, which remembers the page asked for', async () => {
    const { redirectFor } = await open();
    expect(redirectFor('sql', false, '/sql?x=1', null)).toBe('/login?next=%2Fsql%3Fx%3D1');
    expect(redirectFor('board', false, '/', null)).toBe('/login');
    expect(redirectFor('notFound', false, '/nowhere', null)).toBe('/login?next=%2Fnowhere');
    expect(redirectFor('login', false, '/login?next=%2Fsql', '/sql')).toBeNull();
  });

  test('after signing in the user goes on to that page, never to another site', async () => {
    const { redirectFor } = await open();
    expect(redirectFor('login', true, '/login?next=%2Fsql', '/sql?x=1')).toBe('/sql?x=1');
    expect(redirectFor('login', true, '/login', null)).toBe('/');
    expect(redirectFor('login', true, '/login', '//evil.example/')).toBe('/');
    expect(redirectFor('login', true, '/login', 'https://evil.example/')).toBe('/');
    expect(redirectFor('board', true, '/', null)).toBeNull();
  });
});
