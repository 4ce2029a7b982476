// Builds a credit report's content from a subject's folded state, its events, the policy and a date.
export * from './credit-report.types';
