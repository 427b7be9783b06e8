/**
 * Benchmark only: the lower bound. A signature check with node:crypto and an `exp` check, nothing else
 * (no issuer, audience, alg or encoding checks): what any authorizer pays at least.
 */
import { createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { get } from 'node:https';

const keys = new Map<string, KeyObject>();
const ready = new Promise<void>((resolve, reject) => {
  get(process.env.JWKS_URI ?? '', (response) => {
    let body = '';
    response.on('data', (chunk) => (body += chunk)).on('end', () => {
      for (const jwk of JSON.parse(body).keys as Array<JsonWebKey & { kid: string }>) {
        keys.set(jwk.kid, createPublicKey({ key: jwk, format: 'jwk' }));
      }
      resolve();
    });
  }).on('error', reject);
});

interface Event {
  headers?: Record<string, string | undefined>;
}

export async function handler(event: Event) {
  await ready;
  const [header, payload, signature] = (event.headers?.authorization ?? '').slice(7).split('.');
  const { alg, kid } = JSON.parse(Buffer.from(header, 'base64url').toString());
  const key = keys.get(kid);
  if (!key) return { isAuthorized: false };
  const ok = verify(
    'sha256',
    Buffer.from(`${header}.${payload}`),
    alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key,
    Buffer.from(signature, 'base64url'),
  );
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  return { isAuthorized: ok && claims.exp > Date.now() / 1000 };
}
