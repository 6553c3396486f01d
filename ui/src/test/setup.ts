import { cleanup, configure } from '@testing-library/react';
import { afterEach, beforeEach, vi } from 'vitest';
import i18n from '../i18n';
import { preloadAreaPages } from '../shell/areas';
import { endWorlds } from './render';

// antd in jsdom is slow on a 2-core machine, slower still while cargo builds beside it (CI,
// other work): give async queries time. A wait only runs this long when something is wrong.
configure({ asyncUtilTimeout: 10000 });

// jsdom lacks matchMedia (antd's responsive helpers ask for it).
function matchMedia(query: string): MediaQueryList {
  const list = {
    matches: false,
    media: query,
    onchange: null,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    dispatchEvent: () => false,
  };
  return list as unknown as MediaQueryList;
}
Object.defineProperty(window, 'matchMedia', { writable: true, value: matchMedia });

// jsdom does not implement getComputedStyle for pseudo-elements; antd asks for scrollbar sizes.
const computedStyle = window.getComputedStyle.bind(window);
window.getComputedStyle = (elt: Element) => computedStyle(elt);

// Feature screens are lazy chunks in the app; here they are loaded once, up front.
await preloadAreaPages();

beforeEach(async () => {
  window.localStorage.clear();
  await i18n.changeLanguage('zh-CN');
});

afterEach(async () => {
  cleanup();
  vi.useRealTimers();
  await endWorlds();
});
