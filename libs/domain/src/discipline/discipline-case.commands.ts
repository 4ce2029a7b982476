// Joint reward and punishment (联合奖惩) runs as initiation, response and feedback (发起、响应、反馈):
// one case per subject and list entry, addressed to the departments that apply the measures.
import type { IsoDate } from '../calendar/iso-date';
import type { CommandMetadata } from '../command-metadata';
import type { Command } from '../decider';
import type { CreditList, MeasureCode } from '../policy/credit-policy';
import type { SubjectSummary } from '../subject/subject-kind';

type CaseCommandOf<Type extends string, Data> = Command<Type, Data, CommandMetadata>;

export interface AddressedDepartment {
  readonly departmentId: string;
  readonly name: string;
}

/** Usually issued by a process manager when a subject enters a list (ListMembershipChanged). */
export type OpenCase = CaseCommandOf<
  'OpenCase',
  {
    readonly caseId: string;
    readonly subjectId: string;
    readonly subject: SubjectSummary;
    readonly list: CreditList;
    /** The records that put the subject on the list. */
    readonly recordIds: readonly string[];
    readonly measures: readonly MeasureCode[];
    readonly departments: readonly AddressedDepartment[];
  }
>;

/** `accepted`: will apply the measures; `applied`: already has; `not_applicable`: with the reason why. */
export type DepartmentResponse = 'accepted' | 'applied' | 'not_applicable';

export type RecordDepartmentResponse = CaseCommandOf<
  'RecordDepartmentResponse',
  {
    readonly caseId: string;
    readonly departmentId: string;
    readonly response: DepartmentResponse;
    readonly reason?: string;
  }
>;

export type FeedBackExecution = CaseCommandOf<
  'FeedBackExecution',
  {
    readonly caseId: string;
    readonly departmentId: string;
    readonly measuresApplied: readonly MeasureCode[];
    readonly executedOn: IsoDate;
    readonly note?: string;
  }
>;

/** `completed`: every department has answered; `lifted`: the subject left the list, so discipline ends. */
export type CloseCase = CaseCommandOf<
  'CloseCase',
  { readonly caseId: string; readonly reason: 'completed' | 'lifted'; readonly note?: string }
>;

export type DisciplineCaseCommand = OpenCase | RecordDepartmentResponse | FeedBackExecution | CloseCase;
