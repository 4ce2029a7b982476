// What every subject decision works with, taken once from the command's metadata.
import { beijingDateOf, type IsoDate } from '../../calendar/iso-date';
import type { WorkingCalendar } from '../../calendar/working-calendar';
import type { Actor, CommandMetadata } from '../../command-metadata';
import type { CreditPolicy } from '../../policy/credit-policy';

export interface DecisionContext {
  /** The Beijing date of `metadata.now`: every business date is compared against it. */
  readonly today: IsoDate;
  readonly actor: Actor;
  readonly policy: CreditPolicy;
  readonly calendar: WorkingCalendar;
}

export const decisionContextOf = (metadata: CommandMetadata): DecisionContext => ({
  today: beijingDateOf(metadata.now),
  actor: metadata.actor,
  policy: metadata.policy,
  calendar: metadata.calendar,
});
