/**
 * Benchmark only: the lower bound of any authorizer that verifies with WebCrypto, as jose 6 does (it has
 * no other way to verify). The same checks as authorizer-raw.ts, with `crypto.subtle` in place of
 * `crypto.verify`: the difference between the two columns is what WebCrypto's first use costs.
 */
import { webcrypto } from 'node:crypto';
import { answer, jwksByKid, tokenOf, type Event } from './authorizer-raw-common';

/** Parameters for both the import and the verification. */
const ALGORITHMS: Record<string, webcrypto.RsaHashedImportParams | (webcrypto.EcKeyImportParams & webcrypto.EcdsaParams)> = {
  RS256: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  ES256: { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' },
};

/** Imported on first use, as jose does. */
const keys = new Map<string, webcrypto.CryptoKey>();

export async function handler(event: Event) {
  const { alg, kid, signingInput, signature, claims } = tokenOf(event);
  const jwk = (await jwksByKid).get(kid);
  if (!jwk || !ALGORITHMS[alg]) return { isAuthorized: false };
  let key = keys.get(kid);
  if (!key) {
    key = await webcrypto.subtle.importKey('jwk', jwk, ALGORITHMS[alg], false, ['verify']);
    keys.set(kid, key);
  }
  return answer(await webcrypto.subtle.verify(ALGORITHMS[alg], key, signature, signingInput), claims);
}
