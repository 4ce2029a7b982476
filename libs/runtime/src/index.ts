// @ledger/runtime: where the ledger's processes are composed. Configuration from one schema, the stores,
// the command runners and the followers of the feed, started in order and stopped in reverse. No Nest:
// the API wraps what it gives in providers.
export * from './config/environment';
export * from './config/ledger-config';
export * from './config/api-keys';
export * from './config/oidc';
export * from './logging/ledger-logger';
export * from './logging/json-logger';
export * from './logging/request-scope';
export * from './stores';
export * from './read-model-progress';
export * from './health';
export * from './metrics/ledger-metrics';
export * from './metrics/metrics-access';
export * from './followers';
export * from './ledger';
export * from './follower-lease';
