import type { APIGatewayRequestAuthorizerEvent, APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { configFromEnv, type ConfigResult } from './config';
import { httpApiRequest, httpApiResponse, type HttpApiAuthorizerResponse } from './http-api';
import { DEBUG, INFO, powertoolsLog, type AuthorizerLog } from './log';
import type { AuthorizerRequest } from './request';
import { restApiRequest, restApiResponse, type RestApiAuthorizerResponse } from './rest-api';
import { createVerifier, type Decision, type Verifier } from './verify';

export { configFromEnv, type ConfigResult } from './config';
export type { Decision } from './verify';
export { logLevelFromEnv } from './log';

export interface AuthorizerDeps {
  /** Milliseconds since the epoch. */
  readonly now: () => number;
  readonly log: AuthorizerLog;
}

export interface Authorizer {
  /** HTTP API Lambda authorizer, payload format 2.0, simple responses. */
  readonly handler: (event: APIGatewayRequestAuthorizerEventV2) => Promise<HttpApiAuthorizerResponse>;
  /** REST API REQUEST authorizer. */
  readonly restHandler: (event: APIGatewayRequestAuthorizerEvent) => Promise<RestApiAuthorizerResponse>;
  readonly verifier: Verifier;
}

/** One authorizer instance; the module builds one from the environment, tests build their own. */
export function createAuthorizer(setup: ConfigResult, deps: Partial<AuthorizerDeps> = {}): Authorizer {
  const log = deps.log ?? powertoolsLog(process.env.POWERTOOLS_SERVICE_NAME || 'jwt-authorizer');
  const verifier = createVerifier(setup, { now: deps.now ?? Date.now, log });

  async function decide({ authorization, routeKey, requestId, problem }: AuthorizerRequest): Promise<Decision> {
    let decision: Decision;
    try {
      decision = problem
        ? { allow: false, reason: problem }
        : await verifier.decide(typeof authorization === 'string' ? authorization : undefined, String(routeKey));
    } catch (error) {
      log.error({ message: 'authorizer failed', reason: 'internal_error', requestId, error: String(error) });
      decision = { allow: false, reason: 'internal_error' };
    }
    // Decisions carry a reason code and the subject, never the token.
    if (decision.allow) {
      if (log.level <= DEBUG) log.debug({ message: 'allow', route: routeKey, requestId, sub: decision.sub });
    } else if (log.level <= INFO) {
      log.info({ message: 'deny', reason: decision.reason, route: routeKey, requestId, sub: decision.sub });
    }
    return decision;
  }

  return {
    verifier,
    handler: async (event) => httpApiResponse(await decide(httpApiRequest(event))),
    restHandler: async (event) => restApiResponse(await decide(restApiRequest(event)), event),
  };
}

// Built at module load, during the Lambda init phase, so the JWKS fetch starts before the first request.
const authorizer = createAuthorizer(configFromEnv(process.env, __dirname));

export const handler = authorizer.handler;
export const restHandler = authorizer.restHandler;
