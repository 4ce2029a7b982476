// The public halves of the digest signing keys, as a JWK set with key ids and validity, where anyone (a
// province's monitor, an auditor with a Kafka copy of a digest) fetches them without an API key.
import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DIGEST_SIGNING, type DigestKeySet, type DigestSigning } from '@ledger/audit';
import { Public } from '../../auth/api-key.guard';

@ApiTags('audit')
@Controller('.well-known')
export class LedgerKeysController {
  constructor(@Inject(DIGEST_SIGNING) private readonly signing: DigestSigning) {}

  @Get('ledger-keys.json')
  @Public()
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({
    summary: 'Ed25519 public keys of signed digests (JWK set: kid, x, notBefore, notAfter)',
    description:
      "Keep a copy: a digest is authentic when its signature verifies under the key named by its keyId and it was made within that key's validity (docs/ledger-proofs.md §4).",
  })
  @ApiOkResponse({
    description:
      '{keys: [{kty: "OKP", crv: "Ed25519", x, kid, use: "sig", alg: "EdDSA", notBefore, notAfter?}]}',
  })
  keys(): DigestKeySet {
    return this.signing.keySet();
  }
}
