// @ledger/domain: the pure core of the credit ledger. No framework, driver or clock.

export * from './decider';
export * from './errors';
export * from './command-metadata';
export * from './streams';
export * from './versions/event-versions';
export * from './versions/ledger-event-versions';
export * from './subject/subject.upcasters';

export * from './calendar/iso-date';
export * from './calendar/working-calendar';
export * from './calendar/china-working-calendar';
export * from './calendar/calendar.commands';
export * from './calendar/calendar.events';
export * from './calendar/calendar.state';
export * from './calendar/calendar.decider';

export * from './api-keys/api-key.decider';

export * from './identifiers/uscc';
export * from './identifiers/resident-id';
export * from './identifiers/division-code';
export * from './identifiers/commitment-code';
export * from './identifiers/masking';

export * from './policy/credit-policy';
export * from './policy/default-policy';
export * from './policy/policy-catalogue';
export * from './policy/credit-use-purposes';
export * from './reports/credit-report';

export * from './subject/subject-kind';
export * from './subject/penalty';
export * from './subject/honour';
export * from './subject/commitment';
export * from './subject/rectification';
export * from './subject/credit-record';
export * from './subject/subject.commands';
export * from './subject/subject.events';
export * from './subject/subject.state';
export * from './subject/credit-status';
export * from './subject/subject.decider';
export { effectiveSeverity, publicityTermsFor } from './subject/decisions/record-penalty';

export * from './discipline/discipline-case.commands';
export * from './discipline/discipline-case.events';
export * from './discipline/discipline-case.state';
export * from './discipline/discipline-case.decider';
export * from './discipline/case-status';

export * from './access/access-policy';
export * from './access/default-access-policy';
export * from './access/authorize';

export * from './reviews/credit-review';
