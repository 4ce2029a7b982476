// Finds the policy that governs a decision: the version asked for, in the most local jurisdiction
// that has one (a provincial override wins over the national default for its own divisions only).
import { NotFound } from '../errors';
import { divisionContains, divisionLevelOf, NATIONAL_DIVISION } from '../identifiers/division-code';
import type { CreditPolicy } from './credit-policy';
import { defaultPolicy } from './default-policy';

const specificity = { national: 0, province: 1, city: 2, county: 3 } as const;

export const findPolicy = (
  policies: readonly CreditPolicy[],
  version: string,
  jurisdiction: string = NATIONAL_DIVISION,
): CreditPolicy => {
  const candidates = policies
    .filter((policy) => policy.version === version && divisionContains(policy.jurisdiction, jurisdiction))
    .sort(
      (a, b) => specificity[divisionLevelOf(b.jurisdiction)] - specificity[divisionLevelOf(a.jurisdiction)],
    );
  if (candidates.length === 0) {
    throw new NotFound('POLICY.UNKNOWN_VERSION', `No credit policy ${version} covers ${jurisdiction}`, {
      version,
      jurisdiction,
    });
  }
  return candidates[0];
};

/** The policies this build ships. Add a jurisdiction's override here: `{ ...defaultPolicy, jurisdiction, ... }`. */
export const knownPolicies: readonly CreditPolicy[] = [defaultPolicy];

export const policyFor = (version: string, jurisdiction?: string): CreditPolicy =>
  findPolicy(knownPolicies, version, jurisdiction);
