import { httpClient } from './http-client';

/** Waits until every projection is live and has applied every stored event. */
export async function readModelsCaughtUp(baseUrl: string, timeoutMs = 20_000): Promise<void> {
  const admin = httpClient(baseUrl, { id: 'admin-read-models', role: 'admin' });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await admin.get('/api/admin/projections');
    const projections = (body?.projections ?? []) as Array<{
      role: string;
      state: string;
      behind: number;
    }>;
    if (
      projections.length > 0 &&
      projections.every((p) => p.role === 'live' && p.state === 'live' && p.behind === 0)
    ) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`read models did not catch up: ${JSON.stringify(body)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
