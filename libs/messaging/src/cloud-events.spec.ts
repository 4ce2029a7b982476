import type { StoredEvent } from '@ledger/event-store';
import { cloudEventType, toCloudEvent } from './cloud-events';

const stored = (overrides: Partial<StoredEvent> = {}): StoredEvent => ({
  id: '0192f3a4-5b6c-7d8e-9f00-112233445566',
  type: 'PenaltyRecorded',
  streamId: 'subject-school-1',
  revision: 3,
  position: 42,
  data: { subjectId: 'school-1', recordId: 'penalty-1' },
  metadata: {
    occurredAt: '2025-03-03T00:00:00+08:00',
    correlationId: 'req-1',
    causationId: 'cmd-1',
    policyVersion: '2025-01',
    schemaVersion: 1,
    actor: { userId: 'official-7', role: 'credit_officer', department: 'bureau', jurisdiction: '350200' },
  },
  recordedAt: '2025-03-05T02:00:00.000Z',
  prevHash: 'a'.repeat(64),
  hash: 'b'.repeat(64),
  ...overrides,
});

const context = { source: 'urn:cn-edu-credit:ledger', subjectId: 'school-1', restricted: false };

describe('CloudEvents mapping', () => {
  it('names the type in dotted lower-case words with the schema version', () => {
    expect(cloudEventType('PenaltyRecorded')).toBe('cn.edu.credit.penalty.recorded.v1');
    expect(cloudEventType('ListMembershipChanged', 2)).toBe('cn.edu.credit.list.membership.changed.v2');
    expect(cloudEventType('USCCCorrected')).toBe('cn.edu.credit.uscc.corrected.v1');
  });

  it('names the data schema by event type and version, the version the type carries too', () => {
    const resolved = toCloudEvent(
      stored({
        type: 'ObjectionResolved',
        metadata: { occurredAt: '2025-03-03T00:00:00+08:00', schemaVersion: 3 },
      }),
      context,
    );
    expect(resolved).toMatchObject({
      type: 'cn.edu.credit.objection.resolved.v3',
      dataschema: 'urn:cn-edu-credit:ledger:schema:ObjectionResolved:v3',
      schemaversion: 3,
    });
  });

  it('namespaces case events by their aggregate', () => {
    expect(cloudEventType('CaseOpened', 1, 'case-7')).toBe('cn.edu.credit.discipline.case.opened.v1');
  });

  it('maps the envelope to CloudEvents attributes and lower-case extensions', () => {
    expect(toCloudEvent(stored(), context)).toEqual({
      specversion: '1.0',
      id: '0192f3a4-5b6c-7d8e-9f00-112233445566',
      source: 'urn:cn-edu-credit:ledger',
      type: 'cn.edu.credit.penalty.recorded.v1',
      subject: 'school-1',
      time: '2025-03-05T02:00:00.000Z',
      datacontenttype: 'application/json',
      dataschema: 'urn:cn-edu-credit:ledger:schema:PenaltyRecorded:v1',
      data: { subjectId: 'school-1', recordId: 'penalty-1' },
      streamid: 'subject-school-1',
      revision: 3,
      position: 42,
      occurredat: '2025-03-03T00:00:00+08:00',
      schemaversion: 1,
      restricted: false,
      correlationid: 'req-1',
      causationid: 'cmd-1',
      policyversion: '2025-01',
    });
  });

  it('leaves absent optional attributes out and keeps the actor inside the ledger', () => {
    const event = toCloudEvent(
      stored({ metadata: { occurredAt: '2025-03-03T00:00:00+08:00', schemaVersion: 1 } }),
      context,
    );
    expect(event).not.toHaveProperty('correlationid');
    expect(event).not.toHaveProperty('causationid');
    expect(event).not.toHaveProperty('policyversion');
    expect(JSON.stringify(event)).not.toContain('official-7');
  });

  it('uses only attribute names CloudEvents allows: lower-case letters and digits', () => {
    for (const name of Object.keys(toCloudEvent(stored({ streamId: 'case-7' }), context))) {
      expect(name).toMatch(/^[a-z0-9]{1,20}$/);
    }
  });

  it('names the case of a case event', () => {
    expect(toCloudEvent(stored({ streamId: 'case-7', type: 'CaseOpened' }), context).caseid).toBe('7');
  });

  it('masks natural persons’ ID numbers in the data', () => {
    const event = toCloudEvent(
      stored({
        type: 'SubjectRegistered',
        data: {
          subjectId: 't-1',
          identifier: { scheme: 'resident_id', value: '350203198506151233' },
          birthDate: '1985-06-15',
        },
      }),
      context,
    );
    expect(event.data).toEqual({
      subjectId: 't-1',
      identifier: { scheme: 'resident_id', value: '350203********1233' },
    });
  });
});
