import type { RecordedEvent } from '../../src/event-store/event-store.port';
import type { DealOpened } from '../../domain/deal/deal.events';
import type { PolicyRef } from '../../domain/shared/decider';
import type { FxPolicy } from '../../domain/policies/fx-policy';
import type { StagePolicy } from '../../domain/policies/stage-policy';
import { regionOf } from '../../domain/shared/regions';
import type { ProjectionCollection, ProjectionView } from '../projection';
import type { Dimensions } from './rollup';
import {
  applyMembership,
  applyPolicy,
  latestPolicy,
  MEMBERSHIP_COLLECTIONS,
  MEMBERSHIP_EVENT_TYPES,
  POLICIES,
  POLICY_COLLECTION,
  POLICY_PUBLISHED,
  teamAt,
} from '../team-membership.projection';

export { teamAt };

/**
 * What the deal read models need besides the deal's own stream, folded from the log so a rebuild
 * gives the same answer: each user's team over time (team attribution), the latest loss-reason and
 * FX policies, and every version of the stage policy, since each deal move names the version whose
 * stage order judges it. All small and preloaded.
 */
export const STAGE_POLICY_ID = 'stages.default';
export const LOSS_REASON_POLICY_ID = 'loss-reasons.default';
export const FX_POLICY_ID = 'fx.default';
const LATEST_POLICIES = [STAGE_POLICY_ID, LOSS_REASON_POLICY_ID, FX_POLICY_ID];

export const CONTEXT_COLLECTIONS: ProjectionCollection[] = [
  ...MEMBERSHIP_COLLECTIONS,
  POLICY_COLLECTION,
];
export const CONTEXT_EVENT_TYPES = [...MEMBERSHIP_EVENT_TYPES, POLICY_PUBLISHED] as const;

/** `policies/<stagePolicyId>@<version>`: the open stages of one version, in pipeline order. */
export interface StageVersionDocument {
  id: string;
  stages: string[];
  [field: string]: unknown;
}

export const stageVersionId = (ref: PolicyRef) => `${ref.id}@${ref.version}`;

/** Applies membership and policy events; false for any other event. */
export function applyContext(event: RecordedEvent, view: ProjectionView): boolean {
  if (applyMembership(event, view)) return true;
  if (event.type !== POLICY_PUBLISHED) return false;
  const published = event.data as {
    id: string;
    version: number;
    body?: { openStages?: Array<{ key: string }> };
  };
  if (published.id.startsWith('stages.') && published.body) {
    view.put(POLICIES, {
      id: stageVersionId(published),
      stages: (published.body.openStages ?? []).map((stage) => stage.key),
    });
  }
  return applyPolicy(event, view, LATEST_POLICIES);
}

/**
 * Stage keys in pipeline order under the version an event names. A version not seen yet (it is
 * published before any deal names it, so that means a gap in the log) falls back to the latest
 * one seen; with none at all the event cannot be judged, and the projection stops on it.
 */
export function stageOrder(view: ProjectionView, ref: PolicyRef | undefined): string[] {
  const named = ref ? view.get<StageVersionDocument>(POLICIES, stageVersionId(ref)) : undefined;
  if (named) return named.stages;
  const latest = latestPolicy<StagePolicy>(view, ref?.id ?? STAGE_POLICY_ID);
  if (!latest) {
    throw new Error(
      `No stage policy has been published before this deal event (it names ${ref ? `${ref.id} v${ref.version}` : 'none'})`,
    );
  }
  return latest.openStages.map((stage) => stage.key);
}

export const currentFx = (view: ProjectionView): FxPolicy | undefined =>
  latestPolicy<FxPolicy>(view, FX_POLICY_ID);

/** The dimensions a deal carries from its opening: they never change afterwards. */
export interface DealOrigin {
  channel: string;
  country: string;
  region: string;
  productLine: string;
  [field: string]: unknown;
}

export const dealOrigin = (data: DealOpened['data']): DealOrigin => ({
  channel: data.channel,
  country: data.country,
  region: regionOf(data.country),
  productLine: data.productLine,
});

/** Report dimensions of one measured event: the deal's origin, and its owner and their team then. */
export function dimensionsAt(
  view: ProjectionView,
  origin: DealOrigin,
  owner: string,
  at: string,
): Dimensions {
  const team = teamAt(view, owner, at);
  return {
    channel: origin.channel,
    country: origin.country,
    region: origin.region,
    productLine: origin.productLine,
    owner,
    ...(team !== undefined ? { team } : {}),
  };
}

export const DEAL_STREAM_PREFIX = 'deal-';
export const isDealEvent = (event: RecordedEvent) =>
  event.streamName.startsWith(DEAL_STREAM_PREFIX);
