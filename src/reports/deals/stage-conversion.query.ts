import { COHORT } from '../../../projections/stage-conversion.projection';
import type { ReadStore } from '../../read-store/read-store.port';
import type { ReportPeriod } from '../report-period';
import type { ReportRow } from '../report-response';
import { CollectionNames, ratio, Selection, sumGroups } from './deal-report-selection';
import { reportStages } from './deal-stages';

export const STAGE_CONVERSION = 'stage-conversion';

export interface StageConversionRow extends ReportRow {
  group: string;
  stage: string;
  stageLabel: string;
  entered: number;
  advanced: number;
  /** advanced / entered, 4 decimals; null when no deal entered. */
  conversion: number | null;
  /** The cohort of the group, repeated on each of its stage rows so a CSV row stands alone. */
  opened: number;
  won: number;
  wonRate: number | null;
}

export interface StageConversionReport {
  report: typeof STAGE_CONVERSION;
  rows: StageConversionRow[];
  groups: Array<{ group: string; opened: number; won: number; wonRate: number | null }>;
}

/**
 * Stage conversion of the cohort of deals opened in the period (DESIGN.md): per group and open
 * stage, entered, advanced and their ratio; per group, opened, won and the won rate.
 */
export async function stageConversion(
  store: ReadStore,
  names: CollectionNames,
  period: ReportPeriod,
  selection: Selection,
): Promise<StageConversionReport> {
  const groups = await sumGroups(store, names(COHORT), period, selection);
  const found = groups.flatMap(({ sums }) =>
    Object.keys(sums)
      .filter((key) => key.startsWith('entered_'))
      .map((key) => key.slice('entered_'.length)),
  );
  const stages = await reportStages(store, names, found);
  const rows: StageConversionRow[] = [];
  const totals: StageConversionReport['groups'] = [];
  for (const { group, sums } of groups) {
    const opened = sums.opened ?? 0;
    const won = sums.won ?? 0;
    const wonRate = ratio(won, opened);
    totals.push({ group, opened, won, wonRate });
    for (const stage of stages) {
      const entered = sums[`entered_${stage.key}`] ?? 0;
      const advanced = sums[`advanced_${stage.key}`] ?? 0;
      rows.push({
        group,
        stage: stage.key,
        stageLabel: stage.label,
        entered,
        advanced,
        conversion: ratio(advanced, entered),
        opened,
        won,
        wonRate,
      });
    }
  }
  return { report: STAGE_CONVERSION, rows, groups: totals };
}
