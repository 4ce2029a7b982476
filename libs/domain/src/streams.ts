// Every kind of stream the ledger writes, named in one place: per kind its prefix, a builder, a parser that
// gives the id back (undefined for a stream of another kind) and a predicate. Nobody else takes stream ids apart.

/** One stream per credit subject: its registration, records and list changes. */
export const SUBJECT_STREAM_PREFIX = 'subject-';
/** One stream per joint-discipline case, from opening to closure. */
export const CASE_STREAM_PREFIX = 'case-';
/** One stream per natural person: who read their record (the ledger's auditors only, never published). */
export const ACCESS_STREAM_PREFIX = 'access-';
/** The one stream of the national working calendar: the years recorded from State Council notices. */
export const CALENDAR_STREAM_ID = 'calendar-china';
/** The one stream of managed API keys: issued, rotated, revoked (digests only; never published). */
export const API_KEYS_STREAM_ID = 'api-keys';

/** One stream per credit report issued (`credit-report-<reportNo>`): who pulled whose report, for what, cut from which digest. */
export const CREDIT_REPORT_STREAM_PREFIX = 'credit-report-';

const idAfter = (prefix: string, streamId: string): string | undefined =>
  streamId.startsWith(prefix) ? streamId.slice(prefix.length) : undefined;

export const toSubjectStreamId = (subjectId: string): string => SUBJECT_STREAM_PREFIX + subjectId;
export const subjectIdOf = (streamId: string): string | undefined => idAfter(SUBJECT_STREAM_PREFIX, streamId);
export const isSubjectStream = (streamId: string): boolean => streamId.startsWith(SUBJECT_STREAM_PREFIX);

export const toCaseStreamId = (caseId: string): string => CASE_STREAM_PREFIX + caseId;
export const caseIdOf = (streamId: string): string | undefined => idAfter(CASE_STREAM_PREFIX, streamId);
export const isCaseStream = (streamId: string): boolean => streamId.startsWith(CASE_STREAM_PREFIX);

/** The access log of a subject is named by the subject's id. */
export const toAccessStreamId = (subjectId: string): string => ACCESS_STREAM_PREFIX + subjectId;
export const accessedSubjectIdOf = (streamId: string): string | undefined =>
  idAfter(ACCESS_STREAM_PREFIX, streamId);
export const isAccessStream = (streamId: string): boolean => streamId.startsWith(ACCESS_STREAM_PREFIX);

export const isApiKeysStream = (streamId: string): boolean => streamId === API_KEYS_STREAM_ID;

export const toCreditReportStreamId = (reportNo: string): string => CREDIT_REPORT_STREAM_PREFIX + reportNo;
export const reportNoOf = (streamId: string): string | undefined =>
  idAfter(CREDIT_REPORT_STREAM_PREFIX, streamId);
export const isCreditReportStream = (streamId: string): boolean =>
  streamId.startsWith(CREDIT_REPORT_STREAM_PREFIX);
