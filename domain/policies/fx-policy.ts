import { FxRateTable } from '../shared/money';

/** Dated exchange rates against the base currency that reports are stated in. */
export interface FxPolicy extends FxRateTable {
  id: string;
  version: number;
}
