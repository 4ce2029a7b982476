export * from './command-handler';
export * from './command-runner';
export * from './uuid-v7';
export * from './subject-commands';
export * from './discipline-cases';
export * from './subject-ids';
export * from './stream-state-cache';
export * from './scheduler/deadline-scheduler';
