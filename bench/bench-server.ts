/**
 * The real app for the benchmarks, in a child process on 127.0.0.1 (bench/api-server.ts), over a
 * temporary DATA_DIR, with the first admin from the environment; and the intake key an
 * integration would use, issued by that admin. BENCH_SERVER_PROFILE=<dir> CPU-profiles the server.
 */
import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { ServerMessage } from './api-server';

export const ADMIN = { email: 'bench.admin@tradeflow.test', password: 'benchmark admin password' };

export interface RunningServer {
  child: ChildProcess;
  baseUrl: string;
  port: number;
}

export function startServer(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<RunningServer> {
  const child = fork(join(__dirname, 'api-server.ts'), [], {
    execArgv: [
      '-r',
      'ts-node/register/transpile-only',
      ...(process.env.BENCH_SERVER_PROFILE
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_SERVER_PROFILE}`]
        : []),
    ],
    env: {
      ...process.env,
      ...env,
      DATA_DIR: dataDir,
      TRADEFLOW_ADMIN_EMAIL: ADMIN.email,
      TRADEFLOW_ADMIN_PASSWORD: ADMIN.password,
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message: ServerMessage) => {
      if (message.kind === 'listening')
        resolve({ child, port: message.port, baseUrl: `http://127.0.0.1:${message.port}` });
      else if (message.kind === 'failed')
        reject(new Error(`The server failed to start:\n${message.error}`));
    });
    // The failure report may still be on its way over IPC when the exit is seen.
    child.once('exit', (code, signal) =>
      setTimeout(
        () => reject(new Error(`The server exited (${code ?? signal}) before it listened`)),
        200,
      ),
    );
  });
}

/** CPU time (µs) the server process has used so far, all threads, as it reports it over IPC. */
export function serverCpuMicros(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ServerMessage) => {
      if (message.kind !== 'usage') return;
      child.off('message', onMessage);
      resolve(message.cpuMicros);
    };
    if (!child.connected) return reject(new Error('The server no longer listens for messages'));
    child.on('message', onMessage);
    child.send('usage');
  });
}

export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.send('stop');
  const timeout = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timeout);
}

async function json(url: string, init: RequestInit): Promise<Record<string, unknown>> {
  const response = await fetch(url, init);
  const body = (await response.json()) as Record<string, unknown>;
  if (!response.ok)
    throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

/** An intake key for one source: the admin signs in and issues it, as for an integration. */
export async function intakeKey(baseUrl: string, source: string): Promise<string> {
  const session = await json(`${baseUrl}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  const issued = await json(`${baseUrl}/api/tokens`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${String(session.token)}`,
    },
    body: JSON.stringify({
      kind: 'intake',
      source,
      label: `benchmark ${source}`,
      expiresInDays: 1,
    }),
  });
  return String(issued.token);
}
