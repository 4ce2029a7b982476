export * from './event-store.port';
export * from './event-store.errors';
export * from './canonical-json';
export * from './hash-chain';
export * from './event-validation';
export * from './postgres/postgres-event-store';
export * from './sqlite/sqlite-event-store';
export * from './open-event-store';
