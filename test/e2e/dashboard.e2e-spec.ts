import { httpClient } from './http-client';
import { RunningApp, startApp } from './http-app';

/**
 * The dashboard's files are served by the app itself, without a token (they hold no data), while
 * every API route the pages call still asks for one.
 */
describe('web dashboard files', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startApp();
  });
  afterAll(() => running.stop());

  const raw = (path: string, init: RequestInit = {}) =>
    fetch(`${running.baseUrl}${path}`, { redirect: 'manual', ...init });

  it('redirects / to the dashboard', async () => {
    const response = await raw('/');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/app/');
  });

  it.each(['/app', '/app/'])(
    'serves the page at %s without a token, locked to its own origin',
    async (path) => {
      const response = await raw(path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
      const html = await response.text();
      expect(html).toContain('<script type="module" src="js/app.js"></script>');
      expect(html).toContain('<base href="/app/" />');
    },
  );

  it('serves scripts, styles and the chart library from node_modules', async () => {
    const script = await raw('/app/js/app.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(await script.text()).toContain("from './api.js'");
    const page = await raw('/app/js/pages/board.js');
    expect(page.status).toBe(200);
    const styles = await raw('/app/styles.css');
    expect(styles.headers.get('content-type')).toMatch(/^text\/css/);
    const chart = await raw('/app/vendor/chart.umd.min.js');
    expect(chart.status).toBe(200);
    expect(chart.headers.get('content-type')).toMatch(/javascript/);
    expect(await chart.text()).toMatch(/Chart\.js v4\./);
  });

  it('answers 404 for unknown files and never serves outside its folder', async () => {
    for (const path of [
      '/app/nope.js',
      '/app/vendor/unknown.js',
      '/app/%2e%2e/dashboard.controller.ts',
      '/app/js/%2e%2e/%2e%2e/dashboard.module.ts',
      '/app/..%2f..%2fpackage.json',
      '/app/.hidden',
    ]) {
      const response = await raw(path);
      const text = await response.text();
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
      expect(text).not.toContain('@nestjs');
      expect(text).not.toContain('"dependencies"');
    }
    const problem = await (await raw('/app/nope.js')).json();
    expect(problem).toMatchObject({ status: 404, code: 'dashboard.file_not_found' });
  });

  it('keeps the API behind sign-in, as the pages use it', async () => {
    const anonymous = await httpClient(running.baseUrl).get('/api/reports/pipeline');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe('auth.unauthenticated');
    const manager = httpClient(running.baseUrl, { id: 'u-dashboard-manager', role: 'manager' });
    expect((await manager.get('/api/reports/pipeline')).status).toBe(200);
  });

  it('leaves the dashboard out of the API description', async () => {
    const document = (await (await raw('/api/docs/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const paths = Object.keys(document.paths);
    expect(paths.filter((path) => path === '/' || path.startsWith('/app'))).toEqual([]);
    // The dashboard finds optional features here, so the routes it looks for must be described.
    expect(document.paths['/api/deals/{id}'].get).toBeDefined();
  });
});
