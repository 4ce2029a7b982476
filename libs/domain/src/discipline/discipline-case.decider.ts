// A joint-discipline case: one `case-<id>` stream from initiation to closure.
import { beijingDateOf } from '../calendar/iso-date';
import { assertNever, type Decider } from '../decider';
import { Conflict, InvalidInput, NotFound, RuleViolation } from '../errors';
import { requireActorCovers, requirePastDate, requireText, withoutUndefined } from '../input-checks';
import type {
  CloseCase,
  DisciplineCaseCommand,
  FeedBackExecution,
  OpenCase,
  RecordDepartmentResponse,
} from './discipline-case.commands';
import type { DisciplineCaseEvent } from './discipline-case.events';
import {
  evolveDisciplineCase,
  initialDisciplineCaseState,
  type DepartmentStatus,
  type DisciplineCaseState,
} from './discipline-case.state';

type OpenCaseState = Extract<DisciplineCaseState, { status: 'open' }>;

const openCase = (command: OpenCase, state: DisciplineCaseState, today: string): DisciplineCaseEvent[] => {
  const { caseId, subjectId, subject, list, recordIds, measures, departments } = command.data;
  if (state.status !== 'not_opened') {
    throw new Conflict('CASE.ALREADY_OPENED', `Case ${caseId} is already open`, { caseId });
  }
  requireActorCovers(command.metadata.actor, subject.jurisdiction);
  if (departments.length === 0) {
    throw new InvalidInput('CASE.DEPARTMENTS_REQUIRED', 'A case is addressed to at least one department', {
      caseId,
    });
  }
  if (measures.length === 0) {
    throw new InvalidInput('CASE.MEASURES_REQUIRED', 'A case asks for at least one measure', { caseId });
  }
  const allowed = command.metadata.policy.measuresByList[list].map((measure) => measure.code);
  const unknown = measures.filter((measure) => !allowed.includes(measure));
  if (unknown.length > 0) {
    throw new RuleViolation(
      'CASE.MEASURE_NOT_IN_POLICY',
      `Not measures of the ${list} list: ${unknown.join(', ')}`,
      {
        list,
        measures: unknown,
      },
    );
  }
  return [
    {
      type: 'CaseOpened',
      data: {
        caseId,
        subjectId,
        subject: { kind: subject.kind, name: subject.name, jurisdiction: subject.jurisdiction },
        list,
        recordIds,
        measures,
        departments: departments.map(({ departmentId, name }) => ({ departmentId, name })),
        openedOn: today,
      },
    },
  ];
};

const requireOpen = (state: DisciplineCaseState, caseId: string): OpenCaseState => {
  switch (state.status) {
    case 'not_opened':
      throw new NotFound('CASE.NOT_OPENED', `No case ${caseId}`, { caseId });
    case 'closed':
      throw new RuleViolation('CASE.CLOSED', `Case ${caseId} is closed`, { caseId });
    case 'open':
      return state;
    default:
      return assertNever(state);
  }
};

const departmentStatus = (state: OpenCaseState, departmentId: string): DepartmentStatus => {
  const status = state.departments[departmentId];
  if (status === undefined) {
    throw new NotFound(
      'CASE.UNKNOWN_DEPARTMENT',
      `Case ${state.caseId} is not addressed to ${departmentId}`,
      {
        departmentId,
      },
    );
  }
  return status;
};

const recordResponse = (
  command: RecordDepartmentResponse,
  state: DisciplineCaseState,
  today: string,
): DisciplineCaseEvent[] => {
  const { caseId, departmentId, response, reason } = command.data;
  const open = requireOpen(state, caseId);
  const current = departmentStatus(open, departmentId);
  if (current !== 'awaiting_response') {
    throw new Conflict('CASE.ALREADY_RESPONDED', `${departmentId} has already responded (${current})`, {
      departmentId,
      status: current,
    });
  }
  if (response === 'not_applicable') requireText('reason', reason);
  return [
    {
      type: 'DepartmentResponded',
      data: withoutUndefined({ caseId, departmentId, response, reason, respondedOn: today }),
    },
  ];
};

const feedBackExecution = (
  command: FeedBackExecution,
  state: DisciplineCaseState,
  today: string,
): DisciplineCaseEvent[] => {
  const { caseId, departmentId, measuresApplied, executedOn, note } = command.data;
  const open = requireOpen(state, caseId);
  const current = departmentStatus(open, departmentId);
  // Feedback follows a response that took the case on; a department that declined has nothing to report.
  if (current !== 'accepted' && current !== 'applied') {
    throw new RuleViolation('CASE.NOT_ACCEPTED', `${departmentId} has not taken on the case (${current})`, {
      departmentId,
      status: current,
    });
  }
  const notRequested = measuresApplied.filter((measure) => !open.measures.includes(measure));
  if (notRequested.length > 0) {
    throw new RuleViolation(
      'CASE.MEASURE_NOT_REQUESTED',
      `The case did not ask for ${notRequested.join(', ')}`,
      {
        measures: notRequested,
      },
    );
  }
  requirePastDate('executedOn', executedOn, today);
  return [
    {
      type: 'ExecutionFedBack',
      data: withoutUndefined({ caseId, departmentId, measuresApplied, executedOn, note }),
    },
  ];
};

const closeCase = (command: CloseCase, state: DisciplineCaseState, today: string): DisciplineCaseEvent[] => {
  const { caseId, reason, note } = command.data;
  const open = requireOpen(state, caseId);
  const outstanding = Object.entries(open.departments)
    .filter(([, status]) => status === 'awaiting_response' || status === 'accepted')
    .map(([departmentId]) => departmentId);
  if (reason === 'completed' && outstanding.length > 0) {
    throw new RuleViolation('CASE.RESPONSES_OUTSTANDING', `Still waiting for ${outstanding.join(', ')}`, {
      departments: outstanding,
    });
  }
  return [{ type: 'CaseClosed', data: withoutUndefined({ caseId, reason, note, closedOn: today }) }];
};

export const decideDisciplineCase = (
  command: DisciplineCaseCommand,
  state: DisciplineCaseState,
): readonly DisciplineCaseEvent[] => {
  const today = beijingDateOf(command.metadata.now);
  switch (command.type) {
    case 'OpenCase':
      return openCase(command, state, today);
    case 'RecordDepartmentResponse':
      return recordResponse(command, state, today);
    case 'FeedBackExecution':
      return feedBackExecution(command, state, today);
    case 'CloseCase':
      return closeCase(command, state, today);
    default:
      return assertNever(command);
  }
};

export const disciplineCaseDecider: Decider<DisciplineCaseCommand, DisciplineCaseEvent, DisciplineCaseState> =
  {
    decide: decideDisciplineCase,
    evolve: evolveDisciplineCase,
    initialState: initialDisciplineCaseState,
  };
