import type { StagePolicy } from '../../../domain/policies/stage-policy';
import { STAGE_POLICY_ID } from '../../../projections/shared/deal-context';
import type { PolicyDocument } from '../../../projections/team-membership.projection';
import { POLICIES } from '../../../projections/team-membership.projection';
import type { ReadStore } from '../../read-store/read-store.port';
import type { CollectionNames } from './deal-report-selection';

export interface StageLabel {
  key: string;
  label: string;
}

/**
 * The open stages a report lists, in the order of the stage policy the projection saw last, then
 * any stage found in the figures that this version no longer has (alphabetically).
 */
export async function reportStages(
  store: ReadStore,
  names: CollectionNames,
  found: Iterable<string>,
): Promise<StageLabel[]> {
  const policy = (await store.get(names(POLICIES), STAGE_POLICY_ID)) as
    PolicyDocument<Pick<StagePolicy, 'openStages'>> | undefined;
  const stages: StageLabel[] = (policy?.body.openStages ?? []).map((stage) => ({
    key: stage.key,
    label: stage.label?.en ?? stage.key,
  }));
  const known = new Set(stages.map((stage) => stage.key));
  for (const key of [...new Set(found)].sort()) {
    if (!known.has(key)) stages.push({ key, label: key });
  }
  return stages;
}
