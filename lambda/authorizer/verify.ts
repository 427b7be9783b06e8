import { jwtVerify, type JWTPayload } from 'jose';
import type { ConfigResult } from './config';
import { Denial } from './denial';
import { createJwksCache, type JwksDeps } from './jwks';
import { loadRouteScopes, type RouteScopes } from './route-scopes';

export type Decision =
  | {
      readonly allow: true;
      readonly sub: string;
      readonly scopes: readonly string[];
      /** The token carries the scopes of every route in route-scopes.json. */
      readonly everyRoute: boolean;
    }
  | { readonly allow: false; readonly reason: string; readonly sub?: string };

/** The verification core: knows tokens and route keys, nothing about API Gateway events. */
export interface Verifier {
  /** Never rejects; answers within the JWKS timeout plus a few milliseconds. */
  decide(authorization: string | undefined, routeKey: string): Promise<Decision>;
}

/** Longest token looked at: anything bigger is denied before it is parsed. */
export const MAX_TOKEN_LENGTH = 8192;

const BEARER = /^bearer +(.+)$/is;
// RFC 6749 scope-token characters; anything else could not travel in the scopes header.
const SCOPE = /^[\x21\x23-\x5b\x5d-\x7e]+$/;
// The subject becomes a header and the per-user rate-limit key: visible ASCII only.
const SUBJECT = /^[\x21-\x7e]{1,255}$/;

/**
 * One spelling per value: no padding, whitespace, `+/` alphabet or stray bits in the last character
 * (atob, which jose uses, accepts all of them). Re-encoding gives the canonical form.
 */
const isCanonicalBase64url = (part: string) => !!part && Buffer.from(part, 'base64url').toString('base64url') === part;

/** Scopes from `scope` (space-separated) and `scp` (array, or string as some issuers send). */
function scopesOf({ scope, scp }: JWTPayload): string[] {
  const words = (value: unknown): unknown[] =>
    typeof value === 'string' ? value.split(' ') : Array.isArray(value) ? value : [];
  const scopes = [...words(scope), ...words(scp)];
  return [...new Set(scopes.filter((s): s is string => typeof s === 'string' && SCOPE.test(s)))];
}

/**
 * Reason codes: ours (Denial), `missing_<claim>` / `bad_<claim>` for claims, else jose's error code
 * without `ERR_` (`jwt_expired`, `jws_signature_verification_failed`, `jose_alg_not_allowed`,
 * `jwks_multiple_matching_keys` for a kid-less token that several keys could have signed, ...).
 */
function reasonOf(error: unknown): string {
  if (error instanceof Denial) return error.reason;
  const { code, claim, reason } = error as { code?: string; claim?: string; reason?: string };
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') return `${reason === 'missing' ? 'missing' : 'bad'}_${claim}`;
  return code?.startsWith('ERR_') ? code.slice(4).toLowerCase() : 'malformed';
}

const deny = (reason: string, sub?: string): Decision => ({ allow: false, reason, sub });

/**
 * Builds the core from a configuration, failing closed: with configuration problems or no readable
 * route file every decision is a deny (logged once, here). Starts the JWKS fetch right away.
 */
export function createVerifier(setup: ConfigResult, deps: JwksDeps): Verifier {
  if (!setup.ok) {
    deps.log.error({ message: 'authorizer misconfigured: denying every request', problems: setup.problems });
    return { decide: async () => deny('misconfigured') };
  }
  const config = setup.config;
  let routes: RouteScopes;
  try {
    routes = loadRouteScopes(config.routeScopesPath);
  } catch (error) {
    deps.log.error({ message: 'route scopes unreadable: denying every request', error: String(error) });
    return { decide: async () => deny('no_route_scopes') };
  }

  const everyScope = [...new Set([...routes.values()].flat())];
  const jwks = createJwksCache(config, deps);
  jwks.prefetch();

  const options = {
    issuer: config.issuer,
    audience: config.audience as string[],
    algorithms: config.algorithms as string[],
    clockTolerance: config.clockToleranceSeconds,
    requiredClaims: ['exp', 'sub'],
  };

  return {
    async decide(authorization, routeKey) {
      const required = routes.get(routeKey);
      if (!required) return deny('unknown_route');
      if (!authorization) return deny('no_token');
      if (authorization.length > MAX_TOKEN_LENGTH + 7) return deny('token_too_large');
      const token = BEARER.exec(authorization)?.[1];
      if (!token) return deny('bad_scheme');
      if (token.length > MAX_TOKEN_LENGTH) return deny('token_too_large');
      const parts = token.split('.');
      if (parts.length !== 3 || !parts.every(isCanonicalBase64url)) return deny('malformed');

      const now = deps.now();
      let claims: JWTPayload;
      try {
        ({ payload: claims } = await jwtVerify(token, jwks.getKey, { ...options, currentDate: new Date(now) }));
      } catch (error) {
        return deny(reasonOf(error));
      }
      // jose checks iat only together with a maximum token age; a token from the future is still wrong.
      if (claims.iat !== undefined && claims.iat > now / 1000 + config.clockToleranceSeconds) return deny('iat_in_future');
      const sub = claims.sub;
      if (typeof sub !== 'string' || !SUBJECT.test(sub)) return deny('bad_sub');
      const scopes = scopesOf(claims);
      if (!required.every((scope) => scopes.includes(scope))) return deny('insufficient_scope', sub);
      return { allow: true, sub, scopes, everyRoute: everyScope.every((scope) => scopes.includes(scope)) };
    },
  };
}
