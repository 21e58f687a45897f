import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per app instance, so tests can start several apps in one process. */
export class Metrics {
  readonly registry = new Registry();
  readonly commandDuration = new Histogram({
    name: 'tradeflow_command_duration_seconds',
    help: 'Command latency from the bus to the append, by aggregate, command and outcome',
    labelNames: ['aggregate', 'command', 'outcome'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly commandConflicts = new Counter({
    name: 'tradeflow_command_conflicts_total',
    help: 'Expected-revision conflicts met by commands (retried or returned as 409)',
    labelNames: ['aggregate'] as const,
    registers: [this.registry],
  });
  readonly commandErrors = new Counter({
    name: 'tradeflow_command_errors_total',
    help: 'Commands refused or failed, by aggregate and error code',
    labelNames: ['aggregate', 'code'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'tradeflow_http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
