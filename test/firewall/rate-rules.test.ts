import { validateServiceMap } from '../../lib/plan';
import { webAclRules } from '../../lib/plan/firewall-rules/web-acl-rules';
import { resourcesOf, synthGateway } from '../support/gateway';
import { CONTAINER, ruleOf, rulesOf, shopMap, STAGE_ARN, synthFirewall } from './helpers';

const TOO_MANY = { Block: { CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: 'rate-limited' } } };

describe('rate limits on the ALB (HTTP front door)', () => {
  const gw = synthGateway(
    shopMap({
      rateLimits: [
        { name: 'per-ip', limit: 2000, windowSeconds: 300, key: 'ip' },
        { name: 'per-user', limit: 100, windowSeconds: 60, key: 'user' },
        { limit: 50, windowSeconds: 120, key: 'header', headerName: 'x-api-key' },
      ],
      managedRuleGroups: [],
    }, {
      services: {
        orders: { path: '/orders', container: CONTAINER, rateLimits: [{ limit: 500, windowSeconds: 60 }] },
        catalog: { path: '/v1/catalog', container: CONTAINER },
      },
    }),
  );

  test('ip counts the address the gateway wrote into x-gateway-client-ip, and does not count requests without it', () => {
    const rule = ruleOf(gw.root, 'per-ip');
    expect(rule.Statement).toEqual({
      RateBasedStatement: {
        Limit: 2000,
        EvaluationWindowSec: 300,
        AggregateKeyType: 'FORWARDED_IP',
        ForwardedIPConfig: { HeaderName: 'x-gateway-client-ip', FallbackBehavior: 'NO_MATCH' },
      },
    });
    expect(rule.Action).toEqual(TOO_MANY);
  });

  test('that header is the one every integration overwrites with the source address API Gateway saw', () => {
    const integrations = resourcesOf(gw.root, 'AWS::ApiGatewayV2::Integration');
    expect(integrations.length).toBeGreaterThan(0);
    for (const [, integration] of integrations) {
      expect(integration.Properties.RequestParameters['overwrite:header.x-gateway-client-ip']).toBe('$context.identity.sourceIp');
    }
  });

  test('no rule ever reads X-Forwarded-For, whose first entry the client chooses', () => {
    expect(JSON.stringify(rulesOf(gw.root)).toLowerCase()).not.toContain('x-forwarded-for');
  });

  test('user counts the verified subject the gateway sets in x-gateway-user', () => {
    expect(ruleOf(gw.root, 'per-user').Statement.RateBasedStatement).toEqual({
      Limit: 100,
      EvaluationWindowSec: 60,
      AggregateKeyType: 'CUSTOM_KEYS',
      CustomKeys: [{ Header: { Name: 'x-gateway-user', TextTransformations: [{ Priority: 0, Type: 'NONE' }] } }],
    });
  });

  test('header counts the named header; an unnamed rule is named by conventions (key, limit, window)', () => {
    const rule = ruleOf(gw.root, 'x-api-key-50-per-120s');
    expect(rule.Statement.RateBasedStatement).toMatchObject({
      Limit: 50,
      EvaluationWindowSec: 120,
      AggregateKeyType: 'CUSTOM_KEYS',
      CustomKeys: [{ Header: { Name: 'x-api-key', TextTransformations: [{ Priority: 0, Type: 'NONE' }] } }],
    });
    expect(rule.Action).toEqual(TOO_MANY);
  });

  test('gateway-wide limits count every request; a per-service limit only its own service', () => {
    expect(ruleOf(gw.root, 'per-ip').Statement.RateBasedStatement.ScopeDownStatement).toBeUndefined();
    const scoped = ruleOf(gw.root, 'svc-orders-ip-500-per-60s').Statement.RateBasedStatement;
    expect(scoped).toMatchObject({ Limit: 500, EvaluationWindowSec: 60, AggregateKeyType: 'FORWARDED_IP' });
    expect(scoped.ScopeDownStatement).toEqual({
      OrStatement: {
        Statements: ['ANY /orders', 'ANY /orders/{proxy+}'].map((routeKey) => ({
          ByteMatchStatement: {
            FieldToMatch: { SingleHeader: { Name: 'x-gateway-service' } },
            PositionalConstraint: 'EXACTLY',
            SearchString: routeKey,
            TextTransformations: [{ Priority: 0, Type: 'NONE' }],
          },
        })),
      },
    });
  });

  test('the scope-down matches the same header values the ALB routes the service by', () => {
    const [, listenerRule] = resourcesOf(gw.serviceTemplate('orders'), 'AWS::ElasticLoadBalancingV2::ListenerRule')[0];
    const routedBy = listenerRule.Properties.Conditions[0].HttpHeaderConfig;
    const scope = ruleOf(gw.root, 'svc-orders-ip-500-per-60s').Statement.RateBasedStatement.ScopeDownStatement.OrStatement.Statements;
    expect(scope.map((s: any) => s.ByteMatchStatement.FieldToMatch.SingleHeader.Name)).toEqual([routedBy.HttpHeaderName, routedBy.HttpHeaderName]);
    expect(scope.map((s: any) => s.ByteMatchStatement.SearchString)).toEqual(routedBy.Values);
  });
});

describe('rate limits on a REST stage (GatewayFirewall on its own)', () => {
  const map = shopMap(
    { rateLimits: [{ name: 'per-ip', limit: 1000, key: 'ip' }, { name: 'per-key', limit: 100, key: 'header', headerName: 'x-api-key' }], managedRuleGroups: [] },
    {
      frontDoor: 'rest',
      services: {
        orders: { path: '/orders', container: CONTAINER, rateLimits: [{ name: 'orders-ip', limit: 300, windowSeconds: 60 }] },
      },
    },
  );
  const { template } = synthFirewall(map, { kind: 'restStage', stageArn: STAGE_ARN, pathPrefix: '/prod' });

  test('ip counts the connection WAF sees at the stage: the client itself', () => {
    expect(ruleOf(template, 'per-ip').Statement.RateBasedStatement).toEqual({ Limit: 1000, EvaluationWindowSec: 300, AggregateKeyType: 'IP' });
  });

  test('header counts the named header', () => {
    expect(ruleOf(template, 'per-key').Statement.RateBasedStatement.CustomKeys).toEqual([{ Header: { Name: 'x-api-key', TextTransformations: [{ Priority: 0, Type: 'NONE' }] } }]);
  });

  test('a per-service limit is scoped by the URI path WAF sees: the stage, then the service path, exactly or below', () => {
    expect(ruleOf(template, 'svc-orders-orders-ip').Statement.RateBasedStatement.ScopeDownStatement).toEqual({
      OrStatement: {
        Statements: [
          { ByteMatchStatement: { FieldToMatch: { UriPath: {} }, PositionalConstraint: 'EXACTLY', SearchString: '/prod/orders', TextTransformations: [{ Priority: 0, Type: 'URL_DECODE' }] } },
          { ByteMatchStatement: { FieldToMatch: { UriPath: {} }, PositionalConstraint: 'STARTS_WITH', SearchString: '/prod/orders/', TextTransformations: [{ Priority: 0, Type: 'URL_DECODE' }] } },
        ],
      },
    });
  });

  test('a service at the root path is scoped to everything under the stage', () => {
    const home = shopMap({ managedRuleGroups: [] }, { frontDoor: 'rest', services: { home: { path: '/', url: 'https://home.example.com', rateLimits: [{ name: 'home-ip', limit: 300 }] } } });
    const searched = ruleOf(synthFirewall(home, { kind: 'restStage', stageArn: STAGE_ARN, pathPrefix: '/prod' }).template, 'svc-home-home-ip').Statement.RateBasedStatement.ScopeDownStatement.OrStatement.Statements.map((s: any) => s.ByteMatchStatement.SearchString);
    expect(searched).toEqual(['/prod', '/prod/']);
  });

  test('key "user" cannot be built: the stage inspects requests before the authorizer runs', () => {
    // An HTTP map (validation accepts "user" there) whose rules are asked for a REST stage.
    const httpMap = validateServiceMap(shopMap({ rateLimits: [{ limit: 100, key: 'user' }], managedRuleGroups: [] })).map;
    expect(() => webAclRules(httpMap, { kind: 'restStage', pathPrefix: '' }, (key) => key)).toThrow(/key "user" needs the HTTP front door/);
    // The construct renders the plan of the map, whose web ACL sits on the ALBs: a REST stage target is refused first.
    expect(() => synthFirewall(shopMap({ managedRuleGroups: [] }), { kind: 'restStage', stageArn: STAGE_ARN })).toThrow(/the plan puts the web ACL on the ALBs, the target given is a REST stage/);
  });
});
