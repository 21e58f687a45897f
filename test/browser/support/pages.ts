import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Page } from 'playwright-core';

// These callbacks run in the page; the tests compile without the DOM library.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const location: { hash: string };
declare const window: any;
declare const HashChangeEvent: any;

export const SCREENSHOTS = join(__dirname, '..', 'screenshots');

/** Opens a dashboard route and waits until the page has loaded its data (main[data-ready]). */
export async function open(page: Page, baseUrl: string, route: string): Promise<void> {
  const path = route.split('?')[0];
  const url = `${baseUrl}/app/#/${route}`;
  if (page.url().startsWith(`${baseUrl}/app/`)) {
    // The same hash fires no hashchange: announce it, so the page is drawn afresh either way.
    await page.evaluate((hash) => {
      if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
      else location.hash = hash;
    }, `#/${route}`);
  } else {
    await page.goto(url);
  }
  await ready(page, path);
}

export async function ready(page: Page, path: string): Promise<void> {
  await page.waitForFunction(
    (expected) => document.querySelector('main')?.dataset.ready === expected,
    path,
  );
}

export async function screenshot(
  page: Page,
  name: string,
  device: 'desktop' | 'phone',
): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-${device}.png`) });
}

/** Form controls without an accessible name (label, aria-label or aria-labelledby). */
export function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('input, select, textarea, button')]
      .filter((element: any) => {
        const control = element;
        if (control.type === 'hidden') return false;
        const labelled =
          (control.labels?.length ?? 0) > 0 ||
          !!control.getAttribute('aria-label') ||
          !!control.getAttribute('aria-labelledby');
        const buttonText = element.tagName === 'BUTTON' && element.textContent!.trim() !== '';
        return !labelled && !buttonText;
      })
      .map((element: any) => element.outerHTML.slice(0, 120)),
  );
}
