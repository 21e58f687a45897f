import { account360Projection } from './account-360.projection';
import { channelQualityProjection } from './channel-quality.projection';
import { dataQualityProjection } from './data-quality.projection';
import { dealTimelineProjection } from './deal-timeline.projection';
import { dealFactsProjection } from './deal-facts.projection';
import { dwellTimeProjection } from './dwell-time.projection';
import { leadQueueProjection } from './lead-queue.projection';
import { lossReasonsProjection } from './loss-reasons.projection';
import { ownershipLedgerProjection } from './ownership-ledger.projection';
import { pipelineBoardProjection } from './pipeline-board.projection';
import type { Projection } from './projection';
import { repPerformanceProjection } from './rep-performance.projection';
import { searchIndexProjection } from './search-index.projection';
import { slaComplianceProjection } from './sla-compliance.projection';
import { stageConversionProjection } from './stage-conversion.projection';
import { taskListProjection } from './task-list.projection';
import { weightedForecastProjection } from './weighted-forecast.projection';

/** Every read model the runner keeps; a projection not listed here is never built. */
export const ALL_PROJECTIONS: Projection[] = [
  dealFactsProjection,
  stageConversionProjection,
  dwellTimeProjection,
  lossReasonsProjection,
  weightedForecastProjection,
  pipelineBoardProjection,
  leadQueueProjection,
  channelQualityProjection,
  repPerformanceProjection,
  dataQualityProjection,
  account360Projection,
  taskListProjection,
  searchIndexProjection,
  dealTimelineProjection,
  ownershipLedgerProjection,
  slaComplianceProjection,
];
