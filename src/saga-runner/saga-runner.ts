import type { Saga } from '../../sagas/saga';
import { ProjectionRunner, RunnerDependencies } from '../projection-runner/projection-runner';
import { ReadModels } from '../projection-runner/read-models';
import { CommandDispatch, SagaLane, SagaLaneDependencies, sagaAsProjection } from './saga-lane';

/**
 * The saga runner is the projection runner with saga lanes: durable subscription with its own
 * checkpoint per saga, one instance per saga under a lease, and replays from scratch that re-send
 * only commands the streams already hold (their ids are deterministic), so nothing is repeated.
 */
export function createSagaRunner(
  deps: RunnerDependencies,
  sagas: Saga[],
  dispatch: CommandDispatch,
  readModels: ReadModels,
  options: Pick<SagaLaneDependencies, 'timersPerWindow' | 'dispatchInOrder'> = {},
): ProjectionRunner {
  const byName = new Map(sagas.map((saga) => [saga.name, saga]));
  return new ProjectionRunner(
    deps,
    sagas.map(sagaAsProjection),
    readModels,
    (laneDeps, projection, generation) =>
      new SagaLane({ ...laneDeps, ...options, dispatch }, byName.get(projection.name)!, generation),
  );
}
