// The display language: zh-CN unless the user switched (remembered in localStorage). Reading
// `i18n.lang` or calling `i18n.t` inside a component makes it re-render on a switch.
import type { Lang } from '../../charts/format.ts';
import { MESSAGES, type MessageKey } from './messages.ts';

const STORAGE_KEY = 'tca.lang';

function initial(): Lang {
  const url = new URLSearchParams(location.search).get('lang');
  if (url === 'en' || url === 'zh') return url;
  return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
}

class I18n {
  lang = $state<Lang>(initial());

  constructor() {
    this.apply();
  }

  t = (key: MessageKey): string => MESSAGES[this.lang][key];

  set(lang: Lang): void {
    this.lang = lang;
    localStorage.setItem(STORAGE_KEY, lang);
    this.apply();
  }

  toggle(): void {
    this.set(this.lang === 'zh' ? 'en' : 'zh');
  }

  private apply(): void {
    document.documentElement.lang = this.lang === 'zh' ? 'zh-CN' : 'en';
  }
}

export const i18n = new I18n();
