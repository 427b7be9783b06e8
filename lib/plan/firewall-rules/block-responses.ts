/**
 * What a blocked client gets: 429 from a rate limit, 403 from an address or country rule, each with a
 * small JSON body like the gateway's other errors (`{"message":"Not Found"}` from the ALB).
 */
import type { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';

const BODY_KEYS = { rateLimited: 'rate-limited', forbidden: 'forbidden' } as const;

/** The web ACL's custom response bodies, by key. */
export const CUSTOM_RESPONSE_BODIES: Record<string, CfnWebACL.CustomResponseBodyProperty> = {
  [BODY_KEYS.rateLimited]: { contentType: 'APPLICATION_JSON', content: '{"message":"Too Many Requests"}' },
  [BODY_KEYS.forbidden]: { contentType: 'APPLICATION_JSON', content: '{"message":"Forbidden"}' },
};

/** Action of a rate-based rule. */
export const RATE_LIMITED: CfnWebACL.RuleActionProperty = {
  block: { customResponse: { responseCode: 429, customResponseBodyKey: BODY_KEYS.rateLimited } },
};

/** Action of an address or country rule. */
export const FORBIDDEN: CfnWebACL.RuleActionProperty = {
  block: { customResponse: { responseCode: 403, customResponseBodyKey: BODY_KEYS.forbidden } },
};
