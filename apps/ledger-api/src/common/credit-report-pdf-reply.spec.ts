import { wantsPdf } from './credit-report-pdf-reply';

describe('choosing the PDF form of a credit report', () => {
  it.each([
    ['application/pdf', true],
    ['application/pdf, application/json;q=0.5', true],
    ['application/json, application/pdf;q=0.5', false],
    ['application/json', false],
    ['*/*', false],
    [undefined, false],
    ['application/pdf;q=0', false],
  ])('given Accept %p, PDF is %p', (accept, expected) => {
    expect(wantsPdf(accept)).toBe(expected);
  });
});
