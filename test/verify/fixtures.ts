/**
 * A deployed "school" gateway (examples/school.json) written out by hand in each API's wire shape, so the
 * tests compare verify's reading of the contract with an independent one rather than with itself.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeRecordedMap } from '../../lib/recorded-map';
import { managedRuleGroupRule } from '../../lib/plan/firewall-rules/managed-rule-groups';
import { asWafApiShape } from '../../lib/verify/expected/firewall';
import { validateServiceMap } from '../../lib/plan';
import type { ResolvedServiceMap } from '../../lib/service-map';
import type { FakeAwsState, Json } from './fake-aws';

export const STACK = 'school-gateway';
export const API_ID = 'a1b2c3d4e5';
export const REGION = 'eu-west-1';
export const ACCOUNT = '123456789012';
export const ALB_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/school-alb0/50dc6c495c0c9188`;
export const WEB_ACL_ARN = `arn:aws:wafv2:${REGION}:${ACCOUNT}:regional/webacl/school-waf/3f2d5c1a-0000-4000-8000-000000000001`;

/** The resolved school map as the construct records it: environment values redacted. */
export function schoolMap(): ResolvedServiceMap {
  const raw = JSON.parse(readFileSync(join(__dirname, '../../examples/school.json'), 'utf8'));
  return redact(validateServiceMap(raw).map);
}

export function redact(map: ResolvedServiceMap): ResolvedServiceMap {
  const copy = structuredClone(map);
  for (const service of Object.values(copy.services)) {
    if (service.container) service.container.environment = Object.fromEntries(Object.keys(service.container.environment).map((k) => [k, '(redacted)']));
  }
  return copy;
}

/**
 * The root template of a deployed school gateway. The record holds the map the way the construct writes
 * it (gzip+base64 through `encodeRecordedMap`) unless `plainMap` asks for the map object itself.
 */
export function gatewayTemplate(map: ResolvedServiceMap = schoolMap(), extra: Json = {}, plainMap = false): Json {
  const recorded = plainMap ? { map } : { mapEncoding: 'gzip+base64', map: encodeRecordedMap(map) };
  return {
    Resources: {
      SchoolGatewayHttpApi7A2B3C4D: {
        Type: 'AWS::ApiGatewayV2::Api',
        Properties: { Name: 'school', ProtocolType: 'HTTP' },
        Metadata: {
          'cdk-service-gateway': { schemaVersion: 1, frontDoor: 'http', stageName: '$default', webAclLogicalId: 'SchoolGatewayFirewallWebAcl1F2E3D4C', ...recorded, ...extra },
          'aws:cdk:path': 'school-gateway/SchoolGateway/HttpApi/Resource',
        },
      },
      SchoolGatewayFirewallWebAcl1F2E3D4C: { Type: 'AWS::WAFv2::WebACL', Properties: { Scope: 'REGIONAL' } },
      SchoolGatewayAlb0LoadBalancer9A8B7C6D: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Scheme: 'internal' } },
      SchoolGatewayDefaultStage1A2B3C4D: { Type: 'AWS::ApiGatewayV2::Stage', Properties: { StageName: '$default' } },
    },
  };
}

/** The headers every school integration overwrites: all school services take verified (JWT) callers. */
const verifiedHeaders = {
  'overwrite:header.x-gateway-service': '$context.routeKey',
  'overwrite:header.x-gateway-client-ip': '$context.identity.sourceIp',
  'overwrite:header.x-gateway-user': '$context.authorizer.sub',
  'overwrite:header.x-gateway-scopes': '$context.authorizer.scope',
};

export function deployedSchool(templateBody = JSON.stringify(gatewayTemplate())): FakeAwsState {
  // Shared ALB integrations differ by path mapping: live-reading keeps its path, student-api strips it.
  const alb = 'int-alb0-full';
  const albStripExact = 'int-alb0-strip-exact';
  const albStripProxy = 'int-alb0-strip-proxy';
  const payment = 'int-pay';
  // The map sets cors: every service's OPTIONS routes go, without an authorizer, to the anonymous full-path integration.
  const albPreflight = 'int-alb0-anonymous';
  const anonymousHeaders = {
    'overwrite:header.x-gateway-service': '$context.routeKey',
    'overwrite:header.x-gateway-client-ip': '$context.identity.sourceIp',
    'remove:header.x-gateway-user': "''",
    'remove:header.x-gateway-scopes': "''",
  };
  const albIntegration = (integrationId: string, path: string, headers: Json = verifiedHeaders): Json => ({
    integrationId,
    connectionType: 'VPC_LINK',
    connectionId: 'vl1234',
    integrationType: 'HTTP_PROXY',
    integrationMethod: 'ANY',
    integrationUri: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener/app/school-alb0/50dc6c495c0c9188/0467ef3c8400ae65`,
    payloadFormatVersion: '1.0',
    timeoutInMillis: 29000,
    requestParameters: { ...headers, 'overwrite:path': path },
  });
  const route = (routeKey: string, integrationId: string): Json => ({
    routeId: `r-${routeKey.length}-${integrationId}-${routeKey.includes('proxy') ? 'p' : 'e'}`,
    routeKey,
    ...(routeKey.startsWith('OPTIONS ') ? { authorizationType: 'NONE' } : { authorizationType: 'CUSTOM', authorizerId: 'auth1' }),
    target: `integrations/${integrationId}`,
    apiKeyRequired: false,
  });
  return {
    stacks: {
      [STACK]: {
        templateBody,
        resources: [
          { logicalId: 'SchoolGatewayHttpApi7A2B3C4D', physicalId: API_ID, type: 'AWS::ApiGatewayV2::Api' },
          { logicalId: 'SchoolGatewayDefaultStage1A2B3C4D', physicalId: '$default', type: 'AWS::ApiGatewayV2::Stage' },
          { logicalId: 'SchoolGatewayVpc8B9C0D1E', physicalId: 'vpc-0abc1234def567890', type: 'AWS::EC2::VPC' },
          { logicalId: 'SchoolGatewayServicesNestedStack', physicalId: `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/school-services/1`, type: 'AWS::CloudFormation::Stack' },
          { logicalId: 'SchoolGatewayAlb0LoadBalancer9A8B7C6D', physicalId: ALB_ARN, type: 'AWS::ElasticLoadBalancingV2::LoadBalancer' },
          {
            logicalId: 'SchoolGatewayFirewallWebAcl1F2E3D4C',
            physicalId: 'school-waf|3f2d5c1a-0000-4000-8000-000000000001|REGIONAL',
            type: 'AWS::WAFv2::WebACL',
          },
          { logicalId: 'SchoolGatewayAuthorizerFn5E6F7A8B', physicalId: 'school-jwt-authorizer', type: 'AWS::Lambda::Function' },
        ],
      },
    },
    httpApis: {
      [API_ID]: {
        // The map's cors, as GetApi reports the API's own CORS configuration.
        api: {
          apiId: API_ID,
          name: 'school',
          protocolType: 'HTTP',
          corsConfiguration: { allowOrigins: ['https://app.example.com'], allowMethods: ['GET', 'POST'], allowHeaders: ['authorization', 'content-type'], allowCredentials: false, maxAge: 600 },
        },
        routes: [
          route('ANY /live-reading', alb),
          route('ANY /live-reading/{proxy+}', alb),
          route('ANY /students', albStripExact),
          route('ANY /students/{proxy+}', albStripProxy),
          route('ANY /payment', payment),
          route('ANY /payment/{proxy+}', payment),
          ...['/live-reading', '/students', '/payment'].flatMap((path) => [route(`OPTIONS ${path}`, albPreflight), route(`OPTIONS ${path}/{proxy+}`, albPreflight)]),
        ],
        // Five integrations: more than the fake's page size, so GetIntegrations pages.
        integrations: [
          albIntegration(alb, '$request.path'),
          albIntegration(albStripExact, '/'),
          albIntegration(albStripProxy, '/$request.path.proxy'),
          albIntegration(albPreflight, '$request.path', anonymousHeaders),
          {
            integrationId: payment,
            connectionType: 'INTERNET',
            integrationType: 'HTTP_PROXY',
            integrationMethod: 'ANY',
            integrationUri: 'https://payment.example.com',
            payloadFormatVersion: '1.0',
            timeoutInMillis: 10000,
            requestParameters: { ...verifiedHeaders, 'overwrite:path': '$request.path' },
          },
        ],
        authorizers: [
          {
            authorizerId: 'auth1',
            name: 'school-jwt',
            authorizerType: 'REQUEST',
            authorizerPayloadFormatVersion: '2.0',
            authorizerResultTtlInSeconds: 300,
            enableSimpleResponses: true,
            // The three services need different scopes, so the cache key includes the route.
            identitySource: ['$request.header.Authorization', '$context.routeKey'],
          },
        ],
        stages: {
          $default: {
            stageName: '$default',
            autoDeploy: true,
            defaultRouteSettings: { detailedMetricsEnabled: false, throttlingBurstLimit: 2000, throttlingRateLimit: 1000 },
            routeSettings: {
              'ANY /live-reading': { throttlingBurstLimit: 200, throttlingRateLimit: 100 },
              'ANY /live-reading/{proxy+}': { throttlingBurstLimit: 200, throttlingRateLimit: 100 },
            },
          },
        },
      },
    },
    restApis: {},
    usagePlans: [],
    apiKeys: [],
    usagePlanKeys: {},
    webAcls: [
      {
        webAcl: {
          Name: 'school-waf',
          Id: '3f2d5c1a-0000-4000-8000-000000000001',
          ARN: WEB_ACL_ARN,
          DefaultAction: { Allow: {} },
          Capacity: 1100,
          Rules: [
            rateRule('per-ip', 0, 2000, 300),
            rateRule('per-user', 1, 100, 60, USER_KEY),
            rateRule('svc-live-reading-ip-500-per-60s', 2, 500, 60, CLIENT_IP_KEY, serviceHeaderScope('ANY /live-reading', 'ANY /live-reading/{proxy+}')),
            managedRule('AWSManagedRulesCommonRuleSet', 3),
            managedRule('AWSManagedRulesKnownBadInputsRuleSet', 4),
          ],
          VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: 'school-waf' },
        },
        associations: { APPLICATION_LOAD_BALANCER: [ALB_ARN] },
      },
    ],
    failures: {},
  };
}

/** How a rate rule on the ALB counts by client: the address header the gateway overwrites. */
export const CLIENT_IP_KEY: Json = { AggregateKeyType: 'FORWARDED_IP', ForwardedIPConfig: { HeaderName: 'x-gateway-client-ip', FallbackBehavior: 'NO_MATCH' } };
/** How a `user` rate rule counts: the verified subject the gateway writes. */
export const USER_KEY: Json = { AggregateKeyType: 'CUSTOM_KEYS', CustomKeys: [{ Header: { Name: 'x-gateway-user', TextTransformations: [{ Priority: 0, Type: 'NONE' }] } }] };

/** A byte match as the WAF API returns it: the search string base64-encoded. */
export function byteMatch(field: Json, constraint: string, text: string, transformation = 'NONE'): Json {
  return {
    ByteMatchStatement: {
      FieldToMatch: field,
      PositionalConstraint: constraint,
      SearchString: Buffer.from(text).toString('base64'),
      TextTransformations: [{ Priority: 0, Type: transformation }],
    },
  };
}

/** The scope-down of a per-service limit on the ALB: the service header names one of its two routes. */
export function serviceHeaderScope(exactRoute: string, proxyRoute: string): Json {
  const header = { SingleHeader: { Name: 'x-gateway-service' } };
  return { OrStatement: { Statements: [byteMatch(header, 'EXACTLY', exactRoute), byteMatch(header, 'EXACTLY', proxyRoute)] } };
}

export function rateRule(name: string, priority: number, limit: number, window: number, key: Json = CLIENT_IP_KEY, scopeDown?: Json): Json {
  return {
    Name: name,
    Priority: priority,
    Action: { Block: {} },
    Statement: { RateBasedStatement: { Limit: limit, EvaluationWindowSec: window, ...key, ...(scopeDown ? { ScopeDownStatement: scopeDown } : {}) } },
    VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: name },
  };
}

export function managedRule(name: string, priority: number): Json {
  // The rule actions as the gateway renders them for a group given by name (its defaults, JSON 403 blocks).
  const { ruleActionOverrides } = (managedRuleGroupRule(name, { kind: 'alb' }, {}).statement as { managedRuleGroupStatement: { ruleActionOverrides?: unknown[] } }).managedRuleGroupStatement;
  return {
    Name: name,
    Priority: priority,
    OverrideAction: { None: {} },
    Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: name, ...(ruleActionOverrides ? { RuleActionOverrides: asWafApiShape(ruleActionOverrides) } : {}) } },
    VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: name },
  };
}

/** Environment for SDK clients that must reach only the fake. */
export function fakeAwsEnv(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'AKIAFAKEVERIFYTEST01',
    AWS_SECRET_ACCESS_KEY: 'fake-secret-key-never-printed-0123456789',
    AWS_REGION: REGION,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
  };
}
