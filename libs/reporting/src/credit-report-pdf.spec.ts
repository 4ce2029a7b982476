// The printed report read back with poppler (pdftotext, pdffonts, pdftoppm), as a person's PDF reader would.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { creditReportFileName, renderCreditReportPdf } from './credit-report-pdf';
import { creditReportFixture } from './testing/credit-report-fixture';

const dir = mkdtempSync(join(tmpdir(), 'credit-report-pdf-'));
const write = async (name: string, records: number): Promise<string> => {
  const file = join(dir, name);
  writeFileSync(file, await renderCreditReportPdf(creditReportFixture(records)));
  return file;
};
const run = (tool: string, ...args: string[]): string => execFileSync(tool, args, { encoding: 'utf8' });

describe('the credit report as a PDF', () => {
  let short: string;
  let long: string;

  beforeAll(async () => {
    short = await write('short.pdf', 3);
    long = await write('long.pdf', 100);
  }, 60_000);

  it('given a report, the text read back holds the subject’s Chinese name, the report number and the title', () => {
    const text = run('pdftotext', '-enc', 'UTF-8', short, '-');
    expect(text).toContain('林晓梅');
    expect(text).toContain('CR-350200-20261207-000042');
    expect(text).toContain('教育信用报告');
    expect(text).toContain('思教罚决字〔2026〕第1号');
    expect(text).toContain('本报告尚未经教师本人确认');
  });

  it('given a report, every font is embedded as a subset (no system font is needed to read it)', () => {
    const rows = run('pdffonts', short).trim().split('\n').slice(2);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toMatch(/NotoSansSC.*\byes\s+yes\s+yes\b/);
  });

  it('given 100 records, they run across numbered pages, each page saying its number and the total', () => {
    const pages = Number(/Pages:\s+(\d+)/.exec(run('pdfinfo', long))![1]);
    expect(pages).toBeGreaterThan(5);
    const text = run('pdftotext', '-enc', 'UTF-8', long, '-');
    expect(text).toContain(`第 ${pages} 页 / 共 ${pages} 页`);
    expect(text).toContain('思教罚决字〔2026〕第100号');
  });

  it('renders page 1 to docs/credit-report-page1.png for people to look at', () => {
    run('pdftoppm', '-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', short, join(dir, 'page1'));
    copyFileSync(join(dir, 'page1.png'), join(__dirname, '../../../docs/credit-report-page1.png'));
  });

  it('names the download after the report number, safe for a header', () => {
    expect(creditReportFileName('CR-350200/2026 1')).toBe('credit-report-CR-350200_2026_1.pdf');
  });
});
