// @ledger/reporting: the credit report printed (PDF), drawn from the JSON report of @ledger/domain.
export {
  creditReportFileName,
  creditReportTitle,
  PDF_MEDIA_TYPE,
  renderCreditReportPdf,
} from './credit-report-pdf';
