import { createLocalJWKSet, type CryptoKey, type FlattenedJWSInput, type JSONWebKeySet, type JWTHeaderParameters } from 'jose';
import { isKeyUrl, type AuthorizerConfig } from './config';
import { Denial } from './denial';
import { connections, getJson, type Connections } from './get-json';
import { DEBUG, type AuthorizerLog } from './log';

export type JwksOptions = Pick<
  AuthorizerConfig,
  'jwksUri' | 'issuers' | 'jwksTimeoutMs' | 'jwksCooldownMs' | 'jwksFailureBackoffMs' | 'jwksMaxAgeMs'
>;

export interface JwksDeps {
  /** Milliseconds; injectable so tests can move time without sleeping. */
  readonly now: () => number;
  readonly log: AuthorizerLog;
}

export interface JwksCache {
  /** Key resolver for jose's jwtVerify. */
  getKey(header: JWTHeaderParameters, token: FlattenedJWSInput): Promise<CryptoKey>;
  /** Starts a fetch now (Lambda init), so a cold start overlaps it with the rest of the init. */
  prefetch(): void;
}

type KeySet = ReturnType<typeof createLocalJWKSet>;

/** Header parameters that point at, or carry, a key: trusting them would let the token choose its own key. */
const KEY_CARRYING_HEADERS = ['jku', 'x5u', 'jwk', 'x5c'];

/**
 * The key set's URL from the first issuer's OIDC discovery document. The document must name that issuer
 * (OpenID Connect Discovery 1.0, section 4.3) and a key URL that is https (loopback http for tests).
 */
async function discover(issuer: string, timeoutMs: number, via: Connections): Promise<string> {
  const doc = (await getJson(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, timeoutMs, via)) as Record<string, unknown> | null;
  if (doc?.issuer !== issuer) throw new Error('discovery: issuer differs');
  const uri = doc.jwks_uri;
  if (typeof uri !== 'string' || !isKeyUrl(uri)) throw new Error('discovery: jwks_uri not https');
  return uri;
}

/**
 * The issuer's key set, fetched by us only (never from a URL in a token), one fetch at a time. Without
 * a configured URL, the first load discovers it (and keeps it): both fetches share one timeout.
 *
 * Fetches happen: at init; when no key set is loaded, at most once per failure back-off (requests in
 * between are denied at once); for an unknown `kid`, at most once per cool-down; and in the background
 * once the set is older than its maximum age, so a key removed by the issuer stops being accepted.
 */
export function createJwksCache(options: JwksOptions, deps: JwksDeps): JwksCache {
  let keys: KeySet | undefined;
  let loadedAt = 0;
  let attemptedAt = -Infinity;
  let inflight: Promise<void> | undefined;
  let uri = options.jwksUri;

  const since = (t: number) => deps.now() - t;

  const load = async () => {
    attemptedAt = deps.now();
    // Wall-clock time: the fetches' own timers run on it, whatever deps.now says.
    const deadline = Date.now() + options.jwksTimeoutMs;
    // Discovering: the key set fetch may reuse the discovery document's connection.
    const via = uri ? undefined : connections();
    try {
      uri ??= await discover(options.issuers[0], options.jwksTimeoutMs, via!);
      // createLocalJWKSet checks the shape.
      const set = (await getJson(uri, deadline - Date.now(), via)) as JSONWebKeySet;
      keys = createLocalJWKSet(set);
      loadedAt = deps.now();
      if (deps.log.level <= DEBUG) deps.log.debug({ message: 'jwks loaded', keys: set.keys.length });
    } catch (error) {
      deps.log.warn({ message: 'jwks fetch failed', reason: 'jwks_fetch_failed', error: String(error) });
    } finally {
      via?.close();
    }
  };
  // Single flight: every caller during a fetch waits on the same one.
  const refresh = () => (inflight ??= load().finally(() => (inflight = undefined)));

  return {
    prefetch: () => void refresh(),

    async getKey(header, token) {
      if (KEY_CARRYING_HEADERS.some((name) => name in header)) throw new Denial('key_in_header');
      if (!keys) {
        if (inflight || since(attemptedAt) >= options.jwksFailureBackoffMs) await refresh();
        if (!keys) throw new Denial('jwks_unavailable');
      } else if (!inflight && since(loadedAt) >= options.jwksMaxAgeMs && since(attemptedAt) >= options.jwksFailureBackoffMs) {
        void refresh();
      }
      const lookup = async () => {
        try {
          return (await keys!(header, token)) as CryptoKey;
        } catch (error) {
          throw (error as { code?: string }).code === 'ERR_JWKS_NO_MATCHING_KEY' ? new Denial('unknown_key') : error;
        }
      };
      try {
        return await lookup();
      } catch (error) {
        // A new kid after rotation: look again, at most once per cool-down.
        if (!(error instanceof Denial) || (!inflight && since(attemptedAt) < options.jwksCooldownMs)) throw error;
        await refresh();
        return lookup();
      }
    },
  };
}
