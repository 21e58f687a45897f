import { isMainThread } from 'node:worker_threads';
import { tallyProjection } from './runner-fixture';

/** What a build worker loads in the build-worker tests: the same objects the tests run. */
export const WORKER_TEST_PROJECTIONS = [tallyProjection()];

/** A worker running other code than the main thread: it finds tally v2 where v1 was asked for. */
export const SKEWED_IN_WORKERS = isMainThread ? WORKER_TEST_PROJECTIONS : [tallyProjection(2)];

const thisModule = __filename.replace(/\.ts$/, '');
export const WORKER_TEST_SOURCE = { module: thisModule, exportName: 'WORKER_TEST_PROJECTIONS' };
export const SKEWED_SOURCE = { module: thisModule, exportName: 'SKEWED_IN_WORKERS' };
