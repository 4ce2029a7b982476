import type { RegisterSubject } from '../subject.commands';
import {
  given,
  gradeChanged,
  on,
  recordPenalty,
  school,
  schoolId,
  schoolRegistered,
  teacher,
  teacherId,
  teacherRegistered,
  xiamenOfficial,
} from '../testing/subject-fixtures';

const registerSchool = (
  data: Partial<RegisterSubject['data']> = {},
  meta = on('2025-01-06'),
): RegisterSubject => ({
  type: 'RegisterSubject',
  data: { subjectId: schoolId, ...school, identifier: '91350200776049653A', ...data },
  metadata: meta,
});

const registerTeacher = (data: Partial<RegisterSubject['data']> = {}): RegisterSubject => ({
  type: 'RegisterSubject',
  data: { subjectId: teacherId, ...teacher, identifier: '350203198506151233', ...data },
  metadata: on('2025-01-06'),
});

describe('registering a subject', () => {
  describe('when the subject is not registered', () => {
    it('registers a legal person by its USCC and gives it the starting grade', () => {
      given([])
        .when(registerSchool())
        .then([schoolRegistered, gradeChanged(null, 'B', '2025-01-06')]);
    });

    it('registers a natural person and reads the birth date from the ID number', () => {
      given([])
        .when(registerTeacher())
        .then([
          teacherRegistered,
          gradeChanged(null, 'B', '2025-01-06', { subjectId: teacherId, subject: teacher }),
        ]);
    });

    it('refuses an early pilot code that fails its checksum', () => {
      given([])
        .when(registerSchool({ identifier: '91350203M0001QAY9B' }))
        .thenThrows('SUBJECT.INVALID_IDENTIFIER', { reason: 'CHECKSUM_MISMATCH' });
    });

    it('accepts that pilot code on an explicit override, and records the override', () => {
      given([])
        .when(registerSchool({ identifier: '91350203M0001QAY9B', allowLegacyChecksum: true }))
        .thenIncludes([
          {
            type: 'SubjectRegistered',
            data: expect.objectContaining({
              identifier: { scheme: 'uscc', value: '91350203M0001QAY9B', checksum: 'legacy_override' },
            }),
          },
        ]);
    });

    it('requires the identifier that fits the kind of subject', () => {
      given([])
        .when(registerSchool({ identifier: '350203198506151233' }))
        .thenThrows('SUBJECT.INVALID_IDENTIFIER', { reason: 'CHECKSUM_MISMATCH' });
      given([])
        .when(registerTeacher({ identifier: '91350200776049653A' }))
        .thenThrows('SUBJECT.INVALID_IDENTIFIER', { reason: 'WRONG_FORMAT' });
    });

    it('refuses a resident ID whose birth date does not exist', () => {
      given([])
        .when(registerTeacher({ identifier: '350203198502301234' }))
        .thenThrows('SUBJECT.INVALID_IDENTIFIER', { reason: 'INVALID_BIRTH_DATE' });
    });

    it('refuses a jurisdiction that is not a division code', () => {
      given([])
        .when(registerSchool({ jurisdiction: '3502' }))
        .thenThrows('SUBJECT.INVALID_JURISDICTION');
    });

    it('refuses an unknown kind and a missing name', () => {
      given([])
        .when(registerSchool({ kind: 'kindergarten' as never }))
        .thenThrows('SUBJECT.UNKNOWN_KIND');
      given([])
        .when(registerSchool({ name: ' ' }))
        .thenThrows('INPUT.FIELD_REQUIRED', { field: 'name' });
    });

    it('lets an authority register subjects only within its own division', () => {
      const fuzhouOfficial = { ...xiamenOfficial, jurisdiction: '350100' };
      given([])
        .when(registerSchool({}, on('2025-01-06', { actor: fuzhouOfficial })))
        .thenThrows('ACTOR.OUTSIDE_JURISDICTION');
      const provincialOfficial = { ...xiamenOfficial, jurisdiction: '350000' };
      given([])
        .when(registerSchool({}, on('2025-01-06', { actor: provincialOfficial })))
        .thenIncludes([schoolRegistered]);
    });

    it('refuses every other command', () => {
      given([]).when(recordPenalty()).thenThrows('SUBJECT.NOT_REGISTERED', { subjectId: schoolId });
    });
  });

  describe('when the subject is registered', () => {
    const registered = [schoolRegistered, gradeChanged(null, 'B', '2025-01-06')];

    it('refuses to register it again', () => {
      given(registered).when(registerSchool()).thenThrows('SUBJECT.ALREADY_REGISTERED');
    });

    it('refuses commands from an authority of another division', () => {
      const siMingOfficial = { ...xiamenOfficial, jurisdiction: '350206' };
      given(registered)
        .when(recordPenalty({}, on('2025-03-05', { actor: siMingOfficial })))
        .thenThrows('ACTOR.OUTSIDE_JURISDICTION');
    });

    it('refuses a command whose time has no zone, rather than read it in the host zone', () => {
      given(registered)
        .when(recordPenalty({}, { ...on('2025-03-05'), now: '2025-03-05T10:00:00' }))
        .thenThrows('INPUT.INVALID_TIMESTAMP');
    });
  });
});
