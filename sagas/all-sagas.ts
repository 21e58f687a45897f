import type { Saga } from './saga';
import { slaEscalationSaga } from './sla-escalation.saga';

/** Every process manager the saga runner keeps; a saga not listed here never runs. */
export const ALL_SAGAS: Saga[] = [slaEscalationSaga];
