/**
 * The plan's CORS decisions (`GatewayPlan.cors`) as items comparable with the deployed API: the HTTP API's
 * CORS configuration; the REST preflight answer of every OPTIONS method the plan has, and the CORS
 * headers of its gateway responses. No CORS in the plan: no items, so any deployed CORS is unexpected.
 */
import type { GatewayPlan } from '../../plan';
import {
  gatewayResponseCorsAttributes,
  gatewayResponseCorsItem,
  HTTP_CORS_ITEM,
  httpCorsAttributes,
  preflightAttributes,
  preflightItem,
  setsCorsHeader,
} from '../deployed/cors';
import type { Item } from '../items';

export function expectedHttpCorsItems(plan: GatewayPlan): Item[] {
  const http = plan.cors?.http;
  if (!http) return [];
  return [
    {
      item: HTTP_CORS_ITEM,
      attributes: httpCorsAttributes({
        AllowOrigins: [...http.allowOrigins],
        AllowMethods: [...http.allowMethods],
        AllowHeaders: [...http.allowHeaders],
        ExposeHeaders: http.exposeHeaders && [...http.exposeHeaders],
        AllowCredentials: http.allowCredentials,
        MaxAge: http.maxAge,
      }),
    },
  ];
}

export function expectedPreflightItems(plan: GatewayPlan): Item[] {
  const preflight = plan.cors?.restPreflight;
  if (!preflight) return [];
  const attributes = preflightAttributes([
    { statusCode: preflight.statusCode, responseParameters: { ...preflight.responseParameters }, responseTemplates: { 'application/json': preflight.originTemplate } },
  ]);
  return plan.services.flatMap((s) => s.preflightRoutes.filter((r) => r.integration.type === 'MOCK').map((r) => ({ item: preflightItem(r.path), attributes })));
}

export function expectedGatewayResponseCorsItems(plan: GatewayPlan): Item[] {
  const planned = plan.cors?.restGatewayResponses;
  if (!planned) return [];
  return planned.responseTypes.map((t) => ({ item: gatewayResponseCorsItem(t), attributes: gatewayResponseCorsAttributes(planned.responseParameters) })).filter(setsCorsHeader);
}
