import type { Projection } from '../projection';
import {
  blackListProjection,
  keySupervisionListProjection,
  redListProjection,
} from './credit-list.projection';
import { deadlinesProjection } from './deadlines.projection';
import { penaltyDisclosureProjection } from './penalty-disclosure.projection';
import { reportingTimelinessProjection } from './reporting-timeliness.projection';
import { subjectCreditStatusProjection } from './subject-credit-status.projection';

export * from './subject-events';
export * from './subject-credit-status.projection';
export * from './credit-list.projection';
export * from './penalty-disclosure.projection';
export * from './disclosed-identity';
export * from './reporting-timeliness.projection';
export * from './deadlines.projection';

/** Every read model the ledger keeps, in the order the runner applies them. */
export const allProjections: readonly Projection<unknown>[] = [
  subjectCreditStatusProjection,
  redListProjection,
  blackListProjection,
  keySupervisionListProjection,
  penaltyDisclosureProjection,
  reportingTimelinessProjection,
  deadlinesProjection,
] as readonly Projection<unknown>[];
