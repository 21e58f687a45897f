/**
 * A worker thread that builds projection generations: the same ProjectionLane as on the main
 * thread, on stores of its own, until each lane has caught up with the log. The main thread then
 * takes the lane over from the stored checkpoint (see OffThreadBuildLane).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Projection } from '../../../projections/projection';
import { openEventStoreAdapter } from '../../event-store/open-event-store';
import { UpcasterRegistry } from '../../event-store/upcasting/upcaster-registry';
import { UpcastingEventStore } from '../../event-store/upcasting/upcasting-event-store';
import { openSubjectKeys } from '../../personal-data/open-subject-keys';
import { PersonalDataCipher } from '../../personal-data/personal-data-cipher';
import { PERSONAL_FIELDS } from '../../personal-data/personal-fields';
import { systemClock } from '../../shared/clock';
import { ProjectionLane } from '../projection-lane';
import { openReadStore } from '../read-store.provider';
import { SharedEventReader } from '../shared-event-reader';
import { Wakeup } from '../wakeup';
import type {
  BuildOrder,
  BuildOutcome,
  BuildWorkerData,
  FromBuildWorker,
  ToBuildWorker,
} from './build-worker-protocol';
import { loadProjections } from './projection-source';

/** A worker's commit may wait for another connection's index build; it answers no request. */
const WORKER_BUSY_TIMEOUT_MS = 120_000;

const port = parentPort!;
const post = (message: FromBuildWorker) => port.postMessage(message);

async function main(data: BuildWorkerData): Promise<void> {
  const events = new UpcastingEventStore(
    await openEventStoreAdapter(data.stores.eventStore, systemClock),
    new UpcasterRegistry(),
  );
  const store = await openReadStore(data.stores.readStore, {
    busyTimeoutMs: WORKER_BUSY_TIMEOUT_MS,
  });
  const keys = openSubjectKeys(
    events,
    data.stores.keysFile,
    Buffer.from(data.stores.masterKey, 'base64'),
  );
  const cipher = new PersonalDataCipher(keys, PERSONAL_FIELDS);
  const projections = loadProjections(data.projections);
  const reader = new SharedEventReader(events);
  const newEvents = new Wakeup();
  const log = (entry: Record<string, unknown>) => post({ kind: 'log', entry });
  const lanes = data.builds.map((order) => {
    const lane: ProjectionLane = new ProjectionLane(
      {
        ...order.lane,
        events,
        store,
        cipher,
        clock: systemClock,
        newEvents,
        reader,
        deferIndexes: true,
        onProgress: () =>
          post({
            kind: 'progress',
            name: order.name,
            generation: order.generation,
            progress: { state: lane.state, checkpoint: lane.checkpoint, seenUpTo: lane.seenUpTo },
          }),
        log,
      },
      projectionFor(projections, order),
      order.generation,
    );
    return { order, lane };
  });
  post({ kind: 'ready' });
  port.on('message', (message: ToBuildWorker) => {
    const found = lanes.find(
      ({ order }) => order.name === message.name && order.generation === message.generation,
    );
    if (message.kind === 'stop' && found) void found.lane.stop();
  });
  try {
    await Promise.all(
      lanes.map(async ({ order, lane }) => {
        const outcome = await build(lane);
        post({ kind: 'done', name: order.name, generation: order.generation, outcome });
      }),
    );
  } finally {
    await store.close();
    await keys.close();
    await events.close();
  }
}

/** Runs the lane until it has applied everything stored, fails, or is told to stop. */
async function build(lane: ProjectionLane): Promise<BuildOutcome> {
  lane.start();
  const caughtUp = await Promise.race([
    lane.caughtUp.then(() => true),
    lane.ended.then(() => false),
  ]);
  await lane.stop();
  if (lane.state === 'failed') return { kind: 'failed', failure: lane.failure! };
  return caughtUp ? { kind: 'caught-up' } : { kind: 'stopped' };
}

function projectionFor(projections: Projection[], order: BuildOrder): Projection {
  const projection = projections.find((candidate) => candidate.name === order.name);
  if (!projection || projection.version !== order.version) {
    throw new Error(
      `This worker has no ${order.name} v${order.version} (found ${projection ? `v${projection.version}` : 'none'})`,
    );
  }
  return projection;
}

main(workerData as BuildWorkerData).then(
  () => port.close(),
  (error: Error) => {
    // The main thread builds on its own thread instead; it learns why from this message.
    post({ kind: 'log', entry: { msg: 'projection build worker failed', error: error.message } });
    throw error;
  },
);
