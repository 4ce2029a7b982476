// `ledger-cli monitor`: what a Certificate Transparency monitor does, for the ledger. It keeps the last digest
// it trusted (a state file outside the ledger's database), and for each newer digest the ledger serves it
// checks the signature under the key set it kept and asks for the consistency proof from the trusted digest;
// a bad signature, a digest at a trusted position with another root, or a proof that fails is a fork or a
// rewrite: it alarms (an error line, exit 1) and does not move on. It talks to the ledger over HTTP only.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import {
  verifyConsistencyProof,
  verifyDigestSignature,
  type DigestKeyToTrust,
  type DigestToVerify,
} from '@ledger/audit';

export interface MonitorOptions {
  /** The ledger API's base URL, e.g. https://ledger.example.gov.cn */
  readonly url: string;
  /** An auditor's API key (the audit endpoints are for auditors). */
  readonly apiKey: string;
  /** The key set kept from /.well-known/ledger-keys.json when the monitor was set up. */
  readonly keys: readonly DigestKeyToTrust[];
  /** Where the trusted digest is kept between runs. */
  readonly stateFile: string;
  readonly fetch?: typeof fetch;
}

interface MonitorState {
  readonly trusted: DigestToVerify;
  readonly checkedAt: string;
  readonly digestsChecked: number;
}

export type MonitorOutcome =
  | { readonly status: 'trusted-first'; readonly trusted: DigestToVerify }
  | { readonly status: 'ok'; readonly trusted: DigestToVerify; readonly newDigests: number }
  | { readonly status: 'no-digest' }
  | {
      readonly status: 'alarm';
      readonly reason: 'bad_signature' | 'fork' | 'inconsistent' | 'unreachable';
      readonly message: string;
      readonly trusted?: DigestToVerify;
      readonly offending?: DigestToVerify;
    };

function readState(path: string): MonitorState | undefined {
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as MonitorState;
}

function writeState(path: string, state: MonitorState): void {
  writeFileSync(`${path}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${path}.tmp`, path); // never a half-written state
}

/** One round: every digest newer than the trusted one checked; the trusted one moves to the newest that held. */
export async function monitorOnce(options: MonitorOptions): Promise<MonitorOutcome> {
  const get = async <T>(path: string): Promise<T> => {
    const response = await (options.fetch ?? fetch)(`${options.url.replace(/\/$/, '')}${path}`, {
      headers: { 'x-api-key': options.apiKey },
    });
    const body = (await response.json().catch(() => undefined)) as T; // checked by the verifier below
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${JSON.stringify(body)}`);
    return body;
  };
  const state = readState(options.stateFile);
  const trusted = state?.trusted;
  let digests: DigestToVerify[];
  try {
    // From the trusted digest's position on, so a rewritten trusted digest is seen too.
    digests = await get<DigestToVerify[]>(
      `/api/v1/audit/digests?afterPosition=${Math.max(0, (trusted?.upToPosition ?? 1) - 1)}&limit=1000`,
    );
  } catch (error) {
    return { status: 'alarm', reason: 'unreachable', message: (error as Error).message, trusted };
  }
  for (const digest of digests) {
    const signed = verifyDigestSignature(digest, options.keys);
    if (!signed.valid)
      return {
        status: 'alarm',
        reason: 'bad_signature',
        message: `digest up to ${digest.upToPosition}: ${signed.reason}`,
        trusted,
        offending: digest,
      };
  }
  if (!trusted) {
    const first = digests[digests.length - 1];
    if (!first) return { status: 'no-digest' };
    writeState(options.stateFile, {
      trusted: first,
      checkedAt: new Date().toISOString(),
      digestsChecked: digests.length,
    });
    return { status: 'trusted-first', trusted: first };
  }
  const same = digests.find((d) => d.upToPosition === trusted.upToPosition);
  if (!same || same.root !== trusted.root || same.eventCount !== trusted.eventCount)
    return {
      status: 'alarm',
      reason: 'fork',
      message: same
        ? `the digest up to ${trusted.upToPosition} now has root ${same.root}; the trusted one had ${trusted.root}`
        : `the trusted digest up to ${trusted.upToPosition} is gone`,
      trusted,
      offending: same,
    };
  const newer = digests.filter((d) => d.upToPosition > trusted.upToPosition);
  const latest = newer[newer.length - 1];
  if (!latest) return { status: 'ok', trusted, newDigests: 0 };
  let proof: unknown;
  try {
    proof = await get<unknown>(
      `/api/v1/audit/consistency?from=${trusted.upToPosition}&to=${latest.upToPosition}`,
    );
  } catch (error) {
    return {
      status: 'alarm',
      reason: 'inconsistent',
      message: (error as Error).message,
      trusted,
      offending: latest,
    };
  }
  const verdict = verifyConsistencyProof(proof as Parameters<typeof verifyConsistencyProof>[0], {
    trustedFrom: trusted,
    trustedTo: latest,
  });
  if (!verdict.valid)
    return {
      status: 'alarm',
      reason: 'inconsistent',
      message: `the digest up to ${latest.upToPosition} does not extend the trusted one: ${verdict.reason}`,
      trusted,
      offending: latest,
    };
  writeState(options.stateFile, {
    trusted: latest,
    checkedAt: new Date().toISOString(),
    digestsChecked: (state?.digestsChecked ?? 0) + newer.length,
  });
  return { status: 'ok', trusted: latest, newDigests: newer.length };
}
