export * from './projection';
export * from './checkpoints';
export * from './projection-runner';
export * from './storage/postgres-document-store';
export * from './storage/sqlite-document-store';
export * from './read-models';
