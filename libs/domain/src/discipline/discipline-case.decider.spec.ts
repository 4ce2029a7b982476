import { specificationFor } from '../testing/given-when-then';
import { on, school, scheduler, xiamenOfficial } from '../subject/testing/subject-fixtures';
import type {
  CloseCase,
  FeedBackExecution,
  OpenCase,
  RecordDepartmentResponse,
} from './discipline-case.commands';
import { toCaseStreamId } from '../streams';
import { disciplineCaseDecider } from './discipline-case.decider';
import type { CaseOpened, DisciplineCaseEvent } from './discipline-case.events';

const given = specificationFor(disciplineCaseDecider);

const departments = [
  { departmentId: 'finance', name: '厦门市财政局' },
  { departmentId: 'hr', name: '厦门市人力资源和社会保障局' },
];

const openCase = (data: Partial<OpenCase['data']> = {}, actor = xiamenOfficial): OpenCase => ({
  type: 'OpenCase',
  data: {
    caseId: 'case-1',
    subjectId: 'school-1',
    subject: school,
    list: 'black',
    recordIds: ['penalty-1'],
    measures: ['no_project_funding', 'no_honours_or_commendation'],
    departments,
    ...data,
  },
  metadata: on('2025-03-06', { actor }),
});

const respond = (
  departmentId: string,
  response: RecordDepartmentResponse['data']['response'],
  reason?: string,
): RecordDepartmentResponse => ({
  type: 'RecordDepartmentResponse',
  data: { caseId: 'case-1', departmentId, response, reason },
  metadata: on('2025-03-10', { actor: scheduler }),
});

const feedBack = (
  departmentId: string,
  data: Partial<FeedBackExecution['data']> = {},
): FeedBackExecution => ({
  type: 'FeedBackExecution',
  data: {
    caseId: 'case-1',
    departmentId,
    measuresApplied: ['no_project_funding'],
    executedOn: '2025-03-20',
    ...data,
  },
  metadata: on('2025-03-21', { actor: scheduler }),
});

const close = (reason: CloseCase['data']['reason']): CloseCase => ({
  type: 'CloseCase',
  data: { caseId: 'case-1', reason },
  metadata: on('2025-04-01'),
});

const caseOpened: CaseOpened = {
  type: 'CaseOpened',
  data: {
    caseId: 'case-1',
    subjectId: 'school-1',
    subject: school,
    list: 'black',
    recordIds: ['penalty-1'],
    measures: ['no_project_funding', 'no_honours_or_commendation'],
    departments,
    openedOn: '2025-03-06',
  },
};
const responded = (
  departmentId: string,
  response: 'accepted' | 'applied' | 'not_applicable',
  reason?: string,
): DisciplineCaseEvent => ({
  type: 'DepartmentResponded',
  data: {
    caseId: 'case-1',
    departmentId,
    response,
    ...(reason === undefined ? {} : { reason }),
    respondedOn: '2025-03-10',
  },
});

describe('joint discipline cases (发起、响应、反馈)', () => {
  it('names one stream per case', () => {
    expect(toCaseStreamId('case-1')).toBe('case-case-1');
  });

  describe('when no case is open', () => {
    it('opens a case with the measures and the departments addressed', () => {
      given([]).when(openCase()).then([caseOpened]);
    });

    it('asks only for measures the policy lists for that list', () => {
      given([])
        .when(openCase({ measures: ['priority_for_honours_and_funding'] }))
        .thenThrows('CASE.MEASURE_NOT_IN_POLICY', { measures: ['priority_for_honours_and_funding'] });
    });

    it('needs measures and departments', () => {
      given([])
        .when(openCase({ measures: [] }))
        .thenThrows('CASE.MEASURES_REQUIRED');
      given([])
        .when(openCase({ departments: [] }))
        .thenThrows('CASE.DEPARTMENTS_REQUIRED');
    });

    it('is initiated from within the subject’s jurisdiction', () => {
      given([])
        .when(openCase({}, { ...xiamenOfficial, jurisdiction: '110000' }))
        .thenThrows('ACTOR.OUTSIDE_JURISDICTION');
    });

    it('refuses responses to a case that does not exist', () => {
      given([]).when(respond('finance', 'accepted')).thenThrows('CASE.NOT_OPENED');
    });
  });

  describe('when the case is open', () => {
    it('cannot be opened again', () => {
      given([caseOpened]).when(openCase()).thenThrows('CASE.ALREADY_OPENED');
    });

    it('records a department’s response', () => {
      given([caseOpened])
        .when(respond('finance', 'accepted'))
        .then([responded('finance', 'accepted')]);
    });

    it('requires a reason when the measures do not apply', () => {
      given([caseOpened])
        .when(respond('hr', 'not_applicable'))
        .thenThrows('INPUT.FIELD_REQUIRED', { field: 'reason' });
      given([caseOpened])
        .when(respond('hr', 'not_applicable', 'The school holds no titles under our review'))
        .then([responded('hr', 'not_applicable', 'The school holds no titles under our review')]);
    });

    it('refuses a department the case was not addressed to, and a second response', () => {
      given([caseOpened]).when(respond('tax', 'accepted')).thenThrows('CASE.UNKNOWN_DEPARTMENT');
      given([caseOpened, responded('finance', 'accepted')])
        .when(respond('finance', 'applied'))
        .thenThrows('CASE.ALREADY_RESPONDED');
    });

    it('takes execution feedback from a department that accepted', () => {
      given([caseOpened, responded('finance', 'accepted')])
        .when(feedBack('finance'))
        .then([
          {
            type: 'ExecutionFedBack',
            data: {
              caseId: 'case-1',
              departmentId: 'finance',
              measuresApplied: ['no_project_funding'],
              executedOn: '2025-03-20',
            },
          },
        ]);
    });

    it('refuses feedback before acceptance, or for measures the case did not ask for', () => {
      given([caseOpened]).when(feedBack('finance')).thenThrows('CASE.NOT_ACCEPTED');
      given([caseOpened, responded('finance', 'accepted')])
        .when(feedBack('finance', { measuresApplied: ['teacher_ethics_veto'] }))
        .thenThrows('CASE.MEASURE_NOT_REQUESTED');
    });

    it('closes as completed only when every department has answered in full', () => {
      given([caseOpened, responded('finance', 'accepted')])
        .when(close('completed'))
        .thenThrows('CASE.RESPONSES_OUTSTANDING', { departments: ['finance', 'hr'] });
      given([
        caseOpened,
        responded('finance', 'accepted'),
        {
          type: 'ExecutionFedBack',
          data: {
            caseId: 'case-1',
            departmentId: 'finance',
            measuresApplied: ['no_project_funding'],
            executedOn: '2025-03-20',
          },
        },
        responded('hr', 'applied'),
      ])
        .when(close('completed'))
        .then([
          { type: 'CaseClosed', data: { caseId: 'case-1', reason: 'completed', closedOn: '2025-04-01' } },
        ]);
    });

    it('closes at any time when the subject leaves the list', () => {
      given([caseOpened]).when(close('lifted')).thenEventTypes(['CaseClosed']);
    });
  });

  describe('when the case is closed', () => {
    it('takes no more responses', () => {
      given([
        caseOpened,
        { type: 'CaseClosed', data: { caseId: 'case-1', reason: 'lifted', closedOn: '2025-04-01' } },
      ])
        .when(respond('finance', 'accepted'))
        .thenThrows('CASE.CLOSED');
    });
  });
});
