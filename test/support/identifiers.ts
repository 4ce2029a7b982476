// Valid identifiers for tests that need a subject no other test (or earlier run on a shared broker) used.
import { randomInt } from 'node:crypto';
import { usccCheckCharacter } from '@ledger/domain';

/** A USCC of a legal person registered in Xiamen, with a random organisation code and a correct check character. */
export function randomUscc(): string {
  const body = `91350200${String(randomInt(0, 1e9)).padStart(9, '0')}`;
  return body + usccCheckCharacter(body);
}
