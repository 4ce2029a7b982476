import { assertNever } from '../decider';
import type { CreditList, MeasureCode } from '../policy/credit-policy';
import type { DisciplineCaseEvent } from './discipline-case.events';

/** Where one addressed department stands in the initiation-response-feedback linkage. */
export type DepartmentStatus = 'awaiting_response' | 'accepted' | 'applied' | 'not_applicable' | 'fed_back';

interface CaseFacts {
  readonly caseId: string;
  readonly subjectId: string;
  readonly list: CreditList;
  readonly measures: readonly MeasureCode[];
  readonly departments: Readonly<Record<string, DepartmentStatus>>;
}

export type DisciplineCaseState =
  | { readonly status: 'not_opened' }
  | ({ readonly status: 'open' } & CaseFacts)
  | ({ readonly status: 'closed' } & CaseFacts);

export const initialDisciplineCaseState = (): DisciplineCaseState => ({ status: 'not_opened' });

export const evolveDisciplineCase = (
  state: DisciplineCaseState,
  event: DisciplineCaseEvent,
): DisciplineCaseState => {
  switch (event.type) {
    case 'CaseOpened': {
      const { caseId, subjectId, list, measures, departments } = event.data;
      return {
        status: 'open',
        caseId,
        subjectId,
        list,
        measures,
        departments: Object.fromEntries(
          departments.map((department) => [department.departmentId, 'awaiting_response']),
        ),
      };
    }
    case 'DepartmentResponded':
    case 'ExecutionFedBack': {
      if (state.status === 'not_opened') return state;
      const status: DepartmentStatus = event.type === 'ExecutionFedBack' ? 'fed_back' : event.data.response;
      return { ...state, departments: { ...state.departments, [event.data.departmentId]: status } };
    }
    case 'CaseClosed':
      return state.status === 'open' ? { ...state, status: 'closed' } : state;
    default:
      return assertNever(event);
  }
};
