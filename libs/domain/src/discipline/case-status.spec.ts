import { allDepartmentsAnswered, caseStatusOf, type StoredCaseEvent } from './case-status';

const stored = (events: Array<{ type: string; data: unknown }>): StoredCaseEvent[] =>
  events.map((event, revision) => ({ ...event, revision }));

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
