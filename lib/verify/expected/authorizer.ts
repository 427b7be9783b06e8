/**
 * The JWT authorizer settings both front doors derive from the map: the very functions the constructs
 * use, so verify and the gateway cannot disagree.
 */
export { authorizerName, hasJwtAuthorizer, httpIdentitySource, restIdentitySource, scopesDifferPerRoute } from '../../service-map/conventions';
