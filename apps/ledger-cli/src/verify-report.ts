// `ledger-cli verify-report`: checks a credit report (JSON) offline, with the ledger's published keys and,
// optionally, digests held outside the ledger: its seal (content hash + Ed25519, docs/ledger-proofs.md §8), the
// digest's signature, and every inclusion proof against the digest's root; every event the report names is proven.
import { readFileSync } from 'node:fs';
import {
  checkReportSeal,
  verifyDigestSignature,
  verifyInclusionProof,
  type DigestKeySet,
  type DigestKeyToTrust,
  type DigestToVerify,
  type LedgerDigest,
  type ProofToVerify,
} from '@ledger/audit';
import { UsageError } from './program';

export interface ReportCheck {
  readonly genuine: boolean;
  readonly reportNo?: string;
  readonly proofs: number;
  readonly failures: readonly string[];
}

interface ReportShape {
  reportNo?: string;
  issuedAt: string;
  subject?: { subjectId?: string };
  records?: { eventIds?: string[] }[];
  repairs?: { eventIds?: string[] }[];
  objections?: { eventIds?: string[] }[];
  verification?: {
    digest?: DigestToVerify;
    proofs?: (Omit<ProofToVerify, 'digest'> & { eventId: string })[];
    seal?: { contentHash?: string; keyId?: string; signature?: string };
  };
}

export function readReportFile(path: string): ReportShape {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    const value = JSON.parse(text) as ReportShape;
    if (typeof value !== 'object' || value === null || typeof value.issuedAt !== 'string')
      throw new Error('no issuedAt');
    return value;
  } catch {
    throw new UsageError(`${path}: not a credit report (JSON with issuedAt and verification)`);
  }
}

export function checkReport(
  report: ReportShape,
  keys: readonly DigestKeyToTrust[],
  trusted?: readonly LedgerDigest[],
): ReportCheck {
  const failures: string[] = [];
  const seal = checkReportSeal(report, { keys } as unknown as DigestKeySet);
  if (!seal.valid) failures.push(`seal: ${seal.reason}`);
  const digest = report.verification?.digest;
  const proofs = report.verification?.proofs ?? [];
  if (!digest) failures.push('the report names no digest');
  else {
    const signature = verifyDigestSignature(digest, keys);
    if (!signature.valid) failures.push(`digest up to ${digest.upToPosition}: ${signature.reason}`);
    const held = trusted?.find((d) => d.upToPosition === digest.upToPosition);
    if (trusted && !held) failures.push(`no trusted digest up to ${digest.upToPosition}`);
    for (const proof of proofs) {
      const verdict = verifyInclusionProof({ ...proof, digest }, { trustedDigest: held ?? digest });
      if (!verdict.valid) failures.push(`proof of event ${proof.eventId}: ${verdict.reason}`);
      const subjectId = report.subject?.subjectId;
      if (subjectId && proof.leaf?.streamId !== `subject-${subjectId}`)
        failures.push(`proof of event ${proof.eventId}: a leaf of another stream`);
    }
  }
  const proven = new Set(proofs.map((p) => p.eventId));
  for (const item of [...(report.records ?? []), ...(report.repairs ?? []), ...(report.objections ?? [])])
    for (const id of item.eventIds ?? [])
      if (!proven.has(id)) failures.push(`event ${id} is named but not proven`);
  return { genuine: failures.length === 0, reportNo: report.reportNo, proofs: proofs.length, failures };
}
