import { parseFeedback } from './feedback-message';

const send = (value: unknown) =>
  parseFeedback(Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)));

const response = {
  messageId: 'fin-2025-000123',
  caseId: 'case-1',
  departmentId: 'finance',
  kind: 'response',
  response: 'accepted',
  at: '2025-03-10T09:30:00+08:00',
};

describe('feedback messages from departments', () => {
  it('reads a response', () => {
    expect(send(response)).toEqual({ ok: true, message: response });
  });

  it('reads execution feedback, keeping only the fields it knows', () => {
    const execution = {
      messageId: 'fin-2025-000124',
      caseId: 'case-1',
      departmentId: 'finance',
      kind: 'execution',
      measuresApplied: ['no_project_funding'],
      executedOn: '2025-03-20',
      note: 'Funding application 2025-17 refused',
      at: '2025-03-20T16:00:00Z',
    };
    expect(send({ ...execution, sender: 'fujian-exchange' })).toEqual({ ok: true, message: execution });
  });

  it('refuses what is not JSON, or nothing at all', () => {
    expect(send('{"caseId": ')).toMatchObject({ ok: false, code: 'FEEDBACK.MALFORMED_JSON' });
    expect(parseFeedback(null)).toMatchObject({ ok: false, code: 'FEEDBACK.EMPTY' });
    expect(send([])).toMatchObject({ ok: false, code: 'FEEDBACK.SCHEMA_VIOLATION' });
  });

  it('says every field that is wrong', () => {
    const result = send({ ...response, messageId: '', response: 'maybe', at: '2025-03-10 09:30' });
    expect(result).toEqual({
      ok: false,
      code: 'FEEDBACK.SCHEMA_VIOLATION',
      reason:
        'messageId must be a non-empty string; at must be an ISO 8601 instant with a zone; response must be one of accepted, applied, not_applicable',
    });
  });

  it('needs the measures and the date for execution feedback', () => {
    const result = send({ ...response, kind: 'execution', response: undefined, measuresApplied: [] });
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('measuresApplied') });
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('executedOn') });
  });
});
