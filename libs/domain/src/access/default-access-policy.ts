// The access policy a ledger starts with: least privilege per role (issue 18 §2, DESIGN.md "Roles map to
// permissions"). Roles not named here have no permission at all.
import type { AccessPolicy, Permission } from './access-policy';

const READ_PERSONS: readonly Permission[] = [
  'subjects.read',
  'subjects.read.natural',
  'subjects.read.minor',
  'subjects.lookup',
  'history.read',
];

export const defaultAccessPolicy: AccessPolicy = {
  version: 'access-2026-12',
  roles: {
    // Records and corrects in its divisions; reads its divisions' subjects to do so.
    official: [
      'subjects.register',
      'records.write',
      'records.correct',
      ...READ_PERSONS,
      'lists.read',
      'cases.read',
      'reports.read',
      'calendar.read',
      'credit-reviews.conduct',
    ],
    // Decides repairs and objections in its divisions; records nothing itself.
    reviewer: [
      'repairs.decide',
      'objections.resolve',
      ...READ_PERSONS,
      'lists.read',
      'cases.read',
      'calendar.read',
    ],
    // Reads history and verifies in its jurisdiction, events as stored; writes nothing.
    auditor: [
      ...READ_PERSONS,
      'identifiers.read.full',
      'audit.feed.read',
      'audit.access-log.read',
      'ledger.verify',
      'lists.read',
      'cases.read',
      'reports.read',
      'calendar.read',
    ],
    // A provincial joint-discipline system: lists and cases in, feedback out.
    'discipline-system': ['lists.read', 'cases.read', 'feedback.send', 'calendar.read'],
    // Keeps the ledger running: keys, calendar, policies, metrics; reads no one's record.
    admin: [
      'keys.manage',
      'calendar.read',
      'calendar.manage',
      'policies.manage',
      'reports.read',
      'metrics.read',
    ],
    // What Prometheus scrapes with: the metrics and nothing else.
    monitoring: ['metrics.read'],
    // A consulting body (信用查询): what a credit consultation needs, legal persons' status and the lists.
    'tax-bureau': ['subjects.read', 'subjects.lookup', 'lists.read'],
  },
  purposes: [
    {
      code: 'supervision',
      description: 'Routine supervision of the subject (日常监管)',
      roles: ['official', 'reviewer'],
    },
    {
      code: 'record-handling',
      description: 'Recording, correcting or revoking a record about the subject (信用记录办理)',
      roles: ['official'],
    },
    {
      code: 'employment-check',
      description: 'Hiring, appointment or title review of a teacher or staff member (聘用、评聘审查)',
      roles: ['official'],
    },
    {
      code: 'repair-review',
      description: 'Reviewing a credit repair application (信用修复审核)',
      roles: ['reviewer'],
    },
    {
      code: 'objection-review',
      description: 'Handling an objection of the subject (异议处理)',
      roles: ['reviewer'],
    },
    {
      code: 'subject-request',
      description: 'The subject, or a minor’s guardian, asked for their own record (本人查询)',
      roles: ['official', 'reviewer'],
    },
    { code: 'audit', description: 'Audit and supervision of the ledger (审计监督)', roles: ['auditor'] },
  ],
  superiorDepartments: {},
  superiorByDivision: true,
};
