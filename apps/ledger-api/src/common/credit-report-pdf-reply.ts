// Content negotiation for the credit report: `Accept: application/pdf` gets the printed report, anything else
// the JSON (the default). For the credit-report controller: `if (wantsPdf(accept)) return sendPdf(reply, report)`.
import type { FastifyReply } from 'fastify';
import type { CreditReport } from '@ledger/domain';
import { creditReportFileName, PDF_MEDIA_TYPE, renderCreditReportPdf } from '@ledger/reporting';

/** True when the Accept header prefers application/pdf to JSON (q-values honoured; a bare * does not). */
export function wantsPdf(accept: string | undefined): boolean {
  if (!accept) return false;
  const quality = (type: string): number => {
    for (const part of accept.split(',')) {
      const [media, ...params] = part.trim().toLowerCase().split(';');
      if (media?.trim() !== type) continue;
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return q ? Number(q.slice(2)) || 0 : 1;
    }
    return 0;
  };
  const pdf = quality(PDF_MEDIA_TYPE);
  return pdf > 0 && pdf >= quality('application/json');
}

/** Sends the report as an A4 PDF download named after its number. */
export async function sendPdf(reply: FastifyReply, report: CreditReport): Promise<void> {
  const pdf = await renderCreditReportPdf(report);
  const name = creditReportFileName(report.reportNo);
  await reply
    .header('Content-Type', PDF_MEDIA_TYPE)
    .header(
      'Content-Disposition',
      `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    )
    .header('Content-Length', String(pdf.length))
    .send(pdf);
}
