// What every command brings from outside, so that deciding never reads a clock or a database.
import type { WorkingCalendar } from './calendar/working-calendar';
import type { CreditPolicy } from './policy/credit-policy';

/** Who acted; the same shape as the event store's `Actor`, which the domain may not import. */
export interface Actor {
  readonly userId: string;
  readonly role: string;
  readonly department: string;
  /** Division code the actor's authority covers; `000000` for national actors and schedulers. */
  readonly jurisdiction: string;
}

export interface CommandMetadata {
  /** ISO 8601 instant with a zone; business dates are its Beijing date. */
  readonly now: string;
  readonly actor: Actor;
  /** The policy in force; its version goes into the stored event's metadata. */
  readonly policy: CreditPolicy;
  readonly calendar: WorkingCalendar;
}
