/**
 * Benchmark only: what the two raw lower bounds (authorizer-raw*.ts) share: the key set, fetched at
 * init with node:https, and a token split into its parts, with no checks beyond what they each do.
 */
import type { JsonWebKey } from 'node:crypto';
import { get } from 'node:https';

export type Jwk = JsonWebKey & { kid: string };

/** The key set from JWKS_URI, by `kid`. */
export const jwksByKid = new Promise<Map<string, Jwk>>((resolve, reject) => {
  get(process.env.JWKS_URI ?? '', (response) => {
    let body = '';
    response.on('data', (chunk) => (body += chunk)).on('end', () => {
      resolve(new Map((JSON.parse(body).keys as Jwk[]).map((jwk) => [jwk.kid, jwk])));
    });
  }).on('error', reject);
});

export interface Event {
  headers?: Record<string, string | undefined>;
}

/** `Bearer <token>` split: header fields, signing input, signature and claims. */
export function tokenOf(event: Event) {
  const [header, payload, signature] = (event.headers?.authorization ?? '').slice(7).split('.');
  const { alg, kid } = JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg: string; kid: string };
  return {
    alg,
    kid,
    signingInput: Buffer.from(`${header}.${payload}`),
    signature: Buffer.from(signature, 'base64url'),
    claims: JSON.parse(Buffer.from(payload, 'base64url').toString()) as { exp?: number },
  };
}

/** The answer, given whether the signature holds. */
export const answer = (signatureOk: boolean, claims: { exp?: number }) => ({
  isAuthorized: signatureOk && (claims.exp ?? 0) > Date.now() / 1000,
});
