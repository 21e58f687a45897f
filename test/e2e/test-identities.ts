import { INestApplication } from '@nestjs/common';
import { AGGREGATES } from '../../src/commands/aggregates';
import { CommandPipeline } from '../../src/commands/command-pipeline';
import { AuthService } from '../../src/identity/auth.service';
import { DirectoryFeed } from '../../src/identity/directory-feed';

export interface TestActor {
  id?: string;
  role?: string;
  teamId?: string;
}

export const FIRST_ADMIN = {
  email: 'first.admin@tradeflow.test',
  password: 'correct horse battery staple',
};
const PASSWORD = 'a long enough test password';

/** Per running app: how a test client gets a bearer token for an actor, the way a real client would. */
const sources = new Map<string, (actor: TestActor) => Promise<string | undefined>>();
const cache = new Map<string, Promise<string | undefined>>();

export function registerTokenSource(baseUrl: string, app: INestApplication): void {
  sources.set(baseUrl, (actor) => tokenFor(baseUrl, app, actor));
}

export function forgetTokenSource(baseUrl: string): void {
  sources.delete(baseUrl);
  for (const key of [...cache.keys()]) if (key.startsWith(`${baseUrl}|`)) cache.delete(key);
}

export function bearerFor(baseUrl: string, actor: TestActor): Promise<string | undefined> {
  if (!actor.id && !actor.role) return Promise.resolve(undefined);
  const key = `${baseUrl}|${actor.id}|${actor.role}|${actor.teamId ?? ''}`;
  let token = cache.get(key);
  if (!token) {
    const source = sources.get(baseUrl);
    token = source ? source(actor) : Promise.resolve(undefined);
    cache.set(key, token);
  }
  return token;
}

/**
 * Staff sign in with email and password over HTTP; an `intake` actor gets an intake key for the
 * source named by its id. Users missing from the directory are registered first, as an admin would.
 */
async function tokenFor(baseUrl: string, app: INestApplication, actor: TestActor): Promise<string> {
  const role = actor.role ?? 'rep';
  const id = actor.id ?? `u-${role}`;
  const auth = app.get(AuthService);
  const feed = app.get(DirectoryFeed);
  const system = { userId: 'system', role: 'system' };
  if (role === 'intake') {
    return (
      await auth.issue(
        'intake',
        { source: id, label: `test intake ${id}`, ttlMs: 86_400_000 },
        system,
      )
    ).token;
  }
  const existing = feed.directory.user(id);
  if (!existing) {
    await app.get(CommandPipeline).execute(
      AGGREGATES.user.kind,
      id,
      {
        type: 'RegisterUser',
        data: {
          userId: id,
          name: `Test ${id}`,
          email: `${id}@tradeflow.test`,
          role,
          ...(actor.teamId ? { teamId: actor.teamId } : {}),
        },
      } as never,
      { commandId: `register-${id}`, actor: system },
      undefined,
    );
    await feed.applyWritten(`user-${id}`);
    await auth.setPassword(id, PASSWORD, system);
  }
  const email = feed.directory.user(id)!.email;
  const response = await fetch(`${baseUrl}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  const body = (await response.json()) as { token?: string };
  if (!body.token) throw new Error(`sign-in failed for ${id}: ${JSON.stringify(body)}`);
  return body.token;
}
