import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { join } from 'node:path';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { Metrics } from '../observability/metrics';
import { KeyedHasher } from '../personal-data/keyed-hash';
import { deriveSecret, loadMasterKey } from '../personal-data/master-key';
import { PersonalDataCipher } from '../personal-data/personal-data-cipher';
import { PERSONAL_FIELDS } from '../personal-data/personal-fields';
import { openSubjectKeys } from '../personal-data/open-subject-keys';
import { SUBJECT_KEY_STORE, SubjectKeyStore } from '../personal-data/subject-key-store';
import { POLICY_REGISTRY, PolicyRegistry } from '../policies/policy-registry';
import { APP_SETTINGS, AppSettings } from '../settings/app-settings';
import { CLOCK, Clock } from '../shared/clock';
import { CommandPipeline } from './command-pipeline';
import { ExecuteDomainCommandsInOrderHandler } from './execute-commands-in-order';
import { ExecuteDomainCommandHandler } from './execute-domain-command';

export const MASTER_KEY = Symbol('MASTER_KEY');

/** Where subject keys live when the events are not in the embedded store. */
export const subjectKeysFile = (settings: AppSettings): string =>
  join(settings.dataDir, 'keys.sqlite');

@Global()
@Module({
  imports: [CqrsModule.forRoot()],
  providers: [
    Metrics,
    {
      provide: MASTER_KEY,
      inject: [APP_SETTINGS],
      useFactory: (settings: AppSettings) =>
        loadMasterKey(settings.masterKey, join(settings.dataDir, 'master.key')),
    },
    {
      provide: SUBJECT_KEY_STORE,
      inject: [APP_SETTINGS, MASTER_KEY, EVENT_STORE],
      useFactory: (settings: AppSettings, masterKey: Buffer, store: EventStore) =>
        openSubjectKeys(store, subjectKeysFile(settings), masterKey),
    },
    {
      provide: PersonalDataCipher,
      inject: [SUBJECT_KEY_STORE],
      useFactory: (keys: SubjectKeyStore) => new PersonalDataCipher(keys, PERSONAL_FIELDS),
    },
    {
      provide: KeyedHasher,
      inject: [MASTER_KEY],
      useFactory: (masterKey: Buffer) => new KeyedHasher(deriveSecret(masterKey, 'dedup')),
    },
    {
      provide: CommandPipeline,
      inject: [EVENT_STORE, PersonalDataCipher, CLOCK, Metrics],
      useFactory: (store: EventStore, cipher: PersonalDataCipher, clock: Clock, metrics: Metrics) =>
        new CommandPipeline(store, cipher, clock, {
          conflict: (aggregate) => metrics.commandConflicts.inc({ aggregate }),
        }),
    },
    {
      provide: POLICY_REGISTRY,
      inject: [EVENT_STORE, CLOCK, APP_SETTINGS],
      useFactory: async (store: EventStore, clock: Clock, settings: AppSettings) => {
        const registry = new PolicyRegistry(store, clock);
        await registry.load();
        await registry.seed(settings.policySeedDir);
        return registry;
      },
    },
    ExecuteDomainCommandHandler,
    ExecuteDomainCommandsInOrderHandler,
  ],
  exports: [
    Metrics,
    MASTER_KEY,
    SUBJECT_KEY_STORE,
    PersonalDataCipher,
    KeyedHasher,
    CommandPipeline,
    POLICY_REGISTRY,
  ],
})
export class CommandsModule implements OnApplicationShutdown {
  constructor(@Inject(SUBJECT_KEY_STORE) private readonly keys: SubjectKeyStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.keys.close();
  }
}
