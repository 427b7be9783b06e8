import { createHash } from 'node:crypto';
import { Aws, CfnResource, Lazy, Stack, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import type { ResolvedService } from '../service-map/schema';
import { restMethodSettingPath, restStageArn } from '../service-map/conventions';
import { restIntegrationUri, type RestPlan, type RoutePlan, type ServicePlan } from '../plan/gateway-plan';
import { validationError } from '../construct-errors';
import type { AuthMode } from '../plan/routes';
import type { ApiMetricScope } from '../monitoring/metrics';
import { accessLogFormat } from './access-log-format';
import { restPathRewrite } from '../plan/path-rewrite';
import { allowAuthorizerInvoke, FrontDoorBase, FrontDoorProps, gatewayVpcLink, GatewayFrontDoor, lambdaAuthorizerUri, type PathRewrite, type WebAclPlacement } from './front-door-common';
import { corsGatewayResponses, corsOptionsMethod } from './rest-cors';

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

/**
 * The REST API front door, for what only REST APIs have: usage plans, API keys, per-client throttling
 * and response caching. It reaches the same internal ALBs through VPC link V2 (private integrations
 * that target an ALB directly, no NLB), sets the same gateway headers, and keeps the stage name out
 * of the paths backends see. Resources and methods of each service live in that service's nested
 * stack; shared path prefixes live here. It renders the gateway plan: every method, integration, method
 * setting and the authorizer are as the plan says.
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
  /**
   * The deployment: it waits for every service's methods (their nested stacks), and its logical id carries a
   * hash of {@link deployedApiFingerprint}, so it is replaced whenever what it snapshots changes.
   */
  readonly deployment: apigw.CfnDeployment;
  /** The stage; its method settings are those of the methods added (`addServiceRoutes`). */
  readonly stage: apigw.CfnStage;

  protected metricScope(route?: string): ApiMetricScope {
    return { kind: 'rest', apiName: this.plan.name, stage: this.stageName, ...restRoute(route) };
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
  /** The plan's REST part: the stage's cache, usage plans and API keys. */
  private readonly rest: RestPlan;

  constructor(scope: Construct, id: string, props: RestFrontDoorProps) {
    super(scope, id, props);
    if (!props.plan.rest) throw validationError(this, `RestFrontDoor: the plan of "${props.plan.name}" is for the ${props.plan.frontDoor} front door; plan a map with frontDoor "rest"`);
    this.rest = props.plan.rest;
    this.props = props;
    const { map } = props.plan;
    this.restApi = new apigw.CfnRestApi(this, 'Api', {
      name: map.name,
      description: `${map.name} gateway (cdk-service-gateway)`,
      endpointConfiguration: { types: ['REGIONAL'] },
      apiKeySourceType: 'HEADER',
      disableExecuteApiEndpoint: this.disableExecuteApiEndpoint,
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
    this.corsGatewayResponses = this.plan.cors?.restGatewayResponses ? corsGatewayResponses(this, this.restApi.ref, this.plan.cors.restGatewayResponses) : [];
    this.authorizer = this.createAuthorizer();
    this.domainName = this.customDomain((domainName, certificate) => {
      const cfn = new apigw.CfnDomainName(this, 'Domain', {
        domainName,
        regionalCertificateArn: certificate.certificateArn,
        endpointConfiguration: { types: ['REGIONAL'] },
        securityPolicy: 'TLS_1_2',
      });
      return { domainName: cfn, aliasTarget: route53.RecordTarget.fromAlias({ bind: () => ({ dnsName: cfn.attrRegionalDomainName, hostedZoneId: cfn.attrRegionalHostedZoneId }) }) };
    });
    // The resources of path prefixes the plan's services share (`/v1` of `/v1/orders` and `/v1/users`), each once.
    for (const service of this.plan.services) this.prefixResource(service.path.split('/').filter(Boolean).slice(0, -1));
    this.deployment = this.createDeployment();
    this.stage = this.createStage();
    this.createUsagePlans();
    if (this.domainName) {
      const mapping = new apigw.CfnBasePathMapping(this, 'BasePathMapping', { domainName: this.domainName.ref, restApiId: this.restApi.ref, stage: this.stage.ref });
      mapping.node.addDependency(this.stage);
    }
  }

  /** The `AWS::ApiGateway::RestApi` resource. */
  get apiResource(): apigw.CfnRestApi {
    return this.restApi;
  }

  get stageName(): string {
    return this.plan.stageName;
  }

  protected get apiId(): string {
    return this.restApi.ref;
  }

  protected get stagePathInUrl(): string {
    return `${this.stageName}/`;
  }

  /** ARN of the stage, for the web ACL association. */
  get stageArn(): string {
    return restStageArn(Aws.PARTITION, Aws.REGION, this.restApi.ref, this.stageName);
  }

  /** Creates a service's planned resources and methods in `scope` (its nested stack). */
  addServiceRoutes(scope: Construct, service: ServicePlan): void {
    this.claimRouteScope(scope, service);
    const segments = service.path.split('/').filter(Boolean);
    const parentId = this.prefixResource(segments.slice(0, -1));
    const exact = segments.length
      ? new apigw.CfnResource(scope, 'Resource', { restApiId: this.restApi.ref, parentId, pathPart: segments[segments.length - 1] })
      : undefined;
    const exactId = exact ? exact.ref : this.restApi.attrRootResourceId;
    const proxy = new apigw.CfnResource(scope, 'ProxyResource', { restApiId: this.restApi.ref, parentId: exactId, pathPart: '{proxy+}' });

    // ANY serves every verb uncached; a cached service also gets GET methods (the plan says which).
    for (const route of service.routes) {
      const id = `${route.exactRoute ? '' : 'Proxy'}${route.method === 'GET' ? 'Get' : ''}Method`;
      const method = new apigw.CfnMethod(scope, id, {
        restApiId: this.restApi.ref,
        resourceId: route.exactRoute ? exactId : proxy.ref,
        requestValidatorId: this.requestValidator.ref,
        httpMethod: route.method,
        authorizationType: route.authorizationType,
        authorizerId: route.authorizationType !== 'NONE' ? this.authorizer!.ref : undefined,
        apiKeyRequired: route.apiKeyRequired,
        requestParameters: { ...route.methodRequestParameters },
        integration: this.integration(route),
      });
      acknowledgeAuthFindings(method, service.auth);
    }
    // CORS preflight: the plan's OPTIONS methods, answered by API Gateway itself.
    for (const route of service.preflightRoutes) {
      const method = corsOptionsMethod(scope, route.exactRoute ? 'Options' : 'ProxyOptions', this.restApi.ref, route.exactRoute ? exactId : proxy.ref, this.plan.cors!.restPreflight!);
      acknowledgeAuthFindings(method, 'preflight');
    }
    // Method settings address resources as a JSON Pointer ("~" as "~0", "/" as "~1"); a method with a stage
    // setting of its own (own throttle, or a cache) repeats the throttle it applies. The service's path first.
    for (const route of [...service.routes.filter((r) => r.exactRoute), ...service.routes.filter((r) => !r.exactRoute)]) {
      if (!route.throttle) continue;
      this.methodSettings.push({
        resourcePath: restMethodSettingPath(route.path),
        httpMethod: route.method,
        throttlingRateLimit: route.throttle.rateLimit,
        throttlingBurstLimit: route.throttle.burstLimit,
        metricsEnabled: true,
        loggingLevel: 'OFF',
        ...route.cache,
      });
    }
    this.deployment.node.addDependency(this.routesReady(scope));
  }

  /** A planned method's integration: to the service's URL, or over the VPC link to its internal ALB. */
  private integration(route: RoutePlan): apigw.CfnMethod.IntegrationProperty {
    const planned = route.integration;
    const alb = planned.loadBalancer !== undefined ? this.props.loadBalancers[planned.loadBalancer].loadBalancer : undefined;
    return {
      type: planned.type,
      connectionType: planned.connectionType,
      integrationHttpMethod: planned.httpMethod,
      uri: restIntegrationUri(planned, alb?.loadBalancerDnsName),
      timeoutInMillis: planned.timeoutMs,
      requestParameters: { ...planned.requestParameters },
      cacheKeyParameters: planned.cacheKeyParameters && [...planned.cacheKeyParameters],
      passthroughBehavior: 'WHEN_NO_MATCH',
      // VPC link V2 private integration: the ALB itself, no NLB in between.
      ...(alb ? { connectionId: this.vpcLink.vpcLinkId, integrationTarget: alb.loadBalancerArn } : {}),
    };
  }

  /**
   * The deployment. A deployment snapshots the methods that exist when it is created, so it waits for the
   * services' stacks (added with their methods), and it is replaced whenever what it snapshots changes (its
   * logical id carries a hash of {@link deployedApiFingerprint}, worked out when the template is written).
   */
  private createDeployment(): apigw.CfnDeployment {
    const deployment = new apigw.CfnDeployment(this, 'Deployment', { restApiId: this.restApi.ref, description: `${this.plan.name} gateway` });
    const baseId = Stack.of(this).getLogicalId(deployment).replace(/[^A-Za-z0-9]/g, '');
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
    deployment.overrideLogicalId(Lazy.uncachedString({ produce: () => `${baseId}${duringSynth ?? hash()}` }));
    return deployment;
  }

  /** The stage: the gateway throttle by default, and the method settings of the methods added, read when the template is written. */
  private createStage(): apigw.CfnStage {
    const { map } = this.plan;
    const stageDefault: apigw.CfnStage.MethodSettingProperty = {
      resourcePath: '/*',
      httpMethod: '*',
      throttlingRateLimit: this.plan.stageThrottle.rateLimit,
      throttlingBurstLimit: this.plan.stageThrottle.burstLimit,
      metricsEnabled: true,
      // Execution logs can contain request data; access logs are the record.
      loggingLevel: 'OFF',
      dataTraceEnabled: false,
      ...this.rest.defaultCache,
    };
    const stage = new apigw.CfnStage(this, 'Stage', {
      restApiId: this.restApi.ref,
      deploymentId: this.deployment.ref,
      stageName: this.plan.stageName,
      tracingEnabled: map.rest.xrayTracing,
      ...this.rest.cacheCluster,
      accessLogSetting: { destinationArn: this.accessLogs.logGroupArn, format: accessLogFormat('rest') },
      // Read when the template is written: the settings of every method added by then.
      methodSettings: Lazy.any({ produce: () => [stageDefault, ...this.methodSettings] }),
    });
    Validations.of(stage).acknowledge({
      id: 'AwsSolutions-APIG6',
      reason: 'Execution logging is off on purpose (it can record request data); JSON access logs are on for every method.',
    });
    if (this.account) stage.node.addDependency(this.account);
    return stage;
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
    const planned = this.plan.authorizer;
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
    const plans = this.usagePlans as Record<string, apigw.CfnUsagePlan>;
    for (const planned of this.rest.usagePlans) {
      plans[planned.name] = new apigw.CfnUsagePlan(this, `UsagePlan-${planned.name}`, {
        usagePlanName: planned.usagePlanName,
        description: planned.description,
        throttle: { rateLimit: planned.throttle.rateLimit, burstLimit: planned.throttle.burstLimit },
        quota: planned.quota && { limit: planned.quota.limit, period: planned.quota.period },
        apiStages: [{ apiId: this.restApi.ref, stage: this.stage.ref }],
      });
    }
    const keys = this.apiKeys as Record<string, apigw.CfnApiKey>;
    // No value: API Gateway generates it, so it is never in the map or the template.
    for (const planned of this.rest.apiKeys) {
      const key = new apigw.CfnApiKey(this, `ApiKey-${planned.key}`, { name: planned.name, enabled: planned.enabled, description: planned.description });
      keys[planned.key] = key;
      new apigw.CfnUsagePlanKey(this, `ApiKey-${planned.key}-Plan`, { keyId: key.ref, keyType: 'API_KEY', usagePlanId: plans[planned.plan].ref });
    }
  }
}

/** Why a method's authorization differs from what cdk-nag expects (a Cognito authorizer on every method). */
function acknowledgeAuthFindings(method: apigw.CfnMethod, auth: AuthMode | 'preflight'): void {
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
