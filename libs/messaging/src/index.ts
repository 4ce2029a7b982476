// @ledger/messaging: the ledger's Kafka side. CloudEvents out (relay), joint-discipline cases opened
// from list entries, and departments' responses and feedback in.
export * from './topics';
export * from './kafka-client';
export * from './privacy';
export * from './cloud-events';
export * from './relay-messages';
export * from './stream-facts';
export * from './checkpointed-publisher';
export * from './relay';
export * from './digest-publisher';
export * from './discipline/case-ids';
export * from './discipline/departments';
export * from './discipline/case-initiator';
export * from './discipline/feedback-message';
export * from './discipline/feedback-consumer';
export * from './messaging';
