/** What every front door's event is reduced to before the verification core sees it. */
export interface AuthorizerRequest {
  readonly authorization?: string;
  readonly routeKey?: string;
  readonly requestId?: string;
  /** Set when the event itself cannot be authorized (a reason code). */
  readonly problem?: string;
}

/**
 * What the gateway maps into the headers it overwrites (`x-gateway-user`, `x-gateway-scopes`).
 * Strings only: that is all both front doors pass through unchanged.
 */
export interface GatewayContext {
  readonly sub: string;
  /** Space-separated. */
  readonly scope: string;
}
