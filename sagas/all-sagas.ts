import type { Saga } from './saga';

/** Every process manager the saga runner keeps; a saga not listed here never runs. */
export const ALL_SAGAS: Saga[] = [];
