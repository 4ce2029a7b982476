// `ledger-cli check-proof`: checks proofs offline, with nothing but the files an auditor or a monitor keeps
// (the proof, the ledger's published keys, digests held outside the ledger) and the independent verifier
// (libs/audit/src/verify-proof.ts): inclusion proofs (an export's proof lines, or GET /audit/proof's answer)
// and consistency proofs (GET /audit/consistency's answer), and the signatures of the digests they name.
import { readFileSync } from 'node:fs';
import {
  verifyConsistencyProof,
  verifyDigestSignature,
  verifyInclusionProof,
  type ConsistencyProofToVerify,
  type DigestKeyToTrust,
  type DigestToVerify,
  type EventToVerify,
  type ProofToVerify,
} from '@ledger/audit';
import { UsageError } from './program';

export interface CheckedProof {
  readonly kind: 'inclusion' | 'consistency';
  readonly valid: boolean;
  readonly reason?: string;
  readonly eventId?: string;
}

function readJsonValues(path: string): unknown[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    if (text.startsWith('{') && !text.includes('\n{')) return [JSON.parse(text)];
    if (text.startsWith('[')) return JSON.parse(text) as unknown[];
    return text
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line));
  } catch {
    throw new UsageError(`${path}: not JSON or NDJSON`);
  }
}

export function readKeysFile(path: string): DigestKeyToTrust[] {
  const [value] = readJsonValues(path);
  const keys = (value as { keys?: unknown })?.keys;
  if (!Array.isArray(keys)) throw new UsageError(`${path}: not a key set {keys: [...]}`);
  return keys as DigestKeyToTrust[];
}

/** Checks every proof in the file; the events of an export are checked against their proofs too. */
export function checkProofs(
  path: string,
  options: { readonly keys?: readonly DigestKeyToTrust[]; readonly trusted?: readonly DigestToVerify[] },
): CheckedProof[] {
  const values = readJsonValues(path) as Record<string, unknown>[];
  const events = new Map<string, EventToVerify>();
  for (const value of values) {
    if (value.kind === 'event') {
      const event = value.event as EventToVerify;
      events.set(event.id, event);
    }
  }
  const trustedAt = (digest: DigestToVerify) =>
    options.trusted?.find((d) => d.upToPosition === digest.upToPosition);
  const signed = (digest: DigestToVerify): string | undefined => {
    if (!options.keys) return undefined;
    const verdict = verifyDigestSignature(digest, options.keys);
    return verdict.valid ? undefined : `digest up to ${digest.upToPosition}: ${verdict.reason}`;
  };
  const missingTrust = (digest: DigestToVerify): string | undefined =>
    options.trusted && !trustedAt(digest) ? `no trusted digest up to ${digest.upToPosition}` : undefined;

  const results: CheckedProof[] = [];
  for (const value of values) {
    const body = (
      value.kind === 'proof' ? value.proof : 'proof' in value && 'event' in value ? value.proof : value
    ) as Record<string, unknown> | undefined;
    if (!body) continue;
    if (Array.isArray(body.auditPath)) {
      const proof = body as unknown as ProofToVerify;
      const eventId = (value.eventId as string | undefined) ?? (value.event as EventToVerify | undefined)?.id;
      const event = (value.event as EventToVerify | undefined) ?? (eventId ? events.get(eventId) : undefined);
      const problem = missingTrust(proof.digest) ?? signed(proof.digest as DigestToVerify) ?? undefined;
      const verdict = problem
        ? { valid: false as const, reason: problem }
        : verifyInclusionProof(proof, { event, trustedDigest: trustedAt(proof.digest) });
      results.push({ kind: 'inclusion', eventId, ...verdict });
    } else if (Array.isArray(body.proof) && body.from && body.to) {
      const proof = body as unknown as ConsistencyProofToVerify;
      const problem =
        missingTrust(proof.from) ?? missingTrust(proof.to) ?? signed(proof.from) ?? signed(proof.to);
      const verdict = problem
        ? { valid: false as const, reason: problem }
        : verifyConsistencyProof(proof, {
            trustedFrom: trustedAt(proof.from),
            trustedTo: trustedAt(proof.to),
          });
      results.push({ kind: 'consistency', ...verdict });
    }
  }
  if (results.length === 0) throw new UsageError(`${path}: holds no inclusion or consistency proof`);
  return results;
}
