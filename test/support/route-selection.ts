/**
 * A model of how API Gateway picks the route (HTTP API) or method (REST API) for a request, as AWS
 * documents it, over route keys such as `ANY /orders/{proxy+}`:
 *
 * 1. a route whose path matches the request path exactly beats one that matches through a greedy
 *    path variable (`{proxy+}`, one or more segments);
 * 2. on the same path, a route with the request's own method beats `ANY` ("ANY matches all methods that
 *    you haven't defined for a resource");
 * 3. nothing else matches: `undefined` (API Gateway's own 404, or the `$default` route, which the gateway has none of).
 *
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html#http-api-develop-routes.evaluation
 */
export function selectRoute(routeKeys: readonly string[], method: string, path: string): string | undefined {
  const routes = routeKeys.map((key) => {
    const [m, p] = key.split(' ');
    return { key, method: m, path: p };
  });
  const methodFits = (m: string) => m === method || m === 'ANY';
  const exact = routes.filter((r) => r.path === path && methodFits(r.method));
  const greedy = routes.filter((r) => {
    if (!r.path.endsWith('/{proxy+}') || !methodFits(r.method)) return false;
    const base = r.path.slice(0, -'{proxy+}'.length);
    return path.startsWith(base) && path.length > base.length;
  });
  for (const candidates of [exact, greedy]) {
    if (candidates.length === 0) continue;
    // The longest greedy base first (the most specific resource), then the method's own route over ANY.
    const best = candidates.sort((a, b) => b.path.length - a.path.length || Number(a.method === 'ANY') - Number(b.method === 'ANY'))[0];
    return best.key;
  }
  return undefined;
}
