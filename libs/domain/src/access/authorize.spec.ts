import fc from 'fast-check';
import type { Actor } from '../command-metadata';
import { divisionContains } from '../identifiers/division-code';
import { PERMISSIONS, type AccessPolicy, type Permission } from './access-policy';
import { authorize, checkPurpose, isRecordingDepartmentOrSuperior } from './authorize';
import { defaultAccessPolicy as policy } from './default-access-policy';

const actor = (role: string, jurisdiction: string, department = `${role}-${jurisdiction}`): Actor => ({
  userId: `u-${role}`,
  role,
  department,
  jurisdiction,
});

const WRITES: readonly Permission[] = [
  'subjects.register',
  'records.write',
  'records.correct',
  'repairs.decide',
  'objections.resolve',
  'calendar.manage',
  'keys.manage',
  'policies.manage',
];

// Division codes of the four levels under two provinces, and the national code.
const division = fc.oneof(
  fc.constant('000000'),
  fc
    .tuple(fc.constantFrom('35', '41'), fc.constantFrom('00', '01', '02'), fc.constantFrom('00', '03', '06'))
    .map(([p, c, d]) => (c === '00' ? `${p}0000` : `${p}${c}${d}`)),
);
const role = fc.constantFrom(...Object.keys(policy.roles), 'unknown-role', 'constructor', '__proto__');
const permission = fc.constantFrom(...PERMISSIONS);
const anyActor = fc.tuple(role, division, fc.constantFrom('a', 'b', 'c')).map(([r, j, d]) => actor(r, j, d));

describe('the access policy', () => {
  describe('roles', () => {
    it('lets an official record and correct, but not decide repairs or objections', () => {
      const official = actor('official', '350200');
      expect(authorize(policy, official, 'records.write')).toEqual({ allowed: true });
      expect(authorize(policy, official, 'records.correct')).toEqual({ allowed: true });
      expect(authorize(policy, official, 'repairs.decide')).toMatchObject({
        allowed: false,
        code: 'ACCESS.PERMISSION_REQUIRED',
        missingPermission: 'repairs.decide',
      });
    });

    it('lets a reviewer decide repairs and objections, but record nothing', () => {
      const reviewer = actor('reviewer', '350200');
      expect(authorize(policy, reviewer, 'repairs.decide').allowed).toBe(true);
      expect(authorize(policy, reviewer, 'objections.resolve').allowed).toBe(true);
      expect(authorize(policy, reviewer, 'records.write')).toMatchObject({
        missingPermission: 'records.write',
      });
    });

    it('gives auditors, discipline systems and tax bureaus no write at all', () => {
      fc.assert(
        fc.property(
          fc.constantFrom('auditor', 'discipline-system', 'tax-bureau'),
          division,
          fc.constantFrom(...WRITES),
          (r, j, p) => !authorize(policy, actor(r, j), p).allowed,
        ),
      );
    });

    it('gives admins the calendar, keys and policies and no one’s record', () => {
      const admin = actor('admin', '000000');
      expect(authorize(policy, admin, 'calendar.manage').allowed).toBe(true);
      expect(authorize(policy, admin, 'keys.manage').allowed).toBe(true);
      for (const p of ['subjects.read', 'records.write', 'history.read', 'audit.feed.read'] as const)
        expect(authorize(policy, admin, p).allowed).toBe(false);
    });

    it('lets a tax bureau read legal persons but neither natural persons nor minors', () => {
      const tax = actor('tax-bureau', '350000');
      expect(authorize(policy, tax, 'subjects.read', { jurisdiction: '350203' }).allowed).toBe(true);
      expect(
        authorize(policy, tax, 'subjects.read', { jurisdiction: '350203', personalData: 'natural-person' }),
      ).toMatchObject({ code: 'ACCESS.PERMISSION_REQUIRED', missingPermission: 'subjects.read.natural' });
      expect(
        authorize(policy, tax, 'subjects.read', { jurisdiction: '350203', personalData: 'minor' }),
      ).toMatchObject({ missingPermission: 'subjects.read.minor' });
    });

    it('grants an unknown role (and names from Object.prototype) nothing', () => {
      fc.assert(
        fc.property(
          fc.constantFrom('unknown', 'constructor', '__proto__', 'toString'),
          permission,
          (r, p) => {
            const decision = authorize(policy, actor(r, '000000'), p);
            return !decision.allowed && decision.code === 'ACCESS.PERMISSION_REQUIRED';
          },
        ),
      );
    });

    it('allows exactly what the role lists, wherever the actor’s divisions contain the target', () => {
      fc.assert(
        fc.property(anyActor, permission, division, (who, p, target) => {
          const known = Object.hasOwn(policy.roles, who.role);
          const listed = known && policy.roles[who.role]!.includes(p);
          const inside = divisionContains(who.jurisdiction, target);
          return authorize(policy, who, p, { jurisdiction: target }).allowed === (listed && inside);
        }),
      );
    });
  });

  describe('jurisdiction containment (national ⊃ province ⊃ city ⊃ county)', () => {
    it.each([
      ['000000', '410105', true],
      ['410000', '410105', true],
      ['410100', '410105', true],
      ['410105', '410105', true],
      ['410105', '410100', false],
      ['410105', '410106', false],
      ['350000', '410105', false],
      ['350200', '350000', false],
    ])('an official of %s acting on a subject of %s: %s', (mine, theirs, allowed) => {
      const decision = authorize(policy, actor('official', mine), 'records.write', { jurisdiction: theirs });
      expect(decision.allowed).toBe(allowed);
      if (!allowed)
        expect(decision).toMatchObject({
          code: 'ACCESS.OUTSIDE_JURISDICTION',
          missingPermission: 'records.write',
        });
    });

    it('never lets an actor outside a division act in it, whatever the permission', () => {
      fc.assert(
        fc.property(
          anyActor,
          permission,
          division,
          (who, p, target) =>
            divisionContains(who.jurisdiction, target) ||
            !authorize(policy, who, p, { jurisdiction: target }).allowed,
        ),
      );
    });
  });

  describe('corrections and revocations', () => {
    const recordedBy = { department: 'xiamen-education-bureau', jurisdiction: '350200' };

    it('lets the recording department correct its record', () => {
      const same = actor('official', '350200', 'xiamen-education-bureau');
      expect(authorize(policy, same, 'records.correct', { jurisdiction: '350203', recordedBy }).allowed).toBe(
        true,
      );
    });

    it('lets a superior (a province over its city) correct it', () => {
      const province = actor('official', '350000', 'fujian-education-department');
      expect(
        authorize(policy, province, 'records.correct', { jurisdiction: '350203', recordedBy }).allowed,
      ).toBe(true);
    });

    it('refuses another department of the same division, and a county below the recorder', () => {
      const sibling = actor('official', '350200', 'xiamen-market-regulation');
      expect(
        authorize(policy, sibling, 'records.correct', { jurisdiction: '350203', recordedBy }),
      ).toMatchObject({
        allowed: false,
        code: 'ACCESS.NOT_RECORDING_DEPARTMENT',
        missingPermission: 'records.correct',
      });
      const county = actor('official', '350203', 'siming-education-bureau');
      expect(
        authorize(policy, county, 'records.correct', { jurisdiction: '350203', recordedBy }),
      ).toMatchObject({
        code: 'ACCESS.NOT_RECORDING_DEPARTMENT',
      });
    });

    it('follows superiors the policy names, and survives a cycle in them', () => {
      const named: AccessPolicy = {
        ...policy,
        superiorByDivision: false,
        superiorDepartments: {
          'siming-bureau': 'xiamen-bureau',
          'xiamen-bureau': 'fujian-dept',
          'fujian-dept': 'siming-bureau',
        },
      };
      const by = { department: 'siming-bureau', jurisdiction: '350203' };
      expect(isRecordingDepartmentOrSuperior(named, actor('official', '350000', 'fujian-dept'), by)).toBe(
        true,
      );
      expect(isRecordingDepartmentOrSuperior(named, actor('official', '350000', 'other'), by)).toBe(false);
    });

    it('never lets a department that is neither the recorder nor above it correct, by property', () => {
      fc.assert(
        fc.property(
          division,
          division,
          fc.constantFrom('a', 'b'),
          fc.constantFrom('a', 'b'),
          (mine, theirs, d1, d2) => {
            const decision = authorize(policy, actor('official', mine, d1), 'records.correct', {
              recordedBy: { department: d2, jurisdiction: theirs },
            });
            const above = mine !== theirs && divisionContains(mine, theirs);
            return decision.allowed === (d1 === d2 || above);
          },
        ),
      );
    });
  });

  describe('purposes of reading a natural person’s record', () => {
    it('accepts a purpose on the list for the role', () => {
      expect(checkPurpose(policy, actor('official', '350200'), 'supervision')).toMatchObject({
        allowed: true,
        purpose: { code: 'supervision' },
      });
      expect(checkPurpose(policy, actor('auditor', '000000'), 'audit').allowed).toBe(true);
    });

    it('refuses none, an unknown one and one of another role, each with its code', () => {
      const official = actor('official', '350200');
      expect(checkPurpose(policy, official, undefined)).toMatchObject({ code: 'ACCESS.PURPOSE_REQUIRED' });
      expect(checkPurpose(policy, official, 'x')).toMatchObject({ code: 'ACCESS.UNKNOWN_PURPOSE' });
      expect(checkPurpose(policy, official, 'audit')).toMatchObject({ code: 'ACCESS.PURPOSE_NOT_FOR_ROLE' });
    });

    it('accepts no free-form purpose: only codes of the list pass', () => {
      const codes = new Set(policy.purposes.map((p) => p.code));
      fc.assert(
        fc.property(
          anyActor,
          fc.string(),
          (who, code) => !checkPurpose(policy, who, code).allowed || codes.has(code),
        ),
      );
    });
  });
});
