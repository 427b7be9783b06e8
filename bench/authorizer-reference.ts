/**
 * Benchmark only: the same HTTP API authorizer contract built on aws-jwt-verify, as a team would write
 * it from that library's README (hydrate at init, route scopes checked after verification).
 */
import { JwtVerifier } from 'aws-jwt-verify';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const verifier = JwtVerifier.create({
  issuer: process.env.JWT_ISSUER ?? '',
  audience: (process.env.JWT_AUDIENCE ?? '').split(','),
  jwksUri: process.env.JWKS_URI ?? '',
});
const routes: Record<string, string[]> = JSON.parse(readFileSync(join(__dirname, 'route-scopes.json'), 'utf8'));
verifier.hydrate().catch(() => undefined);

interface Event {
  routeKey: string;
  headers?: Record<string, string | undefined>;
}

export async function handler(event: Event) {
  const required = Object.hasOwn(routes, event.routeKey) ? routes[event.routeKey] : undefined;
  const token = /^Bearer (\S+)$/i.exec(event.headers?.authorization ?? '')?.[1];
  if (!required || !token) return { isAuthorized: false };
  try {
    const claims = await verifier.verify(token);
    const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
    if (!required.every((scope) => scopes.includes(scope)) || typeof claims.sub !== 'string') return { isAuthorized: false };
    return { isAuthorized: true, context: { sub: claims.sub, scope: scopes.join(' ') } };
  } catch {
    return { isAuthorized: false };
  }
}
