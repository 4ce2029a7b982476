import type { IsoDate } from '../calendar/iso-date';
import type { Event } from '../decider';
import type { CreditList, MeasureCode } from '../policy/credit-policy';
import type { SubjectSummary } from '../subject/subject-kind';
import type { AddressedDepartment, DepartmentResponse } from './discipline-case.commands';

export type CaseOpened = Event<
  'CaseOpened',
  {
    readonly caseId: string;
    readonly subjectId: string;
    readonly subject: SubjectSummary;
    readonly list: CreditList;
    readonly recordIds: readonly string[];
    readonly measures: readonly MeasureCode[];
    readonly departments: readonly AddressedDepartment[];
    readonly openedOn: IsoDate;
  }
>;

export type DepartmentResponded = Event<
  'DepartmentResponded',
  {
    readonly caseId: string;
    readonly departmentId: string;
    readonly response: DepartmentResponse;
    readonly reason?: string;
    readonly respondedOn: IsoDate;
  }
>;

export type ExecutionFedBack = Event<
  'ExecutionFedBack',
  {
    readonly caseId: string;
    readonly departmentId: string;
    readonly measuresApplied: readonly MeasureCode[];
    readonly executedOn: IsoDate;
    readonly note?: string;
  }
>;

export type CaseClosed = Event<
  'CaseClosed',
  {
    readonly caseId: string;
    readonly reason: 'completed' | 'lifted';
    readonly note?: string;
    readonly closedOn: IsoDate;
  }
>;

export type DisciplineCaseEvent = CaseOpened | DepartmentResponded | ExecutionFedBack | CaseClosed;
