import { afterEach, describe, expect, test, vi } from 'vitest';
import { installFakeBrowser, type FakeBrowser } from './fake-browser.ts';
import { statusKey } from './loads.ts';
import { MESSAGES, type MessageKey } from './messages.ts';
import type { Role } from './types.ts';

/** A page load: i18n picks its language when it loads, so each call imports it afresh. */
async function load(): Promise<typeof import('./i18n.svelte.ts')['i18n']> {
  vi.resetModules();
  return (await import('./i18n.svelte.ts')).i18n;
}

function browserAt(url = 'http://localhost/', stored?: string): FakeBrowser {
  const browser = installFakeBrowser({ url });
  if (stored) browser.storage.set('tca.lang', stored);
  return browser;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the display language', () => {
  test('is Chinese by default, and the page says so to the browser and screen readers', async () => {
    const browser = browserAt();
    const i18n = await load();
    expect(i18n.lang).toBe('zh');
    expect(browser.document.documentElement.lang).toBe('zh-CN');
    expect(i18n.t('nav.board')).toBe('经营看板');
  });

  test('is English when the user chose English before', async () => {
    const browser = browserAt('http://localhost/', 'en');
    const i18n = await load();
    expect(i18n.lang).toBe('en');
    expect(browser.document.documentElement.lang).toBe('en');
    expect(i18n.t('nav.board')).toBe('KPI board');
  });

  test('?lang= in the address wins over the remembered choice', async () => {
    browserAt('http://localhost/wall?lang=zh', 'en');
    expect((await load()).lang).toBe('zh');
    browserAt('http://localhost/wall?lang=en');
    expect((await load()).lang).toBe('en');
  });

  test('an unknown ?lang= or stored value falls back to Chinese', async () => {
    browserAt('http://localhost/?lang=fr', 'de');
    expect((await load()).lang).toBe('zh');
  });

  test('the switch changes every message at once, and is remembered for the next visit', async () => {
    const browser = browserAt();
    const i18n = await load();
    i18n.toggle();
    expect(i18n.lang).toBe('en');
    expect(i18n.t('filter.province')).toBe('Province');
    expect(browser.document.documentElement.lang).toBe('en');
    expect(browser.storage.get('tca.lang')).toBe('en');

    expect((await load()).lang).toBe('en');

    i18n.toggle();
    expect(i18n.lang).toBe('zh');
    expect(i18n.t('filter.province')).toBe('全省');
    expect(browser.document.documentElement.lang).toBe('zh-CN');
    expect(browser.storage.get('tca.lang')).toBe('zh');
  });
});

describe('messages', () => {
  test('both languages name the same messages, none of them empty', () => {
    const keys = Object.keys(MESSAGES.zh).sort();
    expect(Object.keys(MESSAGES.en).sort()).toEqual(keys);
    for (const lang of ['zh', 'en'] as const) {
      for (const key of keys) expect(MESSAGES[lang][key as MessageKey], `${lang} ${key}`).not.toBe('');
    }
  });

  test('every role the navigation bar names has a label in both languages', () => {
    const roles: Role[] = ['executive', 'analyst', 'regional', 'admin'];
    for (const role of roles) {
      expect(MESSAGES.zh[`role.${role}` as MessageKey]).toBeTruthy();
      expect(MESSAGES.en[`role.${role}` as MessageKey]).toBeTruthy();
    }
  });

  test("a load's status reads as a word in both languages; an unknown status reads as failed", () => {
    expect(['loaded', 'duplicate', 'refused'].map((s) => MESSAGES.en[statusKey(s)])).toEqual(['Loaded', 'Duplicate', 'Refused']);
    expect(MESSAGES.zh[statusKey('loaded')]).toBe('已装载');
    expect(statusKey('crashed')).toBe('data.failed');
    expect(MESSAGES.zh[statusKey('error')]).toBe('失败');
  });
});
