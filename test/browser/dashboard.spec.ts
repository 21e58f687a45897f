import { Browser, BrowserContext, Page } from 'playwright-core';
import { DemoApp, startDemoApp } from './support/demo-app';
import { DESKTOP, ErrorLog, launchChromium, newPage, PHONE } from './support/chromium';
import {
  containsText,
  hasAttribute,
  hasCount,
  hasText,
  hasValue,
  isFocused,
  isVisible,
  urlMatches,
} from './support/eventually';
import { open, ready, screenshot, unlabelledControls } from './support/pages';

// Runs in the page; the tests compile without the DOM library.
declare const localStorage: { getItem(key: string): string | null };

/**
 * The dashboard in a real browser (Debian's chromium through playwright-core) against the real
 * app over generated demo data: the must-show paths, keyboard use, labelled controls,
 * screenshots of every page at both sizes, and no console errors over the whole run.
 */
const ZONE = 'Asia/Shanghai';
const STAGE = { proposal: 'Proposal / quote', sample: 'Sample / testing' };

interface FunnelRow {
  stage: string;
  entered: number;
  advanced: number;
}

describe('web dashboard in Chromium', () => {
  jest.setTimeout(90_000);
  const log = new ErrorLog();
  let demo: DemoApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let moved: { id: string; title: string };

  beforeAll(async () => {
    [demo, browser] = await Promise.all([startDemoApp(), launchChromium()]);
    ({ context, page } = await newPage(browser, log, 'desktop', DESKTOP, { timezoneId: ZONE }));
  }, 240_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await demo?.running.stop();
  });

  const base = () => demo.running.baseUrl;

  /** The funnel table on the reports page: stage label → entered, advanced. */
  async function funnelFromPage(): Promise<FunnelRow[]> {
    await open(page, base(), 'reports');
    const region = page.getByRole('region', { name: 'Funnel: stage conversion' });
    const rows = region.locator('tbody tr');
    const count = await rows.count();
    const out: FunnelRow[] = [];
    for (let n = 0; n < count; n++) {
      const cells = await rows.nth(n).locator('td').allTextContents();
      out.push({ stage: cells[0], entered: number(cells[1]), advanced: number(cells[2]) });
    }
    return out;
  }

  it('signs in with email and password', async () => {
    await page.goto(`${base()}/app/`);
    await ready(page, 'sign-in');
    await screenshot(page, 'sign-in', 'desktop');
    expect(await unlabelledControls(page)).toEqual([]);
    await page.getByLabel('Email').fill(demo.manager.email);
    await page.getByLabel('Password').fill(demo.manager.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await ready(page, 'queue');
    await containsText(page.locator('header'), demo.manager.name);
    await hasText(page.locator('main h1'), 'My queue');
  });

  it("shows the demo data's funnel, as the API reports it", async () => {
    const api = await demo.api(`/api/reports/stage-conversion?tz=${encodeURIComponent(ZONE)}`);
    const shown = await funnelFromPage();
    const expected = api.rows.map(
      (row: { stageLabel: string; entered: number; advanced: number }) => ({
        stage: row.stageLabel,
        entered: row.entered,
        advanced: row.advanced,
      }),
    );
    expect(shown).toEqual(expected);
    // Real demo histories: every stage was entered, and deals moved on.
    expect(shown.map((row) => row.stage)).toEqual([
      'Initial contact',
      STAGE.proposal,
      STAGE.sample,
      'Negotiation / terms',
    ]);
    for (const row of shown) expect(row.entered).toBeGreaterThan(0);
    await hasCount(page.locator('.reports canvas'), 8);
  });

  it("breaks one rep's reports down by channel (the forecast, which keeps one filter, ungrouped)", async () => {
    const facts = await demo.api('/api/reports/deal-facts?limit=1');
    const owner = facts.items[0]?.ownerId;
    expect(typeof owner).toBe('string');
    const api = await demo.api(
      `/api/reports/stage-conversion?tz=${encodeURIComponent(ZONE)}&owner=${owner}&groupBy=channel`,
    );
    expect(api.groups.length).toBeGreaterThan(0);
    await open(page, base(), `reports?dimension=owner&value=${owner}&groupBy=channel`);
    await hasCount(page.locator('.reports canvas'), 8);
    expect(await page.locator('main').textContent()).not.toContain('is not supported');
  });

  it('drags a deal to the next stage through the command API, and the funnel changes', async () => {
    const candidate = await dealThatNeverReached('sample');
    const before = await funnelFromPage();
    await open(page, base(), 'board');
    const card = page.locator(`[data-deal="${candidate.id}"]`);
    await hasAttribute(card, 'data-stage', 'proposal');
    const command = page.waitForResponse((response) =>
      response.url().endsWith(`/api/deals/${candidate.id}/stage`),
    );
    await card.dragTo(page.locator('section.column[data-stage="sample"] header'));
    const response = await command;
    expect(response.request().method()).toBe('POST');
    expect(response.request().postDataJSON()).toEqual({ to: 'sample' });
    expect(response.status()).toBe(200);
    await containsText(page.locator('.board-message'), `moved to ${STAGE.sample}`);
    await isVisible(
      page.locator(`section.column[data-stage="sample"] [data-deal="${candidate.id}"]`),
    );
    const deal = await demo.api(`/api/deals/${candidate.id}`);
    expect(deal.state.stage).toBe('sample');

    const after = await funnelFromPage();
    const row = (rows: FunnelRow[], stage: string) => rows.find((r) => r.stage === stage)!;
    expect(row(after, STAGE.sample).entered).toBe(row(before, STAGE.sample).entered + 1);
    expect(row(after, STAGE.proposal).advanced).toBe(row(before, STAGE.proposal).advanced + 1);
    moved = candidate;
  });

  it('moves a deal with the keyboard alone: stage chooser, then Move', async () => {
    const candidate = await dealThatNeverReached('sample');
    await open(page, base(), 'board');
    await page.locator(`[data-deal="${candidate.id}"] h3 a`).focus();
    await page.keyboard.press('Tab'); // the account link
    await page.keyboard.press('Tab'); // the stage chooser
    const chooser = page.getByLabel(`Move “${candidate.title}” to stage`);
    await isFocused(chooser);
    await page.keyboard.press('ArrowDown'); // the next stage
    await hasValue(chooser, 'sample');
    await page.keyboard.press('Tab');
    await isFocused(page.getByRole('button', { name: `Move: ${candidate.title}` }));
    await page.keyboard.press('Enter');
    await containsText(
      page.locator('.board-message'),
      `“${candidate.title}” moved to ${STAGE.sample}`,
    );
    expect((await demo.api(`/api/deals/${candidate.id}`)).state.stage).toBe('sample');
  });

  it('shows a missing entry requirement from its code, translated, without sending the move', async () => {
    const board = await demo.api('/api/reports/pipeline?limit=50');
    const unpriced = board.columns
      .find((column: { stage: string }) => column.stage === 'initial_contact')
      .cards.find((card: { amount: unknown }) => card.amount === null);
    expect(unpriced).toBeDefined();
    await open(page, base(), 'board');
    let sent = false;
    page.on('request', (request) => {
      if (request.url().endsWith(`/api/deals/${unpriced.id}/stage`)) sent = true;
    });
    await page
      .locator(`[data-deal="${unpriced.id}"]`)
      .dragTo(page.locator('section.column[data-stage="proposal"] header'));
    const alert = page.locator('.board-message [role="alert"]');
    await hasText(
      alert,
      `Before entering ${STAGE.proposal}, the deal needs an amount, an Incoterm.`,
    );
    expect(sent).toBe(false);
    await page.getByLabel('Language').selectOption('zh');
    await page
      .locator(`[data-deal="${unpriced.id}"]`)
      .dragTo(page.locator('section.column[data-stage="proposal"] header'));
    await hasText(alert, '进入方案/报价之前，商机还需要：金额、贸易术语。');
    await page.getByLabel('语言').selectOption('en');
    await ready(page, 'board');
  });

  it('opens a deal as of a past date', async () => {
    const history = await demo.api(`/api/deals/${moved.id}/history`);
    const intoProposal = history
      .filter(
        (entry: { type: string; data: { to?: string } }) =>
          entry.type === 'DealStageChanged' && entry.data.to === 'proposal',
      )
      .at(-1);
    expect(intoProposal).toBeDefined();
    const asOf = new Date(Date.parse(intoProposal.occurredAt) + 120_000);
    asOf.setUTCSeconds(0, 0);
    await open(page, base(), `deals/${moved.id}`);
    await containsText(page.locator('.stages [aria-current="step"]'), STAGE.sample);
    await page.getByLabel('Show the deal as of date').fill(localInput(asOf, ZONE));
    await page.getByRole('button', { name: 'Show as of' }).click();
    await ready(page, `deals/${moved.id}`);
    await urlMatches(page, new RegExp(`asOf=${encodeURIComponent(asOf.toISOString())}`));
    await containsText(page.locator('main [role="status"]'), 'Shown as it stood on');
    await containsText(page.locator('.stages [aria-current="step"]'), STAGE.proposal);
    const then = await demo.api(`/api/deals/${moved.id}?asOf=${asOf.toISOString()}`);
    expect(then.state.stage).toBe('proposal');
    const shownEvents = history.filter(
      (entry: { occurredAt: string }) => Date.parse(entry.occurredAt) <= asOf.getTime(),
    );
    const region = page.getByRole('region', { name: 'Full history' });
    await hasCount(region.locator('tbody tr'), shownEvents.length);
    // Times are in the user's zone: the last entry shown, at its Shanghai wall-clock time.
    const last = shownEvents.at(-1);
    await containsText(
      region.locator('tbody tr').last().locator('td').first(),
      hhmm(last.occurredAt, ZONE),
    );
    await screenshot(page, 'deal-as-of', 'desktop');
  });

  it('runs a what-if beside the policy in force', async () => {
    const inForce = await demo.api('/api/policies/sla.default');
    await open(page, base(), 'operations');
    await isVisible(
      page.getByRole('heading', { name: `In force: sla.default v${inForce.version}` }),
    );
    await page.getByLabel('Candidate first-response target (minutes)').fill('60');
    const answer = page.waitForResponse((response) =>
      response.url().endsWith('/api/policies/what-if'),
    );
    await page.getByRole('button', { name: 'Run what-if' }).click();
    const response = await answer;
    expect(response.status()).toBe(200);
    expect(response.request().postDataJSON().policy.firstResponse.targetMinutes).toBe(60);
    const body = await response.json();
    const results = page.locator('.what-if-results');
    await isVisible(results);
    const header = await results.locator('thead th').allTextContents();
    expect(header).toEqual(['Measure', 'Candidate', 'Policy in force']);
    const started = results
      .locator('tbody tr', { hasText: 'Clocks started (first response)' })
      .locator('td');
    await hasText(started.nth(1), String(body.candidate.runs.first_response.started));
    await hasText(started.nth(2), String(body.inForce.runs.first_response.started));
    await containsText(
      results,
      `Recorded automation decisions in the period: ${body.actual.decisions}`,
    );
  });

  it('searches from the box on every page', async () => {
    await open(page, base(), 'queue');
    const box = page.getByLabel('Search accounts, contacts, leads and deals');
    await box.fill('GmbH');
    await box.press('Enter');
    await ready(page, 'search');
    const api = await demo.api('/api/search?q=GmbH&limit=50');
    expect(api.results.length).toBeGreaterThan(0);
    const titles = await page.locator('main tbody tr td:nth-child(2)').allTextContents();
    expect(titles).toEqual(api.results.map((result: { title: string }) => result.title));
    await page.locator('main tbody tr a').first().click();
    await ready(page, `${api.results[0].kind}s/${api.results[0].id}`);
    await containsText(page.locator('main h1'), api.results[0].title);
  });

  it('switches the language, and remembers it', async () => {
    await open(page, base(), 'board');
    await page.getByLabel('Language').selectOption('zh');
    await ready(page, 'board');
    await hasAttribute(page.locator('html'), 'lang', 'zh-CN');
    await isVisible(page.getByRole('link', { name: '我的待办' }));
    await hasText(page.locator('main h1'), '销售管道看板');
    await isVisible(page.getByRole('heading', { name: '方案/报价' }));
    await page.reload();
    await ready(page, 'board');
    expect(await page.evaluate(() => localStorage.getItem('tradeflow.language'))).toBe('zh');
    await hasText(page.locator('main h1'), '销售管道看板');
    // Every English text has its Chinese one.
    const missing = await page.evaluate(`(async () => {
      const { EN } = await import('/app/js/i18n-en.js');
      const { ZH } = await import('/app/js/i18n-zh.js');
      return Object.keys(EN).filter((key) => !(key in ZH));
    })()`);
    expect(missing).toEqual([]);
    await screenshot(page, 'board-zh', 'desktop');
    await page.getByLabel('语言').selectOption('en');
    await ready(page, 'board');
    await hasText(page.locator('main h1'), 'Pipeline board');
  });

  it('reaches the content by keyboard: the skip link', async () => {
    await page.reload();
    await ready(page, 'board');
    await page.keyboard.press('Tab');
    await isFocused(page.locator('#skip-link'));
    await page.keyboard.press('Enter');
    await isFocused(page.locator('main h1'));
  });

  it('saves every page at 1280×800 and 390×844, with every control labelled', async () => {
    const deal = moved.id;
    const account = (await demo.api(`/api/deals/${deal}`)).state.accountId;
    const routes: Array<[string, string]> = [
      ['queue', 'queue'],
      ['board', 'board'],
      ['reports', 'reports'],
      ['deal', `deals/${deal}`],
      ['account', `accounts/${account}`],
      ['operations', 'operations'],
      ['audit', 'audit'],
      ['search', 'search?q=valves'],
    ];
    const phone = await newPage(browser, log, 'phone', PHONE, { timezoneId: 'Europe/Berlin' });
    try {
      await phone.page.goto(`${base()}/app/`);
      await ready(phone.page, 'sign-in');
      await screenshot(phone.page, 'sign-in', 'phone');
      await phone.page.getByLabel('Email').fill(demo.manager.email);
      await phone.page.getByLabel('Password').fill(demo.manager.password);
      await phone.page.getByRole('button', { name: 'Sign in' }).click();
      await ready(phone.page, 'queue');
      for (const [name, route] of routes) {
        for (const [device, target] of [
          ['desktop', page],
          ['phone', phone.page],
        ] as const) {
          await open(target, base(), route);
          if (name === 'reports') await isVisible(target.locator('.reports canvas').first());
          expect({ page: name, device, unlabelled: await unlabelledControls(target) }).toEqual({
            page: name,
            device,
            unlabelled: [],
          });
          await screenshot(target, name, device);
        }
      }
    } finally {
      await phone.context.close();
    }
  }, 180_000);

  it('produced no console errors and no page errors in the whole run', () => {
    expect(log.entries).toEqual([]);
  });

  /** A proposal card (opened in the last year) whose deal never entered `stage` or anything later. */
  async function dealThatNeverReached(stage: string): Promise<{ id: string; title: string }> {
    const board = await demo.api('/api/reports/pipeline?limit=50');
    const cards = board.columns.find(
      (column: { stage: string }) => column.stage === 'proposal',
    ).cards;
    const yearAgo = Date.now() - 360 * 86_400_000;
    for (const card of cards) {
      if (card.id === moved?.id) continue;
      const deal = await demo.api(`/api/deals/${card.id}`);
      const history = await demo.api(`/api/deals/${card.id}/history`);
      const opened = Date.parse(history[0].occurredAt);
      const later = ['sample', 'negotiation'];
      if (
        opened > yearAgo &&
        !deal.state.stagesEntered.some((entered: string) => later.includes(entered)) &&
        later.includes(stage)
      ) {
        return { id: card.id, title: card.title };
      }
    }
    throw new Error('the demo data has no proposal deal that never reached a later stage');
  }
});

const number = (text: string) => Number(text.replace(/[^\d.-]/g, ''));

/** The datetime-local value of an instant in a zone. */
function localInput(instant: Date, zone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    })
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

const hhmm = (iso: string, zone: string) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
