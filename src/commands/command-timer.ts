import { Metrics } from '../observability/metrics';

/**
 * Runs a command under the command duration histogram: labelled with `outcomeOf` its result, or
 * `error` when it throws (the error is rethrown).
 */
export async function timedCommand<Result>(
  metrics: Metrics,
  labels: { aggregate: string; command: string },
  run: () => Promise<Result>,
  outcomeOf: (result: Result) => string = () => 'ok',
): Promise<Result> {
  const stop = metrics.commandDuration.startTimer(labels);
  try {
    const result = await run();
    stop({ outcome: outcomeOf(result) });
    return result;
  } catch (error) {
    stop({ outcome: 'error' });
    throw error;
  }
}
