import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../../domain/shared/domain-error';
import { READ_STORE, ReadStore } from '../read-store/read-store.port';

/** Physical collection of one build generation: blue/green builds never share a collection. */
export const physicalName = (projection: string, generation: number, logical: string): string =>
  `${projection}_g${generation}_${logical}`;

/**
 * Where readers find each projection's live generation. The runner switches a projection to a
 * new generation only once it has caught up, so a reader never sees a half-built model.
 */
@Injectable()
export class ReadModels {
  private readonly live = new Map<string, number>();

  constructor(@Inject(READ_STORE) readonly store: ReadStore) {}

  setLive(projection: string, generation: number): void {
    this.live.set(projection, generation);
  }

  isLive(projection: string): boolean {
    return this.live.has(projection);
  }

  /** The physical name of a logical collection of the live generation. */
  collection(projection: string, logical: string): string {
    const generation = this.live.get(projection);
    if (generation === undefined) {
      throw new DomainError(
        'projection.not_ready',
        `The ${projection} read model is still being built for the first time; try again shortly`,
      );
    }
    return physicalName(projection, generation, logical);
  }
}
