// Every change of list membership or grade is an event that auditors and Kafka see (DESIGN.md).
import { creditLists } from '../../policy/credit-policy';
import { deriveCreditStatus, measuresOfList } from '../credit-status';
import type { CreditGradeChanged, ListMembershipChanged } from '../subject.events';
import type { RegisteredSubject } from '../subject.state';
import type { DecisionContext } from './decision-context';

/** Compares the standing derived now with the standing last announced, and announces the difference. */
export const standingChanges = (
  subject: RegisteredSubject,
  { today, policy }: DecisionContext,
): Array<ListMembershipChanged | CreditGradeChanged> => {
  const status = deriveCreditStatus(subject, policy, today);
  const { subjectId, summary, announced } = subject;
  const listChanges = creditLists.flatMap((list): ListMembershipChanged[] => {
    const onList = status.lists[list].onList;
    if (onList === announced.lists.includes(list)) return [];
    return [
      {
        type: 'ListMembershipChanged',
        data: {
          subjectId,
          subject: summary,
          list,
          change: onList ? 'entered' : 'left',
          reasons: status.lists[list].reasons,
          measures: onList ? measuresOfList(list, summary, policy).map((measure) => measure.code) : [],
          disclosure: status.disclosure,
          changedOn: today,
        },
      },
    ];
  });
  const gradeChanges: CreditGradeChanged[] =
    status.grade === announced.grade
      ? []
      : [
          {
            type: 'CreditGradeChanged',
            data: {
              subjectId,
              subject: summary,
              previousGrade: announced.grade,
              grade: status.grade,
              supervision: status.supervision,
              changedOn: today,
            },
          },
        ];
  return [...listChanges, ...gradeChanges];
};
