import type { Actor } from '../command-metadata';
import { specificationFor } from '../testing/given-when-then';
import {
  apiKeyDecider,
  apiKeyStatus,
  evolveApiKeys,
  type ApiKeyIssued,
  type IssueApiKey,
  type RevokeApiKey,
  type RotateApiKey,
} from './api-key.decider';

const given = specificationFor(apiKeyDecider);
const admin: Actor = { userId: 'ops', role: 'admin', department: 'ministry', jurisdiction: '000000' };
const now = '2026-12-07T02:00:00.000Z';
const metadata = { now, actor: admin };
const holder = { userId: 'xm-gw', role: 'official', department: 'xiamen-bureau', jurisdiction: '350200' };
const digest = 'a'.repeat(64);

const issue = (data: Partial<IssueApiKey['data']> = {}): IssueApiKey => ({
  type: 'IssueApiKey',
  data: {
    keyId: 'Key00000000000001',
    secretSha256: digest,
    holder,
    expiresAt: '2027-03-01T00:00:00Z',
    ...data,
  },
  metadata,
});
const issued: ApiKeyIssued = {
  type: 'ApiKeyIssued',
  data: {
    keyId: 'Key00000000000001',
    secretSha256: digest,
    holder,
    issuedAt: '2026-12-01T00:00:00.000Z',
    expiresAt: '2027-03-01T00:00:00.000Z',
  },
};
const rotate = (data: Partial<RotateApiKey['data']> = {}): RotateApiKey => ({
  type: 'RotateApiKey',
  data: {
    keyId: 'Key00000000000001',
    newKeyId: 'Key00000000000002',
    secretSha256: 'b'.repeat(64),
    expiresAt: '2027-06-01T00:00:00Z',
    overlapUntil: '2026-12-08T02:00:00Z',
    ...data,
  },
  metadata,
});
const revoke = (reason = 'leaked'): RevokeApiKey => ({
  type: 'RevokeApiKey',
  data: { keyId: 'Key00000000000001', reason },
  metadata,
});

describe('managed API keys', () => {
  describe('when no key exists', () => {
    it('issues one with its holder and expiry', () =>
      given([])
        .when(issue({ label: ' gateway ' }))
        .then([
          {
            type: 'ApiKeyIssued',
            data: { ...issued.data, label: 'gateway', issuedAt: now },
          },
        ]));

    it('refuses an expiry in the past, beyond 397 days, or without a zone', () => {
      given([])
        .when(issue({ expiresAt: '2026-12-01T00:00:00Z' }))
        .thenThrows('INPUT.INVALID_VALUE', { field: 'expiresAt' });
      given([])
        .when(issue({ expiresAt: '2028-02-01T00:00:00Z' }))
        .thenThrows('INPUT.INVALID_VALUE', { field: 'expiresAt' });
      given([])
        .when(issue({ expiresAt: '2027-01-01T00:00:00' }))
        .thenThrows('INPUT.INVALID_VALUE', { field: 'expiresAt' });
    });

    it('refuses a role the ledger does not know and a malformed jurisdiction', () => {
      given([])
        .when(issue({ holder: { ...holder, role: 'root' } }))
        .thenThrows('INPUT.INVALID_VALUE', { field: 'role' });
      given([])
        .when(issue({ holder: { ...holder, jurisdiction: '3502' } }))
        .thenThrows('INPUT.INVALID_VALUE', { field: 'jurisdiction' });
    });

    it('cannot rotate or revoke what does not exist', () => {
      given([]).when(rotate()).thenThrows('API_KEY.NOT_FOUND');
      given([]).when(revoke()).thenThrows('API_KEY.NOT_FOUND');
    });
  });

  describe('when a key is active', () => {
    it('refuses the same key id again', () =>
      given([issued]).when(issue()).thenThrows('API_KEY.ALREADY_EXISTS'));

    it('rotates: a new key for the same holder, the old one expiring at the end of the overlap', () => {
      given([issued])
        .when(rotate())
        .then([
          {
            type: 'ApiKeyIssued',
            data: {
              keyId: 'Key00000000000002',
              secretSha256: 'b'.repeat(64),
              holder,
              issuedAt: now,
              expiresAt: '2027-06-01T00:00:00.000Z',
              rotatedFrom: 'Key00000000000001',
              previousKeyExpiresAt: '2026-12-08T02:00:00.000Z',
            },
          },
        ]);
      const [rotation] = apiKeyDecider.decide(rotate(), evolveApiKeys(apiKeyDecider.initialState(), issued));
      const state = evolveApiKeys(evolveApiKeys(apiKeyDecider.initialState(), issued), rotation!);
      const old = state.keys.get('Key00000000000001')!;
      expect([old.replacedBy, apiKeyStatus(old, now), apiKeyStatus(old, '2026-12-08T02:00:01Z')]).toEqual([
        'Key00000000000002',
        'active',
        'expired',
      ]);
    });

    it('refuses an overlap beyond 30 days, and a second rotation of the same key', () => {
      given([issued])
        .when(rotate({ overlapUntil: '2027-02-01T00:00:00Z' }))
        .thenThrows('INPUT.INVALID_VALUE', {
          field: 'overlapUntil',
        });
      const [rotation] = apiKeyDecider.decide(rotate(), evolveApiKeys(apiKeyDecider.initialState(), issued));
      given([issued, rotation!])
        .when(rotate({ newKeyId: 'Key00000000000003' }))
        .thenThrows('API_KEY.ALREADY_ROTATED');
    });

    it('revokes with a reason', () => {
      given([issued])
        .when(revoke())
        .then([
          { type: 'ApiKeyRevoked', data: { keyId: 'Key00000000000001', reason: 'leaked', revokedAt: now } },
        ]);
      given([issued]).when(revoke(' ')).thenThrows('INPUT.FIELD_REQUIRED');
    });
  });

  describe('when a key is revoked', () => {
    const revoked = {
      type: 'ApiKeyRevoked',
      data: { keyId: 'Key00000000000001', reason: 'x', revokedAt: now },
    } as const;
    it('is revoked once, and never rotated', () => {
      given([issued, revoked]).when(revoke()).thenThrows('API_KEY.ALREADY_REVOKED');
      given([issued, revoked]).when(rotate()).thenThrows('API_KEY.NOT_ACTIVE', { status: 'revoked' });
    });
  });
});
