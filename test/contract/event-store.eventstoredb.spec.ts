import { v4 as uuidv4 } from 'uuid';
import { EventStoreDbEventStore } from '../../src/event-store/eventstoredb/eventstoredb-event-store';
import { runEventStoreContract } from './event-store.contract';

const url = process.env.EVENTSTORE_URL?.trim();

if (!url) {
  console.warn(
    'SKIPPED: EventStoreDB contract suite — EVENTSTORE_URL is not set; start EventStoreDB with ' +
      '`docker compose up eventstore` and set EVENTSTORE_URL=esdb://localhost:2113?tls=false',
  );
}

// The whole contract runs against a live server when EVENTSTORE_URL is set, and is skipped otherwise.
runEventStoreContract(
  url ? 'EventStoreDB' : 'EventStoreDB (skipped: EVENTSTORE_URL is not set)',
  async () => {
    const store = EventStoreDbEventStore.connect(url!);
    return {
      store,
      // The server outlives test runs, so every store gets its own stream prefix.
      streamPrefix: `t${uuidv4().replace(/-/g, '')}-`,
      cleanup: () => store.close(),
    };
  },
  url ? describe : describe.skip,
);
