import { startApp, RunningApp } from './http-app';

describe('health and readiness (HTTP)', () => {
  let running: RunningApp;
  beforeAll(async () => (running = await startApp()));
  afterAll(() => running.stop());

  it('GET /health answers 200 ok', async () => {
    const response = await fetch(`${running.baseUrl}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('GET /ready answers 200 when the event store answers', async () => {
    const response = await fetch(`${running.baseUrl}/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', eventStore: 'sqlite' });
  });

  it('GET /ready answers 503 naming the store once it is closed', async () => {
    const other = await startApp();
    const store = other.app.get(
      (await import('../../src/event-store/event-store.port')).EVENT_STORE,
    );
    await store.close();
    const response = await fetch(`${other.baseUrl}/ready`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: 'unavailable', eventStore: 'sqlite' });
    await other.stop();
  });
});
