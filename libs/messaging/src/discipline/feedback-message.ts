// Response and feedback (响应、反馈) as other departments' systems send them, each on its own topic
// credit.discipline.feedback.v1.<departmentId> (schema: docs/asyncapi.yaml, FeedbackMessage). Checked here
// by hand so the consumer can say exactly what is wrong in the dead-letter reason.
import type { DepartmentResponse, MeasureCode } from '@ledger/domain';

interface FeedbackBase {
  /** Chosen by the sender, unique per message: a message sent twice is recognised by it. */
  readonly messageId: string;
  readonly caseId: string;
  readonly departmentId: string;
  /** When the department decided or executed (ISO 8601 with a zone): the events' business time. */
  readonly at: string;
}

export interface ResponseFeedback extends FeedbackBase {
  readonly kind: 'response';
  readonly response: DepartmentResponse;
  /** Required for `not_applicable`. */
  readonly reason?: string;
}

export interface ExecutionFeedback extends FeedbackBase {
  readonly kind: 'execution';
  readonly measuresApplied: readonly MeasureCode[];
  readonly executedOn: string;
  readonly note?: string;
}

export type FeedbackMessage = ResponseFeedback | ExecutionFeedback;

export type FeedbackParse =
  | { readonly ok: true; readonly message: FeedbackMessage }
  | { readonly ok: false; readonly code: FeedbackRejection; readonly reason: string };

export type FeedbackRejection = 'FEEDBACK.EMPTY' | 'FEEDBACK.MALFORMED_JSON' | 'FEEDBACK.SCHEMA_VIOLATION';

const RESPONSES: readonly DepartmentResponse[] = ['accepted', 'applied', 'not_applicable'];
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_ID = 200;
const MAX_TEXT = 2000;

export function parseFeedback(value: Buffer | null): FeedbackParse {
  if (value === null || value.length === 0) return rejected('FEEDBACK.EMPTY', 'The message has no value');
  let body: unknown;
  try {
    body = JSON.parse(value.toString('utf8'));
  } catch (error) {
    return rejected('FEEDBACK.MALFORMED_JSON', `Not JSON: ${(error as Error).message}`);
  }
  const problems = problemsOf(body);
  if (problems.length > 0) return rejected('FEEDBACK.SCHEMA_VIOLATION', problems.join('; '));
  return { ok: true, message: pick(body as Record<string, unknown>) };
}

function problemsOf(body: unknown): string[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    return ['the message must be a JSON object'];
  const m = body as Record<string, unknown>;
  const problems: string[] = [];
  const text = (field: string, required: boolean, max: number) => {
    const v = m[field];
    if (v === undefined && !required) return;
    if (typeof v !== 'string' || v.trim() === '') problems.push(`${field} must be a non-empty string`);
    else if (v.length > max) problems.push(`${field} must be at most ${max} characters`);
  };
  text('messageId', true, MAX_ID);
  text('caseId', true, MAX_ID);
  text('departmentId', true, MAX_ID);
  if (typeof m.at !== 'string' || !INSTANT.test(m.at) || Number.isNaN(Date.parse(m.at))) {
    problems.push('at must be an ISO 8601 instant with a zone');
  }
  if (m.kind === 'response') {
    if (!RESPONSES.includes(m.response as DepartmentResponse))
      problems.push(`response must be one of ${RESPONSES.join(', ')}`);
    text('reason', false, MAX_TEXT);
  } else if (m.kind === 'execution') {
    const measures = m.measuresApplied;
    if (!Array.isArray(measures) || measures.length === 0 || measures.some((x) => typeof x !== 'string')) {
      problems.push('measuresApplied must be a non-empty array of measure codes');
    }
    if (typeof m.executedOn !== 'string' || !DATE.test(m.executedOn))
      problems.push('executedOn must be a date (YYYY-MM-DD)');
    text('note', false, MAX_TEXT);
  } else {
    problems.push('kind must be "response" or "execution"');
  }
  return problems;
}

// Only the known fields go on: unknown ones are tolerated (senders may be newer) but never stored.
function pick(m: Record<string, unknown>): FeedbackMessage {
  const base = {
    messageId: m.messageId as string,
    caseId: m.caseId as string,
    departmentId: m.departmentId as string,
    at: m.at as string,
  };
  if (m.kind === 'response') {
    return {
      ...base,
      kind: 'response',
      response: m.response as DepartmentResponse,
      ...optional('reason', m.reason),
    };
  }
  return {
    ...base,
    kind: 'execution',
    measuresApplied: m.measuresApplied as MeasureCode[],
    executedOn: m.executedOn as string,
    ...optional('note', m.note),
  };
}

const optional = (field: string, value: unknown) => (value === undefined ? {} : { [field]: value as string });

const rejected = (code: FeedbackRejection, reason: string): FeedbackParse => ({ ok: false, code, reason });
