import { caseIdFor } from './case-ids';
import { departmentsFor, defaultDepartmentDirectory } from './departments';

describe('case ids and addressees', () => {
  it('derives the same case id from the same triggering event, and another from another', () => {
    expect(caseIdFor('event-1')).toBe(caseIdFor('event-1'));
    expect(caseIdFor('event-1')).not.toBe(caseIdFor('event-2'));
    expect(caseIdFor('event-1')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('addresses each department once, for the measures it applies', () => {
    expect(
      departmentsFor(
        ['no_honours_or_commendation', 'no_project_funding', 'title_evaluation_and_promotion_limited'],
        defaultDepartmentDirectory,
      ).map((d) => d.departmentId),
    ).toEqual(['education-personnel', 'finance']);
  });
});
