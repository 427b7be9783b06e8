/**
 * Benchmark only: the least a jose-based authorizer does. jose's jwtVerify (issuer, audience, algorithms,
 * expiry) against the key set fetched as the raw lower bounds fetch it, nothing else: no logging, no
 * configuration checks, no scopes. What is left between this column and aws-jwt-verify is jose's.
 */
import { createLocalJWKSet, jwtVerify } from 'jose';
import { jwksByKid, type Event } from './authorizer-raw-common';

const keys = jwksByKid.then((jwks) => createLocalJWKSet({ keys: [...jwks.values()] }));
const options = { issuer: process.env.JWT_ISSUER, audience: (process.env.JWT_AUDIENCE ?? '').split(','), algorithms: ['RS256', 'ES256'] };

export async function handler(event: Event) {
  try {
    await jwtVerify((event.headers?.authorization ?? '').slice(7), await keys, options);
    return { isAuthorized: true };
  } catch {
    return { isAuthorized: false };
  }
}
