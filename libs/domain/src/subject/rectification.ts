// Rectification notices (整改文书, 限期整改) for negative-list findings at schools and institutions.
import { addDays, type IsoDate } from '../calendar/iso-date';
import type { Organisation } from './penalty';

export interface RectificationNotice {
  readonly noticeNumber: string;
  /** The finding, e.g. the negative-list item breached. */
  readonly finding: string;
  readonly requirements: string;
  readonly issuedOn: IsoDate;
  /** Last day to complete the rectification. */
  readonly deadline: IsoDate;
  readonly issuingAuthority: Organisation;
}

/**
 * The first Beijing date on which an open rectification is overdue (MarkRectificationOverdue is accepted):
 * the day after its deadline. The decider and the deadlines read model both ask this.
 */
export const rectificationOverdueOn = (notice: Pick<RectificationNotice, 'deadline'>): IsoDate =>
  addDays(notice.deadline, 1);
