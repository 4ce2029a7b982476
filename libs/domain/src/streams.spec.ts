import fc from 'fast-check';
import {
  ACCESS_STREAM_PREFIX,
  accessedSubjectIdOf,
  CASE_STREAM_PREFIX,
  caseIdOf,
  CREDIT_REPORT_STREAM_PREFIX,
  isAccessStream,
  isCreditReportStream,
  reportNoOf,
  toCreditReportStreamId,
  isCaseStream,
  isSubjectStream,
  SUBJECT_STREAM_PREFIX,
  subjectIdOf,
  toAccessStreamId,
  toCaseStreamId,
  toSubjectStreamId,
} from './streams';

const kinds = [
  {
    name: 'subject',
    prefix: SUBJECT_STREAM_PREFIX,
    build: toSubjectStreamId,
    parse: subjectIdOf,
    is: isSubjectStream,
  },
  { name: 'case', prefix: CASE_STREAM_PREFIX, build: toCaseStreamId, parse: caseIdOf, is: isCaseStream },
  {
    name: 'access',
    prefix: ACCESS_STREAM_PREFIX,
    build: toAccessStreamId,
    parse: accessedSubjectIdOf,
    is: isAccessStream,
  },
  {
    name: 'credit report',
    prefix: CREDIT_REPORT_STREAM_PREFIX,
    build: toCreditReportStreamId,
    parse: reportNoOf,
    is: isCreditReportStream,
  },
];

describe('stream ids', () => {
  describe.each(kinds)('of $name streams', ({ prefix, build, parse, is }) => {
    it('give back the id they were built from, whatever the id', () => {
      fc.assert(
        fc.property(fc.string(), (id) => {
          expect(build(id)).toBe(`${prefix}${id}`);
          expect(parse(build(id))).toBe(id);
          expect(is(build(id))).toBe(true);
        }),
      );
    });

    it('are told apart from every other kind', () => {
      fc.assert(
        fc.property(fc.string(), (id) => {
          for (const other of kinds.filter((kind) => kind.prefix !== prefix)) {
            expect(parse(other.build(id))).toBeUndefined();
            expect(is(other.build(id))).toBe(false);
          }
        }),
      );
    });
  });

  it('name a stream of no known kind as none of them', () => {
    for (const kind of kinds) {
      expect(kind.parse('counter-1')).toBeUndefined();
      expect(kind.is('counter-1')).toBe(false);
    }
  });
});
