// The double-publicity (双公示) subject block a public listing shows beside a record: the category
// (CF_XDR_LB), the USCC of a legal person (CF_XDR_SHXYM), the masked ID number of a natural person
// (CF_XDR_ZJLX / CF_XDR_ZJHM). Read from the subject's status document at query time, so a corrected
// identifier shows at once and records recorded before this block existed show it too.
import { isMinorOn, isNaturalPersonKind, maskResidentId, type IsoDate } from '@ledger/domain';
import type { SubjectCreditStatus } from './subject-credit-status.projection';

export type DisclosedIdentity =
  | { readonly category: '法人及非法人组织'; readonly uscc: string }
  | { readonly category: '自然人'; readonly idType: '身份证'; readonly idNumber: string }
  /** A minor, or a natural person whose age is unknown: nothing that identifies them beyond the record. */
  | { readonly category: '自然人'; readonly idType: null; readonly idNumber: null };

export function disclosedIdentity(status: SubjectCreditStatus, today: IsoDate): DisclosedIdentity | null {
  const { state } = status;
  if (state.status !== 'registered') return null;
  if (!isNaturalPersonKind(state.summary.kind)) {
    return { category: '法人及非法人组织', uscc: state.identifier.value };
  }
  const adult =
    state.summary.kind !== 'student' && state.birthDate !== null && !isMinorOn(state.birthDate, today);
  return adult
    ? { category: '自然人', idType: '身份证', idNumber: maskResidentId(state.identifier.value) }
    : { category: '自然人', idType: null, idNumber: null };
}
