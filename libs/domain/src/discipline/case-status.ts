// A case as a person reads it (API, CLI): opened, which departments responded and how, what they fed
// back, closed. Folded from the case stream on demand; the decider's state keeps only what deciding needs.
import type { MeasureCode } from '../policy/credit-policy';
import type { AddressedDepartment, DepartmentResponse } from './discipline-case.commands';
import type { CaseOpened, DisciplineCaseEvent } from './discipline-case.events';
import type { DepartmentStatus } from './discipline-case.state';

export interface DepartmentProgress extends AddressedDepartment {
  readonly status: DepartmentStatus;
  readonly response?: DepartmentResponse;
  readonly reason?: string;
  readonly respondedOn?: string;
  readonly measuresApplied?: readonly MeasureCode[];
  readonly executedOn?: string;
  readonly note?: string;
}

export interface DisciplineCaseStatus {
  readonly caseId: string;
  readonly status: 'open' | 'closed';
  readonly subjectId: string;
  readonly subject: CaseOpened['data']['subject'];
  readonly list: CaseOpened['data']['list'];
  readonly recordIds: readonly string[];
  readonly measures: readonly MeasureCode[];
  readonly departments: readonly DepartmentProgress[];
  readonly openedOn: string;
  readonly closedOn?: string;
  readonly closeReason?: 'completed' | 'lifted';
  /** Revision of the last event folded: a client can ask again with If-Match semantics. */
  readonly revision: number;
}

/** An event as the store gives it back: its type, data and revision in the case stream. */
export interface StoredCaseEvent {
  readonly type: string;
  readonly data: unknown;
  readonly revision: number;
}

/** undefined when the stream holds no case. */
export function caseStatusOf(events: readonly StoredCaseEvent[]): DisciplineCaseStatus | undefined {
  let status: DisciplineCaseStatus | undefined;
  for (const stored of events) {
    const event = stored as unknown as DisciplineCaseEvent;
    status = evolveStatus(status, event);
    if (status) status = { ...status, revision: stored.revision };
  }
  return status;
}

function evolveStatus(status: DisciplineCaseStatus | undefined, event: DisciplineCaseEvent) {
  if (event.type === 'CaseOpened') {
    const { caseId, subjectId, subject, list, recordIds, measures, departments, openedOn } = event.data;
    return {
      caseId,
      status: 'open' as const,
      subjectId,
      subject,
      list,
      recordIds,
      measures,
      departments: departments.map((d) => ({ ...d, status: 'awaiting_response' as const })),
      openedOn,
      revision: 0,
    };
  }
  if (!status) return status;
  switch (event.type) {
    case 'DepartmentResponded': {
      const { departmentId, response, reason, respondedOn } = event.data;
      return withDepartment(status, departmentId, { status: response, response, reason, respondedOn });
    }
    case 'ExecutionFedBack': {
      const { departmentId, measuresApplied, executedOn, note } = event.data;
      return withDepartment(status, departmentId, { status: 'fed_back', measuresApplied, executedOn, note });
    }
    case 'CaseClosed':
      return {
        ...status,
        status: 'closed' as const,
        closedOn: event.data.closedOn,
        closeReason: event.data.reason,
      };
    default:
      return status;
  }
}

function withDepartment(
  status: DisciplineCaseStatus,
  departmentId: string,
  change: Partial<DepartmentProgress>,
): DisciplineCaseStatus {
  const departments = status.departments.map((d) =>
    d.departmentId === departmentId ? stripUndefined({ ...d, ...change }) : d,
  );
  return { ...status, departments };
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

/** Every addressed department has answered in full: nothing is awaited, no acceptance lacks feedback. */
export function allDepartmentsAnswered(status: DisciplineCaseStatus): boolean {
  return status.departments.every((d) => d.status !== 'awaiting_response' && d.status !== 'accepted');
}
