// Credit commitment code (信用承诺编码): 6-digit division + 8-digit date made + 6-digit serial.
import { isIsoDate, type IsoDate } from '../calendar/iso-date';
import { isDivisionCode } from './division-code';

export interface CommitmentCodeParts {
  readonly divisionCode: string;
  readonly dateMade: IsoDate;
  readonly serial: string;
}

export const parseCommitmentCode = (code: string): CommitmentCodeParts | undefined => {
  if (!/^[0-9]{20}$/.test(code)) return undefined;
  const divisionCode = code.slice(0, 6);
  const dateMade = `${code.slice(6, 10)}-${code.slice(10, 12)}-${code.slice(12, 14)}`;
  if (!isDivisionCode(divisionCode) || !isIsoDate(dateMade)) return undefined;
  return { divisionCode, dateMade, serial: code.slice(14) };
};
