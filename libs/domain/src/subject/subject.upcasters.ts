// The steps from older shapes of subject events to the current ones (see versions/event-versions.ts).
// Each is pure and total over what the older release wrote; an upcaster never invents a fact the old event
// did not hold (a field the old shape lacked stays absent, which is why new fields are optional).
import type { Upcaster } from '../versions/event-versions';
import type { ObjectionResolved } from './subject.events';

/** ObjectionResolved as written up to version 1. */
export interface ObjectionResolvedV1Data {
  readonly subjectId: string;
  readonly recordId: string;
  readonly objectionId: string;
  readonly outcome: 'upheld' | 'corrected';
  readonly reason: string;
  readonly resolvedOn: string;
  readonly withinDeadline: boolean;
}

/** Version 2: as version 3 without `decisionDueBy`. */
export type ObjectionResolvedV2Data = Omit<ObjectionResolved['data'], 'decisionDueBy'>;

export const objectionResolvedV1ToV2: Upcaster = {
  type: 'ObjectionResolved',
  from: 1,
  change:
    '`outcome` renamed `recordOutcome`: an objection "upheld" (异议成立) means the record is corrected, the ' +
    'opposite of what v1 meant by it (the record stands); the new name says the outcome is the record’s',
  up: ({ outcome, ...rest }: ObjectionResolvedV1Data): ObjectionResolvedV2Data => ({
    ...rest,
    recordOutcome: outcome,
  }),
};

export const objectionResolvedV2ToV3: Upcaster = {
  type: 'ObjectionResolved',
  from: 2,
  change:
    'optional `decisionDueBy` added: the deadline `withinDeadline` was judged against, so the event explains ' +
    'itself; absent on events resolved before version 3 (the deadline is on their ObjectionFiled)',
  up: (data: ObjectionResolvedV2Data): ObjectionResolvedV2Data => data,
};

export const subjectUpcasters: readonly Upcaster[] = [objectionResolvedV1ToV2, objectionResolvedV2ToV3];
