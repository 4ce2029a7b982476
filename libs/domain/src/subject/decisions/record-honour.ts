import { addMonths } from '../../calendar/iso-date';
import { RuleViolation } from '../../errors';
import { deriveCreditStatus } from '../credit-status';
import type { HonourDetails } from '../honour';
import type { RecordHonour } from '../subject.commands';
import type { HonourRecorded } from '../subject.events';
import type { RegisteredSubject } from '../subject.state';
import { requirePastDate, requireText, requireUscc, withoutUndefined } from '../../input-checks';
import type { DecisionContext } from './decision-context';
import { requireNewRecordId } from './record-lookup';

export const recordHonour = (
  command: RecordHonour,
  subject: RegisteredSubject,
  { today, policy }: DecisionContext,
): HonourRecorded[] => {
  const data = command.data;
  requireNewRecordId(subject, data.recordId);
  requireText('title', data.title);
  requireText('awardingBody.name', data.awardingBody.name);
  if (data.awardingBody.uscc !== undefined) requireUscc('awardingBody.uscc', data.awardingBody.uscc);
  requirePastDate('awardedOn', data.awardedOn, today);
  // Joint discipline: a listed subject may not receive honours or commendation (评优评先).
  const status = deriveCreditStatus(subject, policy, today);
  if (status.measures.some((measure) => measure.code === 'no_honours_or_commendation')) {
    throw new RuleViolation(
      'HONOUR.BARRED_BY_DISCIPLINE',
      'A subject under joint discipline cannot receive honours',
      {
        lists: Object.entries(status.lists)
          .filter(([, standing]) => standing.onList)
          .map(([list]) => list),
      },
    );
  }
  const honour: HonourDetails = withoutUndefined({
    title: data.title,
    category: data.category,
    awardingBody: withoutUndefined({ name: data.awardingBody.name, uscc: data.awardingBody.uscc }),
    awardedOn: data.awardedOn,
    documentNumber: data.documentNumber,
    description: data.description,
  });
  return [
    {
      type: 'HonourRecorded',
      data: {
        subjectId: data.subjectId,
        subject: subject.summary,
        recordId: data.recordId,
        honour,
        expiresOn: addMonths(data.awardedOn, policy.recordValidityMonths),
      },
    },
  ];
};
