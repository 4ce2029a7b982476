// The credit report (信用报告) printed: an A4 PDF in Simplified Chinese drawn from the JSON report, with an
// embedded subset of Noto Sans SC, page numbers, and the verification section with its QR code. Everything
// printed comes from the report itself, so the PDF says nothing the sealed JSON does not.
import PDFDocument from 'pdfkit';
import type { CreditReport, ReportRecord } from '@ledger/domain';
import { beijingDateTime, chineseDate } from './pdf/beijing-time';
import { reportFonts } from './pdf/fonts';
import {
  confirmationStatusName,
  disclosureName,
  gradeName,
  identifierLabel,
  measureName,
  natureName,
  objectionOutcomeName,
  objectionStatusName,
  personTypeName,
  recordKindName,
  recordStatusName,
  repairStatusName,
  severityName,
  subjectKindName,
  supervisionName,
  yesNo,
} from './pdf/labels';
import { drawQrCode } from './pdf/qr-code';
import { COLOUR, CONTENT_WIDTH, FONT, MARGIN, PAGE, Sheet, type Cell, type Doc } from './pdf/sheet';

export const PDF_MEDIA_TYPE = 'application/pdf';

/** The file name a download of the report gets: its number, made safe for a header and a file system. */
export const creditReportFileName = (reportNo: string): string =>
  `credit-report-${reportNo.replace(/[^A-Za-z0-9._-]/g, '_')}.pdf`;

/** 002 §6: a teacher's file is a 教师个人职业信用报告 only once the teacher confirmed it. */
export function creditReportTitle(report: CreditReport): string {
  return report.teacherConfirmation?.status === 'confirmed' ? '教师个人职业信用报告' : '教育信用报告';
}

const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const LABEL = 80;
const HALF = (CONTENT_WIDTH - 2 * LABEL) / 2;
const FULL = CONTENT_WIDTH - LABEL;

const label = (text: string, width = LABEL): Cell => ({ text, width, kind: 'label' });
const value = (text: string | null | undefined, width = HALF, alert = false): Cell => ({
  text: text == null || text === '' ? '—' : text,
  width,
  alert,
});
/** Two label–value pairs side by side. */
const pair = (
  l1: string,
  v1: string | null | undefined,
  l2: string,
  v2: string | null | undefined,
): Cell[] => [label(l1), value(v1), label(l2), value(v2)];
const wide = (l: string, v: string | null | undefined, alert = false): Cell[] => [
  label(l),
  value(v, FULL, alert),
];

/** Renders the report; resolves with the bytes of the PDF. */
export function renderCreditReportPdf(report: CreditReport): Promise<Buffer> {
  const fonts = reportFonts();
  const title = creditReportTitle(report);
  const issued = new Date(report.issuedAt);
  const doc: Doc = new PDFDocument({
    size: 'A4',
    // pdfkit's own bottom margin is kept small: the sheet breaks pages itself, and the footer sits below it.
    margins: { top: MARGIN.top, left: MARGIN.left, right: MARGIN.right, bottom: 16 },
    bufferPages: true,
    autoFirstPage: true,
    lang: 'zh-CN',
    displayTitle: true,
    info: {
      Title: `${title} ${report.reportNo}`,
      Subject: `${report.subject.name} · ${report.purpose.name}`,
      Author: report.issuer.authority.name,
      Creator: 'education credit ledger',
      Keywords: `credit report, ${report.reportNo}`,
      ...(Number.isNaN(issued.getTime()) ? {} : { CreationDate: issued, ModDate: issued }),
    },
  });
  const bytes = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  // pdfkit takes a parsed fontkit font as a source; its typings know only files and buffers.
  doc.registerFont(FONT.regular, fonts.regular as unknown as Buffer);
  doc.registerFont(FONT.bold, fonts.bold as unknown as Buffer);

  const sheet = new Sheet(doc, (page) => runningHeader(page, title, report.reportNo));
  let section = 0;
  const heading = (text: string, next?: number) => sheet.heading(`${NUMERALS[section++]}、${text}`, next);

  firstPageHeader(sheet, report, title);

  heading('主体基本信息');
  const { subject, standing } = report;
  sheet.row(
    pair(
      '名称',
      subject.name,
      '主体类别',
      `${subjectKindName(subject.kind)}（${personTypeName(subject.personType)}）`,
    ),
  );
  sheet.row(
    pair(
      identifierLabel(subject.identifier.scheme),
      subject.identifier.value,
      '所属行政区划',
      subject.jurisdiction,
    ),
  );
  sheet.row(pair('主体标识', subject.subjectId, '未成年人', yesNo(subject.isMinor)));

  heading('信用等级与分级分类监管');
  sheet.row(
    pair(
      '信用等级',
      gradeName(standing.grade),
      '监管等级',
      `${supervisionName(standing.supervision.level)}（双随机抽查比例 ${standing.supervision.randomInspectionSamplingPercent}%）`,
    ),
  );
  sheet.row(pair('红名单', yesNo(standing.lists.red), '黑名单', yesNo(standing.lists.black)));
  sheet.row(pair('重点监管名单', yesNo(standing.lists.key_supervision), '政策版本', standing.policyVersion));

  heading(`有效期内的信用记录（共 ${report.records.length} 条）`, 90);
  if (report.records.length === 0) sheet.paragraph('截至报告日期，无在有效期内的信用记录。');
  report.records.forEach((record, i) => {
    sheet.block(recordRows(record, i + 1));
    sheet.gap(5);
  });
  const { expired, revoked, repaired } = report.excluded;
  sheet.paragraph(
    `依记录有效期规则未纳入本报告的记录：已过期 ${expired} 条，已撤销 ${revoked} 条，已修复 ${repaired} 条。`,
    { colour: COLOUR.muted },
  );

  heading('适用的信用措施');
  if (report.measures.length === 0) sheet.paragraph('无。');
  else
    sheet.table(
      [head('序号', 32), head('措施', 280), head('措施代码', CONTENT_WIDTH - 312)],
      report.measures.map((m, i) => [
        value(String(i + 1), 32),
        value(measureName(m.code, m.description), 280),
        value(m.code, CONTENT_WIDTH - 312),
      ]),
    );

  heading('信用修复');
  if (report.repairs.length === 0) sheet.paragraph('无信用修复申请。');
  else {
    const w = [28, 110, 52, 62, 62, CONTENT_WIDTH - 314];
    sheet.table(
      ['序号', '所涉记录文书号', '状态', '申请日期', '决定日期', '决定理由'].map((t, i) => head(t, w[i]!)),
      report.repairs.map((r, i) =>
        [String(i + 1), r.documentNumber, repairStatusName(r.status), r.appliedOn, r.decidedOn, r.reason].map(
          (t, j) => value(t, w[j]!),
        ),
      ),
    );
  }

  heading('异议及处理结果');
  if (report.objections.length === 0) sheet.paragraph('无异议。');
  else {
    const w = [26, 88, 104, 54, 54, 60, 54, CONTENT_WIDTH - 440];
    sheet.table(
      ['序号', '所涉记录文书号', '异议理由', '提出日期', '答复期限', '状态及结果', '办结日期', '说明'].map(
        (t, i) => head(t, w[i]!),
      ),
      report.objections.map((o, i) =>
        [
          String(i + 1),
          o.documentNumber,
          o.grounds,
          o.filedOn,
          o.decisionDueBy,
          o.outcome
            ? `${objectionStatusName(o.status)}：${objectionOutcomeName(o.outcome)}`
            : objectionStatusName(o.status),
          o.resolvedOn,
          o.reason,
        ].map((t, j) => value(t, w[j]!, j === 5 && o.status === 'open')),
      ),
    );
  }

  const confirmation = report.teacherConfirmation;
  if (confirmation) {
    heading('教师本人确认');
    const unconfirmed = confirmation.status !== 'confirmed';
    sheet.row([
      label('确认状态'),
      value(confirmationStatusName(confirmation.status), HALF, unconfirmed),
      label('关联异议'),
      value(confirmation.objectionId),
    ]);
    sheet.row(
      pair(
        '请求日期',
        chineseDate(confirmation.requestedOn),
        '答复日期',
        chineseDate(confirmation.answeredOn),
      ),
    );
    sheet.row(wide('说明', confirmation.notice, unconfirmed));
  }

  heading('验证信息', 150);
  verificationSection(sheet, report);

  sheet.gap(6);
  sheet.paragraph(
    '声明：本报告由教育信用账本根据截至上列签名摘要的全部记录生成。报告封签覆盖报告全部内容，任何改动均将使验证失败；' +
      `本报告仅供“${report.purpose.name}”使用，其真实性与现行有效性以验证结果为准。`,
    { colour: COLOUR.muted, size: 7.5 },
  );

  footers(doc, report.reportNo, title);
  doc.end();
  return bytes;
}

const head = (text: string, width: number): Cell => ({ text, width, kind: 'head', align: 'center' });

function firstPageHeader(sheet: Sheet, report: CreditReport, title: string): void {
  const { doc } = sheet;
  const { authority, actor } = report.issuer;
  doc.font(FONT.regular).fontSize(8).fillColor(COLOUR.muted);
  doc.text(`出具机关：${authority.name}`, MARGIN.left, MARGIN.top, {
    width: CONTENT_WIDTH / 2,
    lineBreak: false,
  });
  doc.text(`报告编号：${report.reportNo}`, MARGIN.left + CONTENT_WIDTH / 2, MARGIN.top, {
    width: CONTENT_WIDTH / 2,
    align: 'right',
    lineBreak: false,
  });
  const ruleY = MARGIN.top + 14;
  doc
    .moveTo(MARGIN.left, ruleY)
    .lineTo(PAGE.width - MARGIN.right, ruleY)
    .lineWidth(1.6)
    .strokeColor(COLOUR.accent)
    .stroke();
  doc
    .moveTo(MARGIN.left, ruleY + 2.5)
    .lineTo(PAGE.width - MARGIN.right, ruleY + 2.5)
    .lineWidth(0.5)
    .stroke();

  doc.font(FONT.bold).fontSize(20).fillColor(COLOUR.text);
  doc.text(title, MARGIN.left, ruleY + 14, { width: CONTENT_WIDTH, align: 'center', characterSpacing: 3 });
  doc.font(FONT.regular).fontSize(9).fillColor(COLOUR.muted);
  doc.text(`（用于：${report.purpose.name}）`, MARGIN.left, ruleY + 42, {
    width: CONTENT_WIDTH,
    align: 'center',
  });
  sheet.y = ruleY + 62;

  const actorText = [actor.id, actor.role, actor.department].filter(Boolean).join('，');
  sheet.row(pair('报告编号', report.reportNo, '出具时间', beijingDateTime(report.issuedAt)));
  sheet.row(pair('出具机关', `${authority.name}（${authority.jurisdiction}）`, '经办人', actorText));
  sheet.row(
    pair(
      '查询用途',
      `${report.purpose.name}（${report.purpose.code}）`,
      '信用状况截至',
      chineseDate(report.asOf),
    ),
  );

  const confirmation = report.teacherConfirmation;
  if (confirmation && confirmation.status !== 'confirmed') {
    sheet.gap(6);
    doc.font(FONT.bold).fontSize(9);
    const text = `提示：${confirmation.notice}`;
    const height = doc.heightOfString(text, { width: CONTENT_WIDTH - 12 }) + 10;
    doc.rect(MARGIN.left, sheet.y, CONTENT_WIDTH, height).lineWidth(1).strokeColor(COLOUR.accent).stroke();
    doc.fillColor(COLOUR.accent).text(text, MARGIN.left + 6, sheet.y + 5, { width: CONTENT_WIDTH - 12 });
    sheet.y += height;
  }
}

function runningHeader(doc: Doc, title: string, reportNo: string): number {
  doc.font(FONT.regular).fontSize(7.5).fillColor(COLOUR.muted);
  doc.text(`${title}（续）`, MARGIN.left, MARGIN.top, { width: CONTENT_WIDTH / 2, lineBreak: false });
  doc.text(`报告编号：${reportNo}`, MARGIN.left + CONTENT_WIDTH / 2, MARGIN.top, {
    width: CONTENT_WIDTH / 2,
    align: 'right',
    lineBreak: false,
  });
  const y = MARGIN.top + 12;
  doc
    .moveTo(MARGIN.left, y)
    .lineTo(PAGE.width - MARGIN.right, y)
    .lineWidth(0.8)
    .strokeColor(COLOUR.accent)
    .stroke();
  return y + 8;
}

function recordRows(record: ReportRecord, index: number): Cell[][] {
  const tags = [recordKindName(record.kind), natureName(record.nature)];
  if (record.severity) tags.push(`${severityName(record.severity)}情节`);
  const rows: Cell[][] = [
    [{ text: `${index}. 【${tags.join(' · ')}】 ${record.title}`, width: CONTENT_WIDTH, kind: 'head' }],
    pair('文书号', record.documentNumber, '决定日期', chineseDate(record.decidedOn)),
    pair(
      '决定机关',
      record.authority ? [record.authority.name, record.authority.uscc].filter(Boolean).join('  ') : null,
      '有效期至',
      chineseDate(record.validUntil),
    ),
  ];
  if (record.legalBasis) rows.push(wide('法律依据', record.legalBasis));
  if (record.content) rows.push(wide('内容', record.content));
  if (record.publicity) {
    const p = record.publicity;
    rows.push(
      pair(
        '公示期',
        `${p.startsOn} 至 ${p.endsOn}（${disclosureName(p.disclosure)}）`,
        '公示截止',
        chineseDate(p.endsOn),
      ),
    );
    rows.push(pair('最短公示期满', chineseDate(p.minimumPeriodEndsOn), '状态', statusText(record)));
  } else {
    rows.push(wide('状态', statusText(record), record.disputed));
  }
  if (record.publicity && record.disputed)
    rows[rows.length - 1] = [...rows[rows.length - 1]!.slice(0, 3), value(statusText(record), HALF, true)];
  return rows;
}

const statusText = (record: ReportRecord): string =>
  record.disputed ? `${recordStatusName(record.status)}（异议处理中）` : recordStatusName(record.status);

function verificationSection(sheet: Sheet, report: CreditReport): void {
  const v = report.verification;
  const qrSize = 104;
  const labelWidth = 76;
  const valueWidth = CONTENT_WIDTH - qrSize - 8 - labelWidth;
  const line = (l: string, t: string | null | undefined): Cell[] => [
    label(l, labelWidth),
    value(t, valueWidth),
  ];
  const algorithms = [...new Set(v.proofs.map((p) => p.algorithm))].join('、') || v.digest.algorithm;
  const rows: Cell[][] = [
    line('签名摘要根', `${v.digest.root}（${v.digest.algorithm}）`),
    line('摘要截至位置', `upToPosition ${v.digest.upToPosition}，共 ${v.digest.eventCount} 个事件`),
    line('摘要生成时间', beijingDateTime(v.digest.createdAt)),
    line(
      '摘要签名密钥',
      v.digest.keyId ? `${v.digest.keyId}${v.digest.signature ? '（已签名）' : ''}` : '未签名',
    ),
    line('报告所据主体流', `${v.cutFrom.streamId}，版本 ${v.cutFrom.revision}，位置 ${v.cutFrom.position}`),
    line('包含证明', `${v.proofs.length} 份：报告所涉每个事件各一份（${algorithms}），随 JSON 报告提供`),
    line('报告封签', `${v.seal.algorithm}，密钥 ${v.seal.keyId}，内容摘要 ${v.seal.contentHash}`),
    line('在线验证', v.verificationPath),
    line(
      '验证方法',
      '① 扫描右侧二维码或访问在线验证地址，查询本报告是否真实、是否仍为现行（报告出具后被撤销或修复的记录将逐条列明）；' +
        '② 离线核验：取得本报告的 JSON 文本，执行 npm run cli -- verify-report 报告.json，以公布的签名摘要核对封签和每份包含证明' +
        '（算法见 docs/ledger-proofs.md）。',
    ),
  ];
  const height = rows.reduce((sum, cells) => sum + sheet.measureRow(cells), 0);
  sheet.ensure(Math.max(height, qrSize + 30));
  const top = sheet.y;
  for (const cells of rows) sheet.row(cells);

  const { doc } = sheet;
  const qrX = PAGE.width - MARGIN.right - qrSize;
  doc.rect(qrX, top, qrSize, qrSize).lineWidth(0.5).strokeColor(COLOUR.rule).stroke();
  drawQrCode(doc, v.qr, qrX, top, qrSize);
  doc.font(FONT.regular).fontSize(7.5).fillColor(COLOUR.muted);
  doc.text('扫码验证报告真伪', qrX, top + qrSize + 3, { width: qrSize, align: 'center' });
  doc.fontSize(5.5).text(v.qr, qrX, top + qrSize + 14, { width: qrSize, align: 'center' });
  sheet.y = Math.max(sheet.y, doc.y + 2);
}

function footers(doc: Doc, reportNo: string, title: string): void {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    const y = PAGE.height - MARGIN.bottom + 14;
    doc
      .moveTo(MARGIN.left, y - 4)
      .lineTo(PAGE.width - MARGIN.right, y - 4)
      .lineWidth(0.5)
      .strokeColor(COLOUR.rule)
      .stroke();
    doc.font(FONT.regular).fontSize(7.5).fillColor(COLOUR.muted);
    const third = CONTENT_WIDTH / 3;
    doc.text(`报告编号：${reportNo}`, MARGIN.left, y, { width: third, lineBreak: false });
    doc.text(`第 ${i - start + 1} 页 / 共 ${count} 页`, MARGIN.left + third, y, {
      width: third,
      align: 'center',
      lineBreak: false,
    });
    doc.text(title, MARGIN.left + 2 * third, y, { width: third, align: 'right', lineBreak: false });
  }
}
