import { existsSync } from 'node:fs';
import { Browser, BrowserContext, chromium, ConsoleMessage, Page } from 'playwright-core';

/** Debian's chromium package; .ci/run installs it when missing. */
export const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    // Never skip: a missing browser must fail the run (CI installs it).
    throw new Error(
      `${CHROMIUM} not found: install Debian's chromium package (apt-get install -y chromium)`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}

/** Every console error and uncaught page error of every page, for the run's final check. */
export class ErrorLog {
  readonly entries: string[] = [];

  watch(page: Page, label: string): Page {
    page.on('console', (message: ConsoleMessage) => {
      if (message.type() === 'error') {
        this.entries.push(`[${label}] console: ${message.text()} @ ${message.location().url}`);
      }
    });
    page.on('pageerror', (error) => this.entries.push(`[${label}] pageerror: ${error.message}`));
    return page;
  }
}

export async function newPage(
  browser: Browser,
  log: ErrorLog,
  label: string,
  viewport: { width: number; height: number },
  options: { timezoneId?: string; locale?: string } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport,
    timezoneId: options.timezoneId,
    locale: options.locale ?? 'en-GB',
    acceptDownloads: true,
  });
  const page = log.watch(await context.newPage(), label);
  page.setDefaultTimeout(15_000);
  return { context, page };
}
