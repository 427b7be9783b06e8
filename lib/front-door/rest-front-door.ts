import { createHash } from 'node:crypto';
import { Aws, CfnResource, Lazy, Stack, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct, IDependable } from 'constructs';
import type { ServicePlacement } from '../plan/placement';
import type { ResolvedService, ResolvedServiceMap } from '../service-map/schema';
import { restMethodSettingPath, usagePlanName } from '../service-map/conventions';
import { planAuthorizer } from '../plan/authorizer';
import { routeAuthorization, routeThrottle, serviceRoutes } from '../plan/routes';
import type { ApiMetricScope } from '../monitoring/metrics';
import { accessLogFormat } from './access-log-format';
import { restPathRewrite } from '../plan/path-rewrite';
import { allowAuthorizerInvoke, domainAliasRecords, FrontDoorBase, FrontDoorProps, gatewayVpcLink, GatewayFrontDoor, lambdaAuthorizerUri, type PathRewrite, type WebAclPlacement } from './front-door-common';
import { restApiKey } from '../plan/rest-api-keys';
import { restCacheCluster, restMethodCache, STAGE_DEFAULT_CACHE } from '../plan/rest-cache';
import { corsGatewayResponses, corsOptionsMethod } from './rest-cors';
import { restCacheKeyParameters } from '../plan/rest-integration';
import { restIntegration } from './rest-method-integration';

export type RestFrontDoorProps = FrontDoorProps;

/** The resource types an API Gateway deployment snapshots (a change to any of them needs a new deployment). */
const DEPLOYED_TYPES: ReadonlySet<string> = new Set([
  'AWS::ApiGateway::RestApi',
  'AWS::ApiGateway::Resource',
  'AWS::ApiGateway::Method',
  'AWS::ApiGateway::Authorizer',
  'AWS::ApiGateway::GatewayResponse',
  'AWS::ApiGateway::RequestValidator',
  'AWS::ApiGateway::Model',
  'AWS::ApiGateway::DocumentationPart',
]);

/** A service's resources as the REST API sees them: the exact path and everything below it. */
interface ServiceResources {
  readonly exact: string;
  readonly proxy: string;
}

/**
 * The REST API front door, for what only REST APIs have: usage plans, API keys, per-client throttling
 * and response caching. It reaches the same internal ALBs through VPC link V2 (private integrations
 * that target an ALB directly, no NLB), sets the same gateway headers, and keeps the stage name out
 * of the paths backends see. Resources and methods of each service live in that service's nested
 * stack; shared path prefixes live here.
 */
export class RestFrontDoor extends FrontDoorBase implements GatewayFrontDoor {
  readonly restApi: apigw.CfnRestApi;
  /** The API as an L2 reference, for constructs that take `IRestApi`. */
  readonly api: apigw.IRestApi;
  readonly vpcLink: apigwv2.VpcLink;
  readonly accessLogs: logs.LogGroup;
  readonly authorizer?: apigw.CfnAuthorizer;
  // No prototype: a lookup of "toString" or "constructor" finds only a plan or key of that name.
  readonly usagePlans: Readonly<Record<string, apigw.CfnUsagePlan>> = Object.create(null);
  readonly apiKeys: Readonly<Record<string, apigw.CfnApiKey>> = Object.create(null);
  readonly domainName?: apigw.CfnDomainName;
  /** With `cors`: CORS headers on API Gateway's own 4xx and 5xx answers. */
  readonly corsGatewayResponses: readonly apigw.CfnGatewayResponse[];
  readonly requestValidator: apigw.CfnRequestValidator;
  /** The account-wide setting REST access logs need (`rest.accountCloudWatchRole`). */
  readonly account?: apigw.CfnAccount;
  /** Created by `finish()`, once every method exists. */
  deployment!: apigw.CfnDeployment;
  stage!: apigw.CfnStage;

  protected metricScope(route?: string): ApiMetricScope {
    return { kind: 'rest', apiName: this.props.map.name, stage: this.stageName, ...restRoute(route) };
  }

  /**
   * The ALB rewrite that removes what API Gateway adds: private integrations get the stage in front of the
   * path, and a REST proxy cannot drop the service prefix itself (`stripPrefix`).
   */
  backendPathRewrite(service: ResolvedService): PathRewrite {
    return restPathRewrite(this.stageName, service.path, service.stripPrefix);
  }

  /** The stage, once it exists. */
  webAclTarget(pathPrefix: string | undefined): WebAclPlacement {
    return { target: { kind: 'restStage', stageArn: this.stageArn, pathPrefix }, dependsOn: this.stage };
  }
  private readonly props: RestFrontDoorProps;
  private readonly prefixes = new Map<string, apigw.CfnResource>();
  private readonly methodSettings: apigw.CfnStage.MethodSettingProperty[] = [];

  constructor(scope: Construct, id: string, props: RestFrontDoorProps) {
    super(scope, id);
    this.props = props;
    const { map } = props;
    this.restApi = new apigw.CfnRestApi(this, 'Api', {
      name: map.name,
      description: `${map.name} gateway (cdk-service-gateway)`,
      endpointConfiguration: { types: ['REGIONAL'] },
      apiKeySourceType: 'HEADER',
      // With a custom domain, clients use it only; the execute-api URL would bypass its mapping.
      disableExecuteApiEndpoint: map.domain !== undefined,
    });
    this.api = apigw.RestApi.fromRestApiAttributes(this, 'ApiRef', { restApiId: this.restApi.ref, rootResourceId: this.restApi.attrRootResourceId });
    this.vpcLink = gatewayVpcLink(this, props);
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetention });
    // Rejects requests that lack a parameter a method declares required, before any integration runs.
    this.requestValidator = new apigw.CfnRequestValidator(this, 'RequestValidator', {
      restApiId: this.restApi.ref,
      name: `${map.name}-parameters`,
      validateRequestParameters: true,
      validateRequestBody: false,
    });
    Validations.of(this.restApi).acknowledge(
      { id: 'AwsSolutions-APIG2', reason: 'Proxy API: request parameters are validated; bodies belong to the backends, which know their own schemas.' },
    );
    if (map.rest.accountCloudWatchRole) {
      const role = new iam.Role(this, 'CloudWatchRole', {
        assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
        description: 'API Gateway (account setting): writes REST API access logs to CloudWatch Logs',
        managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonAPIGatewayPushToCloudWatchLogs')],
      });
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason: "AWS's own policy for API Gateway's account-wide logging role, scoped to CloudWatch Logs.",
      });
      this.account = new apigw.CfnAccount(this, 'Account', { cloudWatchRoleArn: role.roleArn });
    }
    this.corsGatewayResponses = map.cors ? corsGatewayResponses(this, this.restApi.ref, map.cors) : [];
    this.authorizer = this.createAuthorizer();
    if (map.domain) this.domainName = this.createDomain(map.domain);
  }

  /** The `AWS::ApiGateway::RestApi` resource. */
  get apiResource(): apigw.CfnRestApi {
    return this.restApi;
  }

  get stageName(): string {
    return this.props.map.rest.stageName;
  }

  /** The URL clients call. */
  get url(): string {
    const { map } = this.props;
    return map.domain ? `https://${map.domain.name}/` : `https://${this.restApi.ref}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}/${this.stageName}/`;
  }

  /** ARN of the stage, for the web ACL association. */
  get stageArn(): string {
    return `arn:${Aws.PARTITION}:apigateway:${Aws.REGION}::/restapis/${this.restApi.ref}/stages/${this.stageName}`;
  }

  /** Creates a service's resources and methods in `scope` (its nested stack). */
  addServiceRoutes(scope: Construct, placement: ServicePlacement): void {
    const svc = placement.service;
    const segments = svc.path.split('/').filter(Boolean);
    const parentId = this.prefixResource(segments.slice(0, -1));
    const exact = segments.length
      ? new apigw.CfnResource(scope, 'Resource', { restApiId: this.restApi.ref, parentId, pathPart: segments[segments.length - 1] })
      : undefined;
    const exactId = exact ? exact.ref : this.restApi.attrRootResourceId;
    const proxy = new apigw.CfnResource(scope, 'ProxyResource', { restApiId: this.restApi.ref, parentId: exactId, pathPart: '{proxy+}' });
    const paths: ServiceResources = { exact: svc.path, proxy: svc.path === '/' ? '/{proxy+}' : `${svc.path}/{proxy+}` };

    // ANY serves every verb uncached; a cached service also gets GET methods (serviceRoutes says why).
    const { authorizationType, apiKeyRequired } = routeAuthorization(this.props.map, svc);
    for (const { method: httpMethod, exactRoute } of serviceRoutes(this.props.map, svc)) {
      const id = `${exactRoute ? '' : 'Proxy'}${httpMethod === 'GET' ? 'Get' : ''}Method`;
      const resourceId = exactRoute ? exactId : proxy.ref;
      const cacheKeys = httpMethod === 'GET' ? restCacheKeyParameters(placement, exactRoute) : [];
      const method = new apigw.CfnMethod(scope, id, {
        restApiId: this.restApi.ref,
        resourceId,
        requestValidatorId: this.requestValidator.ref,
        httpMethod,
        authorizationType,
        authorizerId: placement.auth === 'jwt' ? this.authorizer!.ref : undefined,
        apiKeyRequired,
        requestParameters: {
          ...(exactRoute ? {} : { 'method.request.path.proxy': true }),
          // Declared (optional) so that the cache key can include them.
          ...Object.fromEntries(cacheKeys.filter((k) => !k.startsWith('method.request.path.')).map((k) => [k, false])),
        },
        integration: restIntegration({
          placement,
          exactRoute,
          httpMethod,
          routeKey: placement.routeKeys[exactRoute ? 0 : 1],
          loadBalancer: placement.loadBalancer !== undefined ? this.props.loadBalancers[placement.loadBalancer] : undefined,
          vpcLinkId: this.vpcLink.vpcLinkId,
        }),
      });
      acknowledgeAuthFindings(method, placement.auth);
    }
    if (this.props.map.cors) {
      for (const [id, resourceId] of [['Options', exactId], ['ProxyOptions', proxy.ref]] as const) {
        acknowledgeAuthFindings(corsOptionsMethod(scope, id, this.restApi.ref, resourceId, this.props.map.cors), 'preflight');
      }
    }
    this.addMethodSettings(placement, paths);
  }

  /**
   * Creates the deployment and the stage after every method: a deployment snapshots the methods that
   * exist when it is created, so it must wait for the nested stacks, and it is replaced whenever what it
   * snapshots changes (its logical id carries a hash of {@link deployedApiFingerprint}).
   */
  finish(methodsReady: readonly IDependable[]): apigw.CfnStage {
    const { map } = this.props;
    this.deployment = new apigw.CfnDeployment(this, 'Deployment', { restApiId: this.restApi.ref, description: `${map.name} gateway` });
    const baseId = Stack.of(this).getLogicalId(this.deployment).replace(/[^A-Za-z0-9]/g, '');
    const hash = () => createHash('sha256').update(JSON.stringify(this.deployedApiFingerprint())).digest('hex').slice(0, 8);
    // Worked out when the template is written, after every escape-hatch override, as aws-cdk-lib's RestApi does.
    // Synthesis reads the id several times; it is worked out once per synthesis (validation runs after every
    // override and before any template is written), and kept only until synthesis returns.
    let duringSynth: string | undefined;
    this.node.addValidation({
      validate: () => {
        duringSynth = hash();
        queueMicrotask(() => (duringSynth = undefined));
        return [];
      },
    });
    this.deployment.overrideLogicalId(Lazy.uncachedString({ produce: () => `${baseId}${duringSynth ?? hash()}` }));
    for (const dep of methodsReady) this.deployment.node.addDependency(dep);
    this.stage = new apigw.CfnStage(this, 'Stage', {
      restApiId: this.restApi.ref,
      deploymentId: this.deployment.ref,
      stageName: map.rest.stageName,
      tracingEnabled: map.rest.xrayTracing,
      ...restCacheCluster(map),
      accessLogSetting: { destinationArn: this.accessLogs.logGroupArn, format: accessLogFormat('rest') },
      methodSettings: [
        {
          resourcePath: '/*',
          httpMethod: '*',
          throttlingRateLimit: map.throttle.rateLimit,
          throttlingBurstLimit: map.throttle.burstLimit,
          metricsEnabled: true,
          // Execution logs can contain request data; access logs are the record.
          loggingLevel: 'OFF',
          dataTraceEnabled: false,
          ...STAGE_DEFAULT_CACHE,
        },
        ...this.methodSettings,
      ],
    });
    Validations.of(this.stage).acknowledge({
      id: 'AwsSolutions-APIG6',
      reason: 'Execution logging is off on purpose (it can record request data); JSON access logs are on for every method.',
    });
    if (this.account) this.stage.node.addDependency(this.account);
    this.createUsagePlans();
    if (this.domainName) {
      const mapping = new apigw.CfnBasePathMapping(this, 'BasePathMapping', { domainName: this.domainName.ref, restApiId: this.restApi.ref, stage: this.stage.ref });
      mapping.node.addDependency(this.stage);
    }
    return this.stage;
  }

  /**
   * What a deployment snapshots, as rendered: the API and every resource, method (with its integration),
   * authorizer, gateway response, request validator and model in this gateway, after overrides. Each is
   * keyed by its construct path, since a resource replaced under a new logical id needs a new deployment too.
   * Stage settings, usage plans, keys and everything outside the API take effect without one: not included.
   */
  deployedApiFingerprint(): Array<[string, unknown]> {
    const scope = this.node.scope ?? this;
    return scope.node
      .findAll()
      .filter((c): c is CfnResource => CfnResource.isCfnResource(c) && DEPLOYED_TYPES.has(c.cfnResourceType))
      .map((c): [string, unknown] => {
        // _toCloudFormation() is the rendered resource with overrides applied (what aws-cdk-lib's Deployment hashes for the API).
        const rendered = Stack.of(c).resolve((c as unknown as { _toCloudFormation(): { Resources: Record<string, { Type: string; Properties?: unknown }> } })._toCloudFormation());
        const [{ Type, Properties }] = Object.values(rendered.Resources) as Array<{ Type: string; Properties?: unknown }>;
        return [c.node.path, { Type, Properties }];
      })
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  private addMethodSettings(placement: ServicePlacement, paths: ServiceResources): void {
    const svc = placement.service;
    // A method setting of its own (own throttle, or a cache) repeats the throttle it applies.
    const planned = routeThrottle(this.props.map, svc);
    if (!planned) return;
    const throttle = { throttlingRateLimit: planned.rateLimit, throttlingBurstLimit: planned.burstLimit, metricsEnabled: true, loggingLevel: 'OFF' };
    const routes = serviceRoutes(this.props.map, svc);
    for (const path of [paths.exact, paths.proxy]) {
      // Method settings address resources as a JSON Pointer ("~" as "~0", "/" as "~1").
      const resourcePath = restMethodSettingPath(path);
      for (const { method } of routes.filter((r) => r.path === path)) {
        this.methodSettings.push({ resourcePath, httpMethod: method, ...throttle, ...restMethodCache(svc, method) });
      }
    }
  }

  /** Resources for shared path prefixes (`/v1` of `/v1/orders` and `/v1/users`), created once here. */
  private prefixResource(segments: readonly string[]): string {
    let parentId = this.restApi.attrRootResourceId;
    for (let i = 0; i < segments.length; i++) {
      const path = `/${segments.slice(0, i + 1).join('/')}`;
      let resource = this.prefixes.get(path);
      if (!resource) {
        // "/" cannot be in a construct id. Paths of letters and digits keep their first ids ("/v1" -> "Prefix_v1");
        // any other path writes "/" as ":", which no path holds, so "/a-b", "/a_b" and "/a/b" never meet.
        const id = /^[A-Za-z0-9/]+$/.test(path) ? `Prefix${path.replace(/\//g, '_')}` : `Prefix${path.replace(/\//g, ':')}`;
        resource = new apigw.CfnResource(this, id, { restApiId: this.restApi.ref, parentId, pathPart: segments[i] });
        this.prefixes.set(path, resource);
      }
      parentId = resource.ref;
    }
    return parentId;
  }

  private createAuthorizer(): apigw.CfnAuthorizer | undefined {
    const planned = planAuthorizer(this.props.map);
    const fn = this.props.authorizerFunction;
    if (!planned || !fn) return undefined;
    const authorizer = new apigw.CfnAuthorizer(this, 'Authorizer', {
      restApiId: this.restApi.ref,
      name: planned.name,
      type: planned.type,
      // Scopes differ per resource: the cache key includes it, so a cached allow never opens another.
      identitySource: planned.identitySource.join(','),
      authorizerResultTtlInSeconds: planned.resultTtlSeconds,
      authorizerUri: lambdaAuthorizerUri(fn),
    });
    allowAuthorizerInvoke(this, fn, 'InvokeFromRestApi', this.restApi.ref, authorizer.ref);
    return authorizer;
  }

  private createUsagePlans(): void {
    const { map } = this.props;
    const plans = this.usagePlans as Record<string, apigw.CfnUsagePlan>;
    for (const name of Object.keys(map.usagePlans).sort()) {
      const plan = map.usagePlans[name];
      const cfn = new apigw.CfnUsagePlan(this, `UsagePlan-${name}`, {
        usagePlanName: usagePlanName(map, name),
        description: `${map.name} gateway: usage plan "${name}"`,
        throttle: { rateLimit: plan.rateLimit, burstLimit: plan.burstLimit },
        quota: plan.quota && { limit: plan.quota.limit, period: plan.quota.period },
        apiStages: [{ apiId: this.restApi.ref, stage: this.stage.ref }],
      });
      plans[name] = cfn;
    }
    const keys = this.apiKeys as Record<string, apigw.CfnApiKey>;
    for (const name of Object.keys(map.apiKeys).sort()) {
      // No value: API Gateway generates it, so it is never in the map or the template.
      const apiKey = restApiKey(map, name);
      const key = new apigw.CfnApiKey(this, `ApiKey-${name}`, { name: apiKey.name, enabled: apiKey.enabled, description: apiKey.description });
      keys[name] = key;
      new apigw.CfnUsagePlanKey(this, `ApiKey-${name}-Plan`, { keyId: key.ref, keyType: 'API_KEY', usagePlanId: plans[apiKey.plan].ref });
    }
  }

  private createDomain(domain: NonNullable<ResolvedServiceMap['domain']>): apigw.CfnDomainName {
    const cfn = new apigw.CfnDomainName(this, 'Domain', {
      domainName: domain.name,
      regionalCertificateArn: this.props.certificate?.certificateArn ?? domain.certificateArn,
      endpointConfiguration: { types: ['REGIONAL'] },
      securityPolicy: 'TLS_1_2',
    });
    domainAliasRecords(this, domain, route53.RecordTarget.fromAlias({ bind: () => ({ dnsName: cfn.attrRegionalDomainName, hostedZoneId: cfn.attrRegionalHostedZoneId }) }), this.props.hostedZone);
    return cfn;
  }
}

/** Why a method's authorization differs from what cdk-nag expects (a Cognito authorizer on every method). */
function acknowledgeAuthFindings(method: apigw.CfnMethod, auth: 'jwt' | 'none' | 'apiKey' | 'preflight'): void {
  const reasons = {
    jwt: 'Callers present a JWT that the bundled Lambda authorizer verifies against the map\'s issuer (any OIDC provider, not only Cognito).',
    apiKey: 'The map makes this service API-key protected (auth: "apiKey"), with usage plans.',
    none: 'The map declares this service public (auth: "none"); WAF rules and throttles still apply.',
    preflight: 'CORS preflight (OPTIONS) answered by API Gateway itself: browsers send it without credentials.',
  };
  const acks = [{ id: 'AwsSolutions-COG4', reason: reasons[auth] }];
  if (auth !== 'jwt') acks.push({ id: 'AwsSolutions-APIG4', reason: reasons[auth] });
  Validations.of(method).acknowledge(...acks);
}

/** A route key (`ANY /orders/{proxy+}`, `GET /orders`) as the Resource and Method dimensions of REST metrics. */
function restRoute(route: string | undefined): { resource?: string; method?: string } {
  if (!route) return {};
  const [method, resource] = route.split(' ');
  return { resource, method };
}
