import { Locator, Page } from 'playwright-core';

// Runs in the page, where the DOM exists; the tests compile without the DOM library.
declare const document: { activeElement: unknown };

/** Retries an assertion until it passes or the time is up (playwright-core has no web-first expect). */
export async function eventually(
  assertion: () => Promise<unknown> | unknown,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

export const text = async (locator: Locator) => ((await locator.textContent()) ?? '').trim();

export const hasText = (locator: Locator, expected: string) =>
  eventually(async () => expect(await text(locator)).toBe(expected));

export const containsText = (locator: Locator, expected: string) =>
  eventually(async () => expect(await text(locator)).toContain(expected));

export const isFocused = (locator: Locator) =>
  eventually(async () =>
    expect(await locator.evaluate((element) => element === document.activeElement)).toBe(true),
  );

export const hasCount = (locator: Locator, expected: number) =>
  eventually(async () => expect(await locator.count()).toBe(expected));

export const hasAttribute = (locator: Locator, name: string, expected: string) =>
  eventually(async () => expect(await locator.getAttribute(name)).toBe(expected));

export const hasValue = (locator: Locator, expected: string) =>
  eventually(async () => expect(await locator.inputValue()).toBe(expected));

export const isVisible = (locator: Locator) => locator.waitFor({ state: 'visible' });

export const urlMatches = (page: Page, pattern: RegExp) =>
  eventually(() => expect(page.url()).toMatch(pattern));
