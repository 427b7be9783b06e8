/**
 * Benchmark only: the lower bound. A signature check with node:crypto and an `exp` check, nothing else
 * (no issuer, audience, alg or encoding checks): what any authorizer pays at least.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { answer, jwksByKid, tokenOf, type Event } from './authorizer-raw-common';

const keys = jwksByKid.then((jwks) => new Map<string, KeyObject>([...jwks].map(([kid, jwk]) => [kid, createPublicKey({ key: jwk, format: 'jwk' })])));

export async function handler(event: Event) {
  const { alg, kid, signingInput, signature, claims } = tokenOf(event);
  const key = (await keys).get(kid);
  if (!key) return { isAuthorized: false };
  return answer(verify('sha256', signingInput, alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key, signature), claims);
}
