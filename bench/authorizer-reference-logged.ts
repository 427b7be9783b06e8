/**
 * Benchmark only: the aws-jwt-verify reference with the logging ours is required to have (Powertools
 * logger, denies at INFO, allows at DEBUG), so the two can be compared like for like.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { handler as decide } from './authorizer-reference';

const log = new Logger({ serviceName: 'jwt-authorizer' });
const DEBUG = 8;

export async function handler(event: Parameters<typeof decide>[0] & { requestContext?: { requestId?: string } }) {
  const answer = await decide(event);
  const requestId = event.requestContext?.requestId;
  if (!answer.isAuthorized) log.info({ message: 'deny', route: event.routeKey, requestId });
  else if (log.level <= DEBUG) log.debug({ message: 'allow', route: event.routeKey, requestId, sub: answer.context?.sub });
  return answer;
}
