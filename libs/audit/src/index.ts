// @ledger/audit: digests and proofs over the global feed, verification, history and time.
export * from './merkle/merkle-tree';
export * from './digest-store';
export * from './digest-signing';
export * from './storage/postgres-digest-store';
export * from './storage/sqlite-digest-store';
export * from './storage/open-digest-store';
export * from './digester';
export * from './verify-ledger';
export * from './inclusion-proof';
export * from './report-proofs';
export * from './consistency-proof';
export * from './verify-proof';
export * from './history/subject-as-of';
export * from './history/list-membership-history';
export * from './history/access-log';
