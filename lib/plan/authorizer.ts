/**
 * The gateway's JWT authorizer as API Gateway holds it: the settings both front doors create it with,
 * and `verify` compares with. Pure.
 */
import { authorizerName, effectiveAuth, hasJwtAuthorizer, httpIdentitySource, jwtIssuers, jwtSettings, restIdentitySource, routeKeys, type JwtSettings } from '../service-map/conventions';
import type { ResolvedServiceMap } from '../service-map/schema';

export interface AuthorizerPlan {
  readonly name: string;
  /** `lambda`: the bundled Lambda authorizer; `native`: API Gateway's own JWT authorizer (HTTP front door). */
  readonly kind: 'lambda' | 'native';
  /** API Gateway's authorizer type. */
  readonly type: 'REQUEST' | 'JWT';
  /** Where the token comes from; also the cache key of a Lambda authorizer. */
  readonly identitySource: readonly string[];
  /** Lambda: seconds a result is cached. */
  readonly resultTtlSeconds?: number;
  /** HTTP Lambda authorizers: the event format and the `{ isAuthorized }` answer. */
  readonly payloadFormatVersion?: '2.0';
  readonly enableSimpleResponses?: boolean;
  /** The accepted issuers (the native authorizer takes one; the first is the discovery base). */
  readonly issuers: readonly string[];
  readonly audience: readonly string[];
  /** The key set the Lambda authorizer fetches; absent: found by OIDC discovery of the first issuer. */
  readonly jwksUri?: string;
  readonly algorithms: readonly string[];
  /** Everything the Lambda authorizer reads from its environment (issuers, claims, accessTokensOnly; docs/authorizer.md). */
  readonly settings: JwtSettings;
  /** Lambda: the scopes each JWT route key requires (all of them). */
  readonly routeScopes: Readonly<Record<string, readonly string[]>>;
}

/** The JWT authorizer, or undefined when no service uses jwt auth (then there is none at all). */
export function planAuthorizer(map: ResolvedServiceMap): AuthorizerPlan | undefined {
  const jwt = map.auth.jwt;
  if (!jwt || !hasJwtAuthorizer(map)) return undefined;
  const kind = map.auth.authorizer;
  const routeScopes = Object.fromEntries(
    Object.keys(map.services)
      .sort()
      .filter((name) => effectiveAuth(map, map.services[name]) === 'jwt')
      .flatMap((name) => routeKeys(map.services[name].path).map((key) => [key, map.services[name].scopes])),
  );
  const settings = jwtSettings(jwt);
  const common = {
    name: authorizerName(map),
    kind,
    issuers: jwtIssuers(jwt),
    audience: jwt.audience,
    ...(jwt.jwksUri ? { jwksUri: jwt.jwksUri } : {}),
    algorithms: jwt.algorithms,
    settings,
    routeScopes,
  };
  if (map.frontDoor === 'rest') return { ...common, type: 'REQUEST', identitySource: restIdentitySource(map), resultTtlSeconds: map.auth.cacheTtlSeconds };
  if (kind === 'native') return { ...common, type: 'JWT', identitySource: httpIdentitySource(map) };
  return {
    ...common,
    type: 'REQUEST',
    identitySource: httpIdentitySource(map),
    resultTtlSeconds: map.auth.cacheTtlSeconds,
    payloadFormatVersion: '2.0',
    enableSimpleResponses: true,
  };
}
