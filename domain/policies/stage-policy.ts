import { LocalizedText } from '../shared/localized-text';

/** What a deal must have before it may enter a stage. */
export type StageRequirement =
  | 'amount'
  | 'incoterm'
  | 'payment_term'
  | 'expected_close_date'
  | 'expected_ship_month'
  | 'contact'
  | 'sent_quote';

export const STAGE_REQUIREMENTS: readonly StageRequirement[] = [
  'amount',
  'incoterm',
  'payment_term',
  'expected_close_date',
  'expected_ship_month',
  'contact',
  'sent_quote',
];

/** A must-do task created when a deal enters the stage, due `dueOffsetHours` after entry. */
export interface TaskTemplate {
  key: string;
  title: LocalizedText;
  dueOffsetHours: number;
}

export interface OpenStage {
  key: string;
  label: LocalizedText;
  /** Win probability for the weighted forecast, 0..1. */
  probability: number;
  entryRequirements: StageRequirement[];
  taskTemplates: TaskTemplate[];
  /** Days without activity after which the owner is asked "close as lost, with a reason?". */
  staleAfterDays: number;
}

export interface StageOutcome {
  label: LocalizedText;
  probability: number;
  entryRequirements: StageRequirement[];
  taskTemplates: TaskTemplate[];
}

export interface StagePolicy {
  id: string;
  version: number;
  /** In pipeline order; forward and backward are judged by this order. */
  openStages: OpenStage[];
  outcomes: {
    won: StageOutcome & { probability: 1 };
    lost: StageOutcome & { probability: 0 };
  };
}

export const findOpenStage = (policy: StagePolicy, key: string): OpenStage | undefined =>
  policy.openStages.find((stage) => stage.key === key);

export const openStageIndex = (policy: StagePolicy, key: string): number =>
  policy.openStages.findIndex((stage) => stage.key === key);
