import { loadConfig } from '@ledger/runtime';
import { actorFromClaims, looksLikeJwt, type AuthenticationRefused } from './token-verifier';

const settingsOf = (env: Record<string, string> = {}) =>
  loadConfig({ LEDGER_OIDC_ISSUER: 'https://idp.example.org/realms/p', LEDGER_OIDC_AUDIENCE: 'l', ...env })
    .oidc!;

const keycloakClaims = {
  sub: 'f1d2',
  preferred_username: 'xiamen-official',
  realm_access: { roles: ['default-roles-test-province', 'offline_access', 'official'] },
  department: 'xiamen-education-bureau',
  jurisdiction: '350200',
};

const refusal = (run: () => unknown): AuthenticationRefused => {
  try {
    run();
  } catch (error) {
    return error as AuthenticationRefused;
  }
  throw new Error('the claims were accepted');
};

describe('a verified token as the ledger actor', () => {
  describe('with the default claim names (Keycloak)', () => {
    it('takes preferred_username, the one ledger role among the realm roles, department and jurisdiction', () => {
      expect(actorFromClaims(keycloakClaims, settingsOf())).toEqual({
        userId: 'xiamen-official',
        role: 'official',
        department: 'xiamen-education-bureau',
        jurisdiction: '350200',
      });
    });

    it('falls back to sub when there is no preferred_username', () => {
      const { preferred_username: _, ...claims } = keycloakClaims;
      expect(actorFromClaims(claims, settingsOf()).userId).toBe('f1d2');
    });
  });

  describe('with claim names from the configuration', () => {
    it('reads other paths and maps provider roles to ledger roles', () => {
      const settings = settingsOf({
        LEDGER_OIDC_SUBJECT_CLAIMS: 'employee_id, sub',
        LEDGER_OIDC_ROLES_CLAIM: 'resource_access.credit-ledger.roles',
        LEDGER_OIDC_DEPARTMENT_CLAIM: 'org.unit',
        LEDGER_OIDC_JURISDICTION_CLAIM: 'https://gov.example/division',
        LEDGER_OIDC_ROLE_MAP: '{"credit-clerk": "official"}',
      });
      const claims = {
        sub: 's',
        employee_id: 'E-17',
        resource_access: { 'credit-ledger': { roles: ['credit-clerk'] } },
        org: { unit: 'bureau-9' },
        'https://gov.example/division': '350203',
      };
      expect(actorFromClaims(claims, settings)).toEqual({
        userId: 'E-17',
        role: 'official',
        department: 'bureau-9',
        jurisdiction: '350203',
      });
    });
  });

  describe('refused with 403 and a stable code', () => {
    it('no ledger role → AUTH.NO_LEDGER_ROLE', () => {
      const claims = { ...keycloakClaims, realm_access: { roles: ['tax-bureau'] } };
      expect(refusal(() => actorFromClaims(claims, settingsOf()))).toMatchObject({
        status: 403,
        code: 'AUTH.NO_LEDGER_ROLE',
      });
    });

    it('several ledger roles → AUTH.ROLE_AMBIGUOUS, unless X-Ledger-Role names one the token carries', () => {
      const claims = { ...keycloakClaims, realm_access: { roles: ['official', 'reviewer'] } };
      expect(refusal(() => actorFromClaims(claims, settingsOf()))).toMatchObject({
        code: 'AUTH.ROLE_AMBIGUOUS',
        details: { roles: ['official', 'reviewer'] },
      });
      expect(actorFromClaims(claims, settingsOf(), 'reviewer').role).toBe('reviewer');
      expect(refusal(() => actorFromClaims(claims, settingsOf(), 'admin'))).toMatchObject({
        code: 'AUTH.ROLE_NOT_HELD',
      });
    });

    it('a missing or malformed department or jurisdiction → AUTH.TOKEN_CLAIM_MISSING / _INVALID', () => {
      const { department: _, ...noDepartment } = keycloakClaims;
      expect(refusal(() => actorFromClaims(noDepartment, settingsOf()))).toMatchObject({
        code: 'AUTH.TOKEN_CLAIM_MISSING',
        details: { claim: 'department' },
      });
      expect(
        refusal(() => actorFromClaims({ ...keycloakClaims, jurisdiction: 'Xiamen' }, settingsOf())),
      ).toMatchObject({ code: 'AUTH.TOKEN_CLAIM_INVALID' });
      expect(
        refusal(() => actorFromClaims({ ...keycloakClaims, realm_access: 'official' }, settingsOf())),
      ).toMatchObject({ code: 'AUTH.NO_LEDGER_ROLE' });
    });
  });

  it('tells a JWT from an opaque API key', () => {
    expect(looksLikeJwt('eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln')).toBe(true);
    expect(looksLikeJwt('lck_AbCdEf0123')).toBe(false);
    expect(looksLikeJwt('dev-national-admin')).toBe(false);
  });
});
