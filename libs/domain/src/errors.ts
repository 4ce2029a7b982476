// Expected rejections. Each carries a stable code the HTTP edge maps without parsing messages;
// the class says which kind of failure it is (bad input, unknown id, conflict, rule, permission).

export type ErrorCode =
  | 'INPUT.FIELD_REQUIRED'
  | 'INPUT.INVALID_DATE'
  | 'INPUT.DATE_IN_FUTURE'
  | 'INPUT.INVALID_TIMESTAMP'
  | 'INPUT.INVALID_AMOUNT'
  | 'INPUT.INVALID_USCC'
  | 'INPUT.INVALID_VALUE'
  | 'ACTOR.OUTSIDE_JURISDICTION'
  | 'SUBJECT.NOT_REGISTERED'
  | 'SUBJECT.ALREADY_REGISTERED'
  | 'SUBJECT.INVALID_IDENTIFIER'
  | 'SUBJECT.UNKNOWN_KIND'
  | 'SUBJECT.INVALID_JURISDICTION'
  | 'RECORD.NOT_FOUND'
  | 'RECORD.ALREADY_EXISTS'
  | 'RECORD.WRONG_KIND'
  | 'RECORD.ALREADY_REVOKED'
  | 'RECORD.ALREADY_EXPIRED'
  | 'RECORD.STILL_VALID'
  | 'RECORD.NO_VALIDITY_PERIOD'
  | 'RECORD.FIELD_NOT_CORRECTABLE'
  | 'RECORD.NOTHING_TO_CORRECT'
  | 'PENALTY.DUPLICATE_DOCUMENT_NUMBER'
  | 'PENALTY.CATEGORY_REQUIRED'
  | 'PENALTY.FINE_AMOUNT_REQUIRED'
  | 'PENALTY.CONFISCATION_AMOUNT_REQUIRED'
  | 'HONOUR.BARRED_BY_DISCIPLINE'
  | 'COMMITMENT.INVALID_CODE'
  | 'COMMITMENT.DUPLICATE_CODE'
  | 'COMMITMENT.VALIDITY_BEFORE_DATE_MADE'
  | 'COMMITMENT.RELATED_PENALTY_REQUIRED'
  | 'COMMITMENT.OUTCOME_ALREADY_RECORDED'
  | 'COMMITMENT.BREACH_DETAILS_REQUIRED'
  | 'COMMITMENT.NOT_YET_DUE'
  | 'COMMITMENT.NOT_IN_FORCE'
  | 'RECTIFICATION.DEADLINE_BEFORE_ISSUE'
  | 'RECTIFICATION.ALREADY_COMPLETED'
  | 'RECTIFICATION.ALREADY_OVERDUE'
  | 'RECTIFICATION.DEADLINE_NOT_PASSED'
  | 'REPAIR.NOT_APPLICABLE'
  | 'REPAIR.RECORD_NOT_REPAIRABLE'
  | 'REPAIR.BARRED_AFTER_COMMITMENT_BREACH'
  | 'REPAIR.MINIMUM_PERIOD_NOT_REACHED'
  | 'REPAIR.PUBLICITY_ENDS_AUTOMATICALLY'
  | 'REPAIR.APPLICATION_PENDING'
  | 'REPAIR.DUPLICATE_APPLICATION_ID'
  | 'REPAIR.APPLICATION_NOT_FOUND'
  | 'REPAIR.ALREADY_DECIDED'
  | 'REPAIR.REJECTION_REASON_REQUIRED'
  | 'OBJECTION.ALREADY_OPEN'
  | 'OBJECTION.DUPLICATE_ID'
  | 'OBJECTION.NOT_FOUND'
  | 'OBJECTION.ALREADY_RESOLVED'
  | 'OBJECTION.CORRECTIONS_REQUIRED'
  | 'PUBLICITY.NOT_ACTIVE'
  | 'PUBLICITY.MAXIMUM_NOT_REACHED'
  | 'CASE.NOT_OPENED'
  | 'CASE.ALREADY_OPENED'
  | 'CASE.CLOSED'
  | 'CASE.DEPARTMENTS_REQUIRED'
  | 'CASE.MEASURES_REQUIRED'
  | 'CASE.MEASURE_NOT_IN_POLICY'
  | 'CASE.UNKNOWN_DEPARTMENT'
  | 'CASE.ALREADY_RESPONDED'
  | 'CASE.NOT_ACCEPTED'
  | 'CASE.MEASURE_NOT_REQUESTED'
  | 'CASE.RESPONSES_OUTSTANDING'
  | 'CALENDAR.YEAR_UNKNOWN'
  | 'CALENDAR.YEAR_ALREADY_KNOWN'
  | 'CALENDAR.YEAR_NOT_FOUND'
  | 'CALENDAR.DATE_OUTSIDE_YEAR'
  | 'CALENDAR.DUPLICATE_DATE'
  | 'CALENDAR.DATE_BOTH_HOLIDAY_AND_WORKING_DAY'
  | 'CALENDAR.MAKE_UP_DAY_NOT_WEEKEND'
  | 'CALENDAR.NEW_YEAR_MISSING'
  | 'CALENDAR.NOTICE_ALREADY_RECORDED'
  | 'CALENDAR.NOTHING_TO_AMEND'
  | 'POLICY.UNKNOWN_VERSION'
  | 'API_KEY.ALREADY_EXISTS'
  | 'API_KEY.NOT_FOUND'
  | 'API_KEY.NOT_ACTIVE'
  | 'API_KEY.ALREADY_ROTATED'
  | 'API_KEY.ALREADY_REVOKED';

export type ErrorDetails = Readonly<Record<string, unknown>>;

export abstract class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetails,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The command itself is malformed: a missing field, a date that does not exist, a bad checksum. */
export class InvalidInput extends DomainError {}

/** The command names something the subject does not have: a record, an objection, the subject itself. */
export class NotFound extends DomainError {}

/** The command repeats or collides with what already happened: a duplicate id or document number. */
export class Conflict extends DomainError {}

/** The command is well-formed but a rule forbids it now (a period not reached, a record not repairable). */
export class RuleViolation extends DomainError {}

/** The actor may not act on this subject. */
export class Forbidden extends DomainError {}
