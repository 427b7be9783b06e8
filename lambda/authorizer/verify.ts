import { compactVerify, type JWTPayload } from 'jose';
import type { AuthorizerConfig, ConfigResult } from './config';
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

/**
 * Longest token looked at: anything bigger is denied before it is parsed. API Gateway's quota on a
 * request's header values (10,240 bytes, HTTP and REST APIs) already bounds what can arrive.
 */
export const MAX_TOKEN_LENGTH = 10_240;

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

/** A claim the token itself holds (never one inherited from Object.prototype). */
const own = (claims: JWTPayload, name: string): unknown => (Object.hasOwn(claims, name) ? claims[name] : undefined);

/** Scopes from the configured claims: each a space-separated string, or an array (`scp` of some issuers). */
function scopesOf(claims: JWTPayload, names: readonly string[]): string[] {
  const words = (value: unknown): unknown[] =>
    typeof value === 'string' ? value.split(' ') : Array.isArray(value) ? value : [];
  const scopes = names.flatMap((name) => words(own(claims, name)));
  return [...new Set(scopes.filter((s): s is string => typeof s === 'string' && SCOPE.test(s)))];
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const fail = (reason: string): never => {
  throw new Denial(reason);
};
const isTime = (value: unknown): value is number => Number.isFinite(value);

/**
 * The claims of a signed token, checked the way API Gateway's JWT authorizer checks them: `iss` is one of
 * the issuers; `aud` holds one of the audiences or, when the token has no `aud`, `client_id` is one;
 * `exp` (required), `nbf` and `iat` are numbers and hold now, within the clock tolerance.
 */
function claimsOf(payload: Uint8Array, typ: unknown, config: AuthorizerConfig, nowSeconds: number): JWTPayload {
  let claims: JWTPayload | undefined;
  try {
    claims = JSON.parse(strictUtf8.decode(payload));
  } catch {
    // not JSON: below
  }
  if (typeof claims !== 'object' || !claims || Array.isArray(claims)) return fail('jwt_invalid');
  const { iss, aud, exp, nbf, iat } = claims;
  const clientId = own(claims, 'client_id');
  const tolerance = config.clockToleranceSeconds;
  if (iss === undefined) fail('missing_iss');
  if (aud === undefined && clientId === undefined) fail('missing_aud');
  if (exp === undefined) fail('missing_exp');
  if (!config.issuers.includes(iss as string)) fail('bad_iss');
  if (aud === undefined) {
    if (!config.audience.includes(clientId as string)) fail('bad_client_id');
  } else if (!(Array.isArray(aud) ? aud : [aud]).some((a) => config.audience.includes(a))) {
    fail('bad_aud');
  }
  if (iat !== undefined && !isTime(iat)) fail('bad_iat');
  if (nbf !== undefined && !(isTime(nbf) && nbf <= nowSeconds + tolerance)) fail('bad_nbf');
  if (!isTime(exp)) fail('bad_exp');
  if (exp! <= nowSeconds - tolerance) fail('jwt_expired');
  // A token from the future is wrong too (jose checked iat only together with a maximum token age).
  if (iat! > nowSeconds + tolerance) fail('iat_in_future');
  // Cognito marks its access tokens with token_use, RFC 9068 with the header typ at+jwt.
  if (config.accessTokensOnly && own(claims, 'token_use') !== 'access' && !/^(application\/)?at\+jwt$/i.test(String(typ))) {
    fail('not_access_token');
  }
  return claims;
}

/**
 * Reason codes: ours (Denial, including `missing_<claim>` / `bad_<claim>` for claims), else jose's error
 * code without `ERR_` (`jws_signature_verification_failed`, `jose_alg_not_allowed`,
 * `jwks_multiple_matching_keys` for a kid-less token that several keys could have signed, ...).
 */
function reasonOf(error: unknown): string {
  if (error instanceof Denial) return error.reason;
  const code = (error as { code?: string }).code;
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

  const options = { algorithms: config.algorithms as string[] };

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

      let claims: JWTPayload;
      try {
        const { payload, protectedHeader } = await compactVerify(token, jwks.getKey, options);
        // An unencoded payload (RFC 7797) is no JWT.
        if (protectedHeader.b64 === false) fail('jwt_invalid');
        claims = claimsOf(payload, protectedHeader.typ, config, Math.floor(deps.now() / 1000));
      } catch (error) {
        return deny(reasonOf(error));
      }
      // The first subject claim the token has names the caller (machine tokens may lack `sub`).
      const name = config.subjectClaims.find((claim) => own(claims, claim) !== undefined);
      if (!name) return deny('missing_sub');
      const sub = own(claims, name);
      if (typeof sub !== 'string' || !SUBJECT.test(sub)) return deny('bad_sub');
      const scopes = scopesOf(claims, config.scopeClaims);
      if (!required.every((scope) => scopes.includes(scope))) return deny('insufficient_scope', sub);
      return { allow: true, sub, scopes, everyRoute: everyScope.every((scope) => scopes.includes(scope)) };
    },
  };
}
