export * from './command-handler';
export * from './uuid-v7';
export * from './subject-commands';
export * from './subject-ids';
export * from './stream-state-cache';
export * from './scheduler/deadline-scheduler';
export * from './calendar/calendar-file';
export * from './calendar/working-calendars';
