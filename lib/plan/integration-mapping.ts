/**
 * Request parameter mappings of HTTP API integrations: the headers the gateway overwrites on every
 * request (clients cannot forge them) and the path the backend sees.
 */
import { GATEWAY_HEADERS, urlBackendPathMapping } from '../service-map/conventions';
import type { Caller, IntegrationPath } from './placement';

/** Where each JWT authorizer kind puts the verified caller and scopes (also the access log's `user`). */
export const IDENTITY = {
  lambda: { user: '$context.authorizer.sub', scopes: '$context.authorizer.scope' },
  native: { user: '$context.authorizer.claims.sub', scopes: '$context.authorizer.claims.scope' },
} as const;

function headerParameters(caller: Caller, authorizer: 'lambda' | 'native'): Record<string, string> {
  const params: Record<string, string> = {
    // The matched route key tells the ALB which service this is (listener rules match it).
    [`overwrite:header.${GATEWAY_HEADERS.service}`]: '$context.routeKey',
    // The address API Gateway saw; unlike X-Forwarded-For, a client cannot choose it.
    [`overwrite:header.${GATEWAY_HEADERS.clientIp}`]: '$context.identity.sourceIp',
  };
  if (caller === 'verified') {
    params[`overwrite:header.${GATEWAY_HEADERS.user}`] = IDENTITY[authorizer].user;
    params[`overwrite:header.${GATEWAY_HEADERS.scopes}`] = IDENTITY[authorizer].scopes;
  } else {
    // Anonymous routes: a client-sent identity header must never reach a backend.
    params[`remove:header.${GATEWAY_HEADERS.user}`] = "''";
    params[`remove:header.${GATEWAY_HEADERS.scopes}`] = "''";
  }
  return params;
}

const PATHS: Record<IntegrationPath, string> = {
  // The request path without any stage name.
  full: '$request.path',
  'strip-proxy': '/$request.path.proxy',
  'strip-exact': '/',
};

/** Parameters of a shared integration to an internal ALB. */
export function requestParameters(caller: Caller, authorizer: 'lambda' | 'native', path: IntegrationPath): Record<string, string> {
  return { ...headerParameters(caller, authorizer), 'overwrite:path': PATHS[path] };
}

/** Parameters of a url service's integration: the backend URL's own path comes first. */
export function urlIntegrationParameters(
  url: string,
  caller: Caller,
  authorizer: 'lambda' | 'native',
  stripPrefix: boolean,
  exactRoute: boolean,
): Record<string, string> {
  return { ...headerParameters(caller, authorizer), 'overwrite:path': urlBackendPathMapping(url, stripPrefix, exactRoute) };
}
