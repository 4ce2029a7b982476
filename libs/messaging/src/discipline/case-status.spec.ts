import type { StoredEvent } from '@ledger/event-store';
import { allDepartmentsAnswered, caseStatusOf } from './case-status';
import { caseIdFor } from './case-ids';
import { departmentsFor, defaultDepartmentDirectory } from './departments';

const stored = (events: Array<{ type: string; data: unknown }>): StoredEvent[] =>
  events.map((event, revision) => ({
    ...event,
    id: `e-${revision}`,
    streamId: 'case-c-1',
    revision,
    position: 100 + revision,
    metadata: { occurredAt: '2025-03-06T02:00:00Z', schemaVersion: 1 },
    recordedAt: '2025-03-06T02:00:00.000Z',
    prevHash: null,
    hash: 'h',
  }));

const opened = {
  type: 'CaseOpened',
  data: {
    caseId: 'c-1',
    subjectId: 'school-1',
    subject: { kind: 'private_school', name: '厦门阳光实验学校', jurisdiction: '350203' },
    list: 'black',
    recordIds: ['penalty-1'],
    measures: ['no_project_funding', 'more_frequent_inspection'],
    departments: [
      { departmentId: 'finance', name: '财政部门' },
      { departmentId: 'education-supervision', name: '教育督导部门' },
    ],
    openedOn: '2025-03-06',
  },
};

describe('a case as a person reads it', () => {
  it('is absent before it is opened', () => {
    expect(caseStatusOf([])).toBeUndefined();
  });

  it('shows each department’s response, feedback and the closure', () => {
    const status = caseStatusOf(
      stored([
        opened,
        {
          type: 'DepartmentResponded',
          data: { caseId: 'c-1', departmentId: 'finance', response: 'accepted', respondedOn: '2025-03-10' },
        },
        {
          type: 'ExecutionFedBack',
          data: {
            caseId: 'c-1',
            departmentId: 'finance',
            measuresApplied: ['no_project_funding'],
            executedOn: '2025-03-20',
          },
        },
        {
          type: 'DepartmentResponded',
          data: {
            caseId: 'c-1',
            departmentId: 'education-supervision',
            response: 'not_applicable',
            reason: 'Closed school',
            respondedOn: '2025-03-11',
          },
        },
        { type: 'CaseClosed', data: { caseId: 'c-1', reason: 'completed', closedOn: '2025-03-21' } },
      ]),
    );
    expect(status).toMatchObject({
      caseId: 'c-1',
      status: 'closed',
      closeReason: 'completed',
      closedOn: '2025-03-21',
      revision: 4,
      departments: [
        {
          departmentId: 'finance',
          status: 'fed_back',
          response: 'accepted',
          respondedOn: '2025-03-10',
          measuresApplied: ['no_project_funding'],
          executedOn: '2025-03-20',
        },
        { departmentId: 'education-supervision', status: 'not_applicable', reason: 'Closed school' },
      ],
    });
    expect(allDepartmentsAnswered(status!)).toBe(true);
  });

  it('is not fully answered while a department that accepted has not fed back', () => {
    const status = caseStatusOf(
      stored([
        opened,
        {
          type: 'DepartmentResponded',
          data: { caseId: 'c-1', departmentId: 'finance', response: 'accepted', respondedOn: '2025-03-10' },
        },
        {
          type: 'DepartmentResponded',
          data: {
            caseId: 'c-1',
            departmentId: 'education-supervision',
            response: 'applied',
            respondedOn: '2025-03-10',
          },
        },
      ]),
    );
    expect(status?.status).toBe('open');
    expect(allDepartmentsAnswered(status!)).toBe(false);
  });
});

describe('case ids and addressees', () => {
  it('derives the same case id from the same triggering event, and another from another', () => {
    expect(caseIdFor('event-1')).toBe(caseIdFor('event-1'));
    expect(caseIdFor('event-1')).not.toBe(caseIdFor('event-2'));
    expect(caseIdFor('event-1')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('addresses each department once, for the measures it applies', () => {
    expect(
      departmentsFor(
        ['no_honours_or_commendation', 'no_project_funding', 'title_evaluation_and_promotion_limited'],
        defaultDepartmentDirectory,
      ).map((d) => d.departmentId),
    ).toEqual(['education-personnel', 'finance']);
  });
});
