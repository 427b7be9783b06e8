/**
 * Plays CloudFormation for a synthesized cloud assembly: gives every resource of the root and nested
 * templates a physical ID, resolves Ref / Fn::Join / Fn::GetAtt (through nested-stack parameters), and
 * returns what the APIs would then answer, in the fake's wire shapes. "Deploy what was synthesized,
 * then verify" must find no drift.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeAwsState, FakeHttpApi, FakeRestApi, FakeStack, FakeWebAcl, Json } from './fake-aws';

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';

interface TemplateResource {
  Type: string;
  Properties?: Json;
}

interface DeployedTemplate {
  name: string;
  resources: Record<string, TemplateResource>;
  params: Record<string, unknown>;
}

/** Deploys the assembly's stack; the gateway's API (HTTP or REST) gets `apiId`. */
export function deployAssembly(outdir: string, stackName: string, apiId: string): FakeAwsState {
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
  const artifact = Object.entries<any>(manifest.artifacts).find(([id, a]) => a.type === 'aws:cloudformation:stack' && (a.properties.stackName ?? id) === stackName)![1];
  const rootBody = readFileSync(join(outdir, artifact.properties.templateFile), 'utf8');
  const assets = JSON.parse(readFileSync(join(outdir, `${stackName}.assets.json`), 'utf8')).files as Record<string, { source: { path: string } }>;

  const templates: DeployedTemplate[] = [];
  const physical = new Map<string, string>();
  const physicalId = (t: DeployedTemplate, logicalId: string, r: TemplateResource): string => {
    const key = `${t.name}/${logicalId}`;
    if (!physical.has(key)) physical.set(key, assignPhysicalId(logicalId, r, apiId, t));
    return physical.get(key)!;
  };

  const resolve = (t: DeployedTemplate, value: unknown): unknown => {
    if (Array.isArray(value)) return value.map((v) => resolve(t, v));
    if (value === null || typeof value !== 'object') return value;
    const obj = value as Json;
    if ('Ref' in obj) {
      const ref = obj.Ref as string;
      if (ref in t.params) return t.params[ref];
      if (ref === 'AWS::Region') return REGION;
      if (ref === 'AWS::AccountId') return ACCOUNT;
      if (ref === 'AWS::Partition') return 'aws';
      if (ref === 'AWS::URLSuffix') return 'amazonaws.com';
      return physicalId(t, ref, t.resources[ref]);
    }
    if ('Fn::Join' in obj) {
      const [sep, parts] = obj['Fn::Join'] as [string, unknown[]];
      return (resolve(t, parts) as unknown[]).join(sep);
    }
    if ('Fn::GetAtt' in obj) {
      const [id, attr] = obj['Fn::GetAtt'] as [string, string];
      const phys = physicalId(t, id, t.resources[id]);
      const type = t.resources[id]?.Type;
      if (type === 'AWS::WAFv2::WebACL' && attr === 'Arn') return webAclArn(phys);
      if (type === 'AWS::ElasticLoadBalancingV2::LoadBalancer' && attr === 'DNSName') return loadBalancerDnsName(phys);
      return `${phys}.${attr}`;
    }
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, resolve(t, v)]));
  };

  const load = (name: string, body: string, params: Record<string, unknown>) => {
    const t: DeployedTemplate = { name, resources: JSON.parse(body).Resources, params };
    templates.push(t);
    for (const [id, r] of Object.entries(t.resources)) {
      if (r.Type !== 'AWS::CloudFormation::Stack') continue;
      const url = resolve(t, r.Properties!.TemplateURL) as string;
      const hash = url.slice(url.lastIndexOf('/') + 1).replace(/\.json$/, '');
      const nestedParams = resolve(t, r.Properties!.Parameters ?? {}) as Record<string, unknown>;
      load(`${name}/${id}`, readFileSync(join(outdir, assets[hash].source.path), 'utf8'), nestedParams);
    }
  };
  load(stackName, rootBody, {});

  const api: FakeHttpApi = { routes: [], integrations: [], authorizers: [], stages: {} };
  const rest: FakeRestApi = { resources: [], authorizers: [], stages: {} };
  const restResources: Array<{ id: string; parentId: string; pathPart: string }> = [];
  const restMethods: Array<{ resourceId: string; method: Json }> = [];
  const usagePlans: Json[] = [];
  const apiKeys: Json[] = [];
  const usagePlanKeys: Record<string, string[]> = {};
  const webAcls: FakeWebAcl[] = [];
  const associations: Array<{ webAcl: string; resource: string }> = [];
  for (const t of templates) {
    for (const [id, r] of Object.entries(t.resources)) {
      const p = resolve(t, r.Properties ?? {}) as Json;
      const phys = () => physicalId(t, id, r);
      switch (r.Type) {
        case 'AWS::ApiGatewayV2::Api':
          api.api = camel({ ApiId: phys(), ...pick(p, 'Name', 'ProtocolType', 'CorsConfiguration') });
          break;
        case 'AWS::ApiGateway::GatewayResponse':
          (rest.gatewayResponses ??= []).push({ ...camel(pick(p, 'ResponseType', 'StatusCode', 'ResponseParameters', 'ResponseTemplates'), ['ResponseParameters', 'ResponseTemplates']), defaultResponse: false });
          break;
        case 'AWS::ApiGatewayV2::Route':
          api.routes.push(camel({ RouteId: phys(), ...pick(p, 'RouteKey', 'AuthorizationType', 'AuthorizationScopes', 'AuthorizerId', 'Target') }));
          break;
        case 'AWS::ApiGatewayV2::Integration':
          // What GetIntegration reports for properties left out: INTERNET, 30 s.
          api.integrations.push(
            camel(
              { IntegrationId: phys(), ConnectionType: 'INTERNET', TimeoutInMillis: 30000, ...pick(p, 'IntegrationType', 'IntegrationUri', 'ConnectionType', 'TimeoutInMillis', 'RequestParameters') },
              ['RequestParameters'],
            ),
          );
          break;
        case 'AWS::ApiGatewayV2::Authorizer':
          api.authorizers.push(
            camel({
              AuthorizerId: phys(),
              ...pick(p, 'Name', 'AuthorizerType', 'AuthorizerResultTtlInSeconds', 'JwtConfiguration', 'IdentitySource', 'AuthorizerPayloadFormatVersion', 'EnableSimpleResponses'),
            }),
          );
          break;
        case 'AWS::ApiGatewayV2::Stage':
          api.stages[p.StageName as string] = camel(pick(p, 'StageName', 'DefaultRouteSettings', 'RouteSettings'), ['RouteSettings']);
          break;
        case 'AWS::ApiGateway::Resource':
          restResources.push({ id: phys(), parentId: p.ParentId as string, pathPart: p.PathPart as string });
          break;
        case 'AWS::ApiGateway::Authorizer':
          rest.authorizers.push({ id: phys(), ...camel(pick(p, 'Name', 'Type', 'IdentitySource', 'AuthorizerResultTtlInSeconds', 'AuthorizerUri')) });
          break;
        case 'AWS::ApiGateway::Method': {
          const integration = p.Integration as Json | undefined;
          restMethods.push({
            resourceId: p.ResourceId as string,
            method: {
              ...camel(pick(p, 'HttpMethod', 'AuthorizationType', 'AuthorizerId', 'ApiKeyRequired')),
              ...(integration ? { methodIntegration: asGetMethodReturnsIt(integration, p.ResourceId as string) } : {}),
            },
          });
          break;
        }
        case 'AWS::ApiGateway::Stage':
          rest.stages[p.StageName as string] = {
            stageName: p.StageName,
            cacheClusterEnabled: p.CacheClusterEnabled ?? false,
            ...(p.CacheClusterSize !== undefined ? { cacheClusterSize: p.CacheClusterSize } : {}),
            // GetStage keys method settings `<resource path without its leading slash>/<method>`, and
            // reports API Gateway's values for what the template left out (no caching, a TTL of 300 s).
            methodSettings: Object.fromEntries(
              ((p.MethodSettings as Json[]) ?? []).map((m) => [
                `${(m.ResourcePath as string).slice(1)}/${m.HttpMethod}`,
                { cachingEnabled: false, cacheTtlInSeconds: 300, ...camel(pick(m, 'ThrottlingRateLimit', 'ThrottlingBurstLimit', 'MetricsEnabled', 'CachingEnabled', 'CacheTtlInSeconds')) },
              ]),
            ),
          };
          break;
        case 'AWS::ApiGateway::UsagePlan':
          usagePlans.push({ id: phys(), ...camel(pick(p, 'ApiStages', 'Throttle', 'Quota')), name: p.UsagePlanName });
          break;
        case 'AWS::ApiGateway::ApiKey':
          // API Gateway generates the value; a key is disabled unless the template enables it.
          apiKeys.push({ id: phys(), name: p.Name, description: p.Description, enabled: p.Enabled ?? false, value: simulatedApiKeyValue(phys()) });
          break;
        case 'AWS::ApiGateway::UsagePlanKey':
          (usagePlanKeys[p.UsagePlanId as string] ??= []).push(p.KeyId as string);
          break;
        case 'AWS::WAFv2::WebACL': {
          const [name, aclId] = phys().split('|');
          webAcls.push({ webAcl: { Name: name, Id: aclId, ARN: webAclArn(phys()), Rules: asWafApiReturnsThem(p.Rules ?? []), DefaultAction: p.DefaultAction }, associations: {} });
          break;
        }
        case 'AWS::WAFv2::WebACLAssociation':
          associations.push({ webAcl: p.WebACLArn as string, resource: p.ResourceArn as string });
          break;
      }
    }
  }
  for (const a of associations) {
    const acl = webAcls.find((w) => w.webAcl.ARN === a.webAcl);
    const type = a.resource.includes(':elasticloadbalancing:') ? 'APPLICATION_LOAD_BALANCER' : 'API_GATEWAY';
    if (acl) (acl.associations[type] ??= []).push(a.resource);
  }

  // Resource paths follow the parent chain up to the root resource, which GetAtt names `<api>.RootResourceId`.
  const pathOf = (id: string): string => {
    const r = restResources.find((x) => x.id === id);
    if (!r) return '';
    return `${pathOf(r.parentId)}/${r.pathPart}`;
  };
  const restRootId = `${apiId}.RootResourceId`;
  for (const id of [restRootId, ...restResources.map((r) => r.id)]) {
    const methods = restMethods.filter((m) => m.resourceId === id);
    rest.resources.push({ id, path: pathOf(id) || '/', resourceMethods: Object.fromEntries(methods.map((m) => [m.method.httpMethod, m.method])) });
  }

  const root = templates[0];
  const stack: FakeStack = {
    templateBody: rootBody,
    resources: Object.entries(root.resources).map(([id, r]) => ({ logicalId: id, physicalId: physicalId(root, id, r), type: r.Type })),
  };
  return { stacks: { [stackName]: stack }, httpApis: { [apiId]: api }, restApis: { [apiId]: rest }, usagePlans, apiKeys, usagePlanKeys, webAcls, failures: {} };
}

function assignPhysicalId(logicalId: string, r: TemplateResource | undefined, apiId: string, t: DeployedTemplate): string {
  const suffix = `${logicalId.toLowerCase().slice(0, 12)}${t.name.length}`;
  switch (r?.Type) {
    case 'AWS::ApiGatewayV2::Api':
    case 'AWS::ApiGateway::RestApi':
      return apiId;
    case 'AWS::ApiGateway::Stage':
      return r.Properties?.StageName as string;
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
      return `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/${suffix}/0123456789abcdef`;
    case 'AWS::WAFv2::WebACL':
      return `${(r.Properties?.Name as string) ?? logicalId}|${suffix}|REGIONAL`;
    default:
      return `${logicalId}-${t.name.length}`;
  }
}

/** The value API Gateway would generate for a key: tests check that verify never shows it. */
export function simulatedApiKeyValue(keyId: string): string {
  return `SimulatedKeyValue0${Buffer.from(keyId).toString('hex')}`;
}

function webAclArn(physicalId: string): string {
  const [name, id] = physicalId.split('|');
  return `arn:aws:wafv2:${REGION}:${ACCOUNT}:regional/webacl/${name}/${id}`;
}

/** An internal ALB's DNS name: `internal-<name>-<id>.<region>.elb.amazonaws.com`. */
function loadBalancerDnsName(arn: string): string {
  const [, name, id] = arn.split('/').slice(-3);
  return `internal-${name}-${parseInt(id.slice(0, 8), 16)}.${REGION}.elb.amazonaws.com`;
}

function pick(p: Json, ...keys: string[]): Json {
  return Object.fromEntries(keys.filter((k) => p[k] !== undefined).map((k) => [k, p[k]]));
}

/** CloudFormation's PascalCase to API Gateway's camelCase; the keys of `opaque` maps are kept. */
function camel(value: Json, opaque: string[] = []): Json {
  const convert = (v: unknown, keepKeys: boolean): unknown => {
    if (Array.isArray(v)) return v.map((x) => convert(x, false));
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(
      Object.entries(v as Json).map(([k, x]) => [keepKeys ? k : k[0].toLowerCase() + k.slice(1), convert(x, !keepKeys && opaque.includes(k))]),
    );
  };
  return convert(value, false) as Json;
}

/**
 * A method's integration as GetMethod (and GetResources with embed=methods) reports it: the verb under
 * `httpMethod`, responses keyed by status code, and API Gateway's values for what the template left out.
 */
function asGetMethodReturnsIt(integration: Json, resourceId: string): Json {
  const { IntegrationHttpMethod, IntegrationResponses, ...rest } = integration;
  const responses = (IntegrationResponses as Json[] | undefined) ?? [];
  return {
    ...camel(
      {
        ConnectionType: 'INTERNET',
        TimeoutInMillis: 29000,
        PassthroughBehavior: 'WHEN_NO_MATCH',
        CacheNamespace: resourceId,
        CacheKeyParameters: [],
        ...rest,
        ...(IntegrationHttpMethod ? { HttpMethod: IntegrationHttpMethod } : {}),
      },
      ['RequestParameters', 'RequestTemplates'],
    ),
    ...(responses.length
      ? { integrationResponses: Object.fromEntries(responses.map((r) => [r.StatusCode, camel(r, ['ResponseParameters', 'ResponseTemplates'])])) }
      : {}),
  };
}

/** CloudFormation takes a byte match's SearchString as text; the WAF API returns it base64 (a blob). */
function asWafApiReturnsThem(rules: unknown): unknown {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [k, k === 'SearchString' && typeof x === 'string' ? Buffer.from(x).toString('base64') : walk(x)]),
    );
  };
  return walk(rules);
}
