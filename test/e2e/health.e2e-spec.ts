import { httpClient } from './http-client';
import { startApp, RunningApp } from './http-app';

describe('health and readiness (HTTP)', () => {
  let running: RunningApp;
  beforeAll(async () => (running = await startApp()));
  afterAll(() => running.stop());

  it('GET /health answers 200 ok, without a token', async () => {
    const response = await fetch(`${running.baseUrl}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('GET /ready answers 200 when the event store answers', async () => {
    const response = await fetch(`${running.baseUrl}/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', eventStore: 'sqlite' });
  });

  it('serves the OpenAPI document at /api/docs', async () => {
    const response = await httpClient(running.baseUrl).get('/api/docs/openapi.json');
    expect(response.status).toBe(200);
    expect(response.body.info.title).toBe('Tradeflow CRM');
    expect((await fetch(`${running.baseUrl}/api/docs`)).status).toBe(200);
  });

  it('exposes Prometheus metrics at /metrics to operations, managers and admins only', async () => {
    await fetch(`${running.baseUrl}/health`);
    const ops = httpClient(running.baseUrl, { id: 'u-ops-1', role: 'operations' });
    const metrics = await ops.get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = metrics.body as string;
    expect(text).toMatch(
      /tradeflow_http_request_duration_seconds_count\{method="GET",route="\/health",status="200"\}/,
    );
    expect(text).toContain('tradeflow_command_duration_seconds');

    const anonymous = await fetch(`${running.baseUrl}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    expect(await anonymous.json()).toMatchObject({ code: 'auth.unauthenticated' });
    expect(await ops.as({ id: 'u-rep-1', role: 'rep' }).get('/metrics')).toMatchObject({
      status: 403,
      body: { code: 'auth.forbidden' },
    });
  });

  it('answers an unknown route with problem+json', async () => {
    const response = await fetch(`${running.baseUrl}/api/nothing-here`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await response.json()).toMatchObject({ status: 404, code: 'route.not_found' });
  });

  it('GET /ready answers 503 naming the store once it is closed', async () => {
    const other = await startApp();
    const store = other.app.get(
      (await import('../../src/event-store/event-store.port')).EVENT_STORE,
    );
    await store.close();
    try {
      const response = await fetch(`${other.baseUrl}/ready`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ status: 'unavailable', eventStore: 'sqlite' });
    } finally {
      await other.stop();
    }
  });
});
