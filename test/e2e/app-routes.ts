import { RunningApp } from './http-app';

/** Every route the running app serves, as 'METHOD /path' (Express's own route table). */
export function appRoutes(running: RunningApp): string[] {
  const express = running.app.getHttpAdapter().getInstance();
  const stack = (express.router ?? express._router).stack as Array<{
    route?: { path: string; methods: Record<string, boolean> };
  }>;
  return stack
    .filter((layer) => layer.route)
    .flatMap((layer) =>
      Object.keys(layer.route!.methods).map(
        (method) => `${method.toUpperCase()} ${layer.route!.path}`,
      ),
    );
}
