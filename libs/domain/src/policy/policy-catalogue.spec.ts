import type { CreditPolicy } from './credit-policy';
import { defaultPolicy } from './default-policy';
import { findPolicy, policyFor } from './policy-catalogue';

describe('credit policies', () => {
  it('holds the national defaults from the reference rules', () => {
    expect(defaultPolicy.penalties.publicityBySeverity).toEqual({
      minor: { minimumMonths: 3, maximumMonths: 3 },
      general: { minimumMonths: 3, maximumMonths: 12 },
      serious: { minimumMonths: 12, maximumMonths: 36 },
    });
    expect(defaultPolicy.penalties.unpublishedWhenOnly).toEqual(['warning']);
    expect(defaultPolicy.penalties.reportingDeadlineWorkingDays).toBe(7);
    expect(defaultPolicy.recordValidityMonths).toBe(60);
    expect(defaultPolicy.objections).toEqual({
      decisionWorkingDays: 3,
      decisionWorkingDaysWithExternalVerification: 7,
    });
  });

  it('finds a policy by version', () => {
    expect(policyFor('2025-01')).toBe(defaultPolicy);
    expect(policyFor('2025-01', '350203')).toBe(defaultPolicy);
  });

  it('refuses an unknown version', () => {
    expect(() => policyFor('1999-01')).toThrow(expect.objectContaining({ code: 'POLICY.UNKNOWN_VERSION' }));
  });

  describe('with a provincial override', () => {
    const fujian: CreditPolicy = {
      ...defaultPolicy,
      jurisdiction: '350000',
      objections: { decisionWorkingDays: 5, decisionWorkingDaysWithExternalVerification: 10 },
    };
    const policies = [defaultPolicy, fujian];

    it('applies the override within the province and the default elsewhere', () => {
      expect(findPolicy(policies, '2025-01', '350203')).toBe(fujian);
      expect(findPolicy(policies, '2025-01', '350000')).toBe(fujian);
      expect(findPolicy(policies, '2025-01', '110105')).toBe(defaultPolicy);
    });
  });
});
