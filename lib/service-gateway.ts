import { Annotations, Aws, CfnCondition, CfnMapping, CfnOutput, CfnResource, ContextProvider, Duration, Fn, NestedStack, Stack, Stage, Token, Validations } from 'aws-cdk-lib';
import * as cxschema from 'aws-cdk-lib/cloud-assembly-schema';
import * as cxapi from 'aws-cdk-lib/cx-api';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { JwtAuthorizerFunction } from './authorizer/jwt-authorizer';
import { GatewayFirewall } from './firewall/gateway-firewall';
import { GatewayMonitoring } from './monitoring/gateway-monitoring';
import { FargateBackend, imageDirectoryProblem } from './backends/fargate-backend';
import { InternalLoadBalancer } from './backends/internal-load-balancer';
import { HttpFrontDoor } from './front-door/http-front-door';
import { RestFrontDoor } from './front-door/rest-front-door';
import { GATEWAY_HEADERS, hasPreflightRoutes, PREFLIGHT_HEADER_VALUE, PREFLIGHT_RULE_PRIORITY } from './service-map/conventions';
import { gatewayOutputNames } from './service-map/outputs';
import { GatewayPlacement, targetGroupName } from './plan/placement';
import { targetGroupReplacementValues } from './plan/target-group';
import { rulesFor } from './service-map/resource-rules';
import { quote, type ResolvedServiceMap, type ServiceMap } from './service-map/schema';
import { warningId } from './service-map/warnings';
import { validationError } from './construct-errors';
import { nameInZone, ServiceMapError } from './service-map/validate';
import { type GatewayPlan, type LoadBalancerPlan, nestedStackId, planGateway, type ServicePlan } from './plan';
import { encodeRecordedMap, GatewayRecord, RECORD_KEY, RECORD_SCHEMA_VERSION } from './recorded-map';
import { checkStackQuotas } from './stack-quotas';
import { TemplateSizeCheck } from './template-size-check';

export interface ServiceGatewayProps {
  /**
   * The service map: a typed object, or parsed JSON / YAML. Validated before anything is created.
   *
   * @default - required unless `plan` is given
   */
  readonly serviceMap?: ServiceMap;
  /**
   * The gateway plan of the map (`planGateway(map).plan`), when the caller has planned it already (to
   * name the stack after the map, or to print it): the map is then not validated a second time.
   *
   * @default - planned from `serviceMap`
   */
  readonly plan?: GatewayPlan;
  /**
   * Use this VPC instead of creating one or looking up `network.vpcId`.
   *
   * @default - the VPC of `cluster` when one is given; otherwise from the map's `network` block
   * @throws ValidationError when its id is known at synth and the map's `network.vpcId` names another VPC
   */
  readonly vpc?: ec2.IVpc;
  /**
   * Run the container services in this ECS cluster instead of a new one. It must be in the gateway's VPC
   * (`vpc`, or the map's `network.vpcId`); without either, the gateway uses the cluster's VPC. The gateway
   * does not change the cluster's settings (e.g. Container Insights).
   *
   * @default - a new cluster in the gateway's VPC, with Container Insights (enhanced)
   * @throws ValidationError when the cluster's VPC is known at synth and is not the gateway's, or when it and
   * the `vpc` prop are two VPCs made in the app
   */
  readonly cluster?: ecs.ICluster;
  /**
   * Send every alarm and its recovery to this SNS topic (the map's `alarms.email` addresses are subscribed
   * to it). The object form of the map's `alarms.topicArn`, e.g. a topic made in the same app.
   *
   * @default - the map's `alarms.topicArn`; without it, a new KMS-encrypted topic
   * @throws ValidationError when the map also sets `alarms.topicArn`
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Route 53 hosted zone for the custom domain's A and AAAA alias records. The object form of the map's
   * `domain.hostedZoneId` and `domain.zoneName`, e.g. a zone made or looked up in the same app.
   *
   * @default - the map's `domain.hostedZoneId` and `domain.zoneName`; without them, no alias records
   * @throws ValidationError when the map has no `domain`, also sets `domain.hostedZoneId`, or the zone's name
   * (when known at synth) does not hold `domain.name`
   */
  readonly hostedZone?: route53.IHostedZone;
  /**
   * ACM certificate for the custom domain (in the stack's Region), e.g. one made in the same app. The
   * object form of the map's `domain.certificateArn`: with it, the map's domain needs no `certificateArn`.
   * When the map sets one too and this certificate's ARN is known at synth, the two must be the same.
   *
   * @default - the certificate of the map's `domain.certificateArn` (then required in the map)
   * @throws ValidationError when the map has no `domain`, or the two ARNs differ; with a prebuilt `plan`,
   * also when neither this nor the map's `domain.certificateArn` gives the certificate
   */
  readonly certificate?: acm.ICertificate;
  /**
   * Folder that relative container image directories (`image: { directory }`) are resolved against.
   *
   * @default process.cwd()
   */
  readonly baseDirectory?: string;
  /**
   * Put in front of the stack output names (`ApiUrl`, `ApiId`, `Alb<n>DnsName`, `ApiKey<Name>Id`), to tell two
   * gateways in one stack apart.
   *
   * @default '' - the names as documented; a second gateway in the same stack must set one
   */
  readonly outputPrefix?: string;
}

/**
 * A production API front door for every service in a service map: API Gateway, one VPC link,
 * internal ALBs, Fargate services and the JWT authorizer, with services spread over nested stacks
 * so that no template passes CloudFormation's quotas.
 *
 * Works in a stack of any `env`: none, a Region only, or a fixed account and Region (then name the AZs in
 * `network.availabilityZones` to synthesize without credentials). Stack outputs: `ApiUrl`, `ApiId`,
 * `Alb<n>DnsName`, `ApiKey<Name>Id` (REST), each after `outputPrefix`.
 *
 * @throws ServiceMapError listing every problem of the map, and in the same list those of the props that
 * disagree with it; ValidationError naming every such prop when the map itself has no problem
 */
export class ServiceGateway extends Construct {
  /** The map with every default filled in. */
  readonly map: ResolvedServiceMap;
  /** Where each service went (nested stack, ALB, listener-rule priority). */
  readonly placement: GatewayPlacement;
  /** Everything the gateway is, as decided from the map before any construct existed. */
  readonly plan: GatewayPlan;
  readonly vpc: ec2.IVpc;
  /** The cluster of the container services: the `cluster` prop, or the one the gateway created. */
  readonly cluster: ecs.ICluster;
  readonly loadBalancers: readonly InternalLoadBalancer[];
  readonly vpcLinkSecurityGroup: ec2.SecurityGroup;
  /** ALB access logs: encrypted, TLS-only, expiring after `logs.retentionDays`. */
  readonly accessLogBucket: s3.Bucket;
  /** The front door: `kind` tells which (HTTP API or REST API). */
  readonly frontDoor: HttpFrontDoor | RestFrontDoor;
  readonly authorizer?: JwtAuthorizerFunction;
  /** Nested stacks holding the services, by group number. */
  readonly serviceStacks: ReadonlyMap<number, NestedStack>;
  /** Container services by name. */
  readonly backends: Readonly<Record<string, FargateBackend>>;
  /** Alarms (SNS topic, gateway and per-service alarms) and dashboards. */
  readonly monitoring: GatewayMonitoring;
  /** The WAF web ACL, in the root stack; absent when `firewall.enabled` is false. */
  readonly firewall?: GatewayFirewall;

  constructor(scope: Construct, id: string, props: ServiceGatewayProps) {
    super(scope, id);
    const plan = gatewayPlan(this, props);
    const { map, placement } = plan;
    this.plan = plan;
    this.map = map;
    this.placement = placement;
    // Acknowledged first, so that warnings of every construct below (e.g. the firewall's) are silenced too.
    for (const [id, reason] of Object.entries(map.acknowledgeWarnings)) Annotations.of(this).acknowledgeWarning(id, reason);
    // The firewall reports its own capacity warning (it renders the web ACL).
    for (const w of plan.warnings.filter((w) => w.id !== warningId('waf-capacity'))) Annotations.of(this).addWarningV2(w.id, w.message);
    const outputNames = claimOutputNames(this, props.outputPrefix ?? '');

    checkProps(this, props, map);
    const ignored = (['maxAzs', 'natGateways', 'availabilityZones'] as const).filter((field) => map.network[field] !== undefined);
    if ((props.vpc ?? props.cluster) && ignored.length > 0) {
      Annotations.of(this).addWarningV2(
        warningId('network-ignored-with-vpc-prop'),
        `${ignored.map((f) => `network.${f}`).join(', ')}: ${ignored.length > 1 ? 'these describe' : 'this describes'} a new VPC, but the ${props.vpc ? 'vpc' : 'cluster'} prop gives the VPC, so the gateway ignores ${ignored.length > 1 ? 'them' : 'it'}; remove ${ignored.length > 1 ? 'them' : 'it'} from the map`,
      );
    }
    const retention = map.logs.retentionDays as logs.RetentionDays;
    this.vpc = props.vpc ?? props.cluster?.vpc ?? this.createVpc(map);
    this.cluster = props.cluster ?? new ecs.Cluster(this, 'Cluster', { vpc: this.vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
    this.vpcLinkSecurityGroup = new ec2.SecurityGroup(this, 'VpcLinkSecurityGroup', {
      vpc: this.vpc,
      description: 'API Gateway VPC link: may reach the internal ALBs only',
      allowAllOutbound: false,
    });
    this.accessLogBucket = this.createAccessLogBucket(map.logs.retentionDays);
    this.loadBalancers = this.createLoadBalancers(placement.loadBalancerCount, hasPreflightRoutes(map));

    const authorizer = plan.authorizer;
    if (authorizer?.kind === 'lambda') {
      this.authorizer = new JwtAuthorizerFunction(this, 'Authorizer', {
        gatewayName: map.name,
        ...authorizer.settings,
        routeScopes: Object.fromEntries(Object.entries(authorizer.routeScopes).map(([k, v]) => [k, [...v]])),
        logRetention: retention,
        frontDoor: map.frontDoor,
      });
    }
    const FrontDoor = map.frontDoor === 'rest' ? RestFrontDoor : HttpFrontDoor;
    this.frontDoor = new FrontDoor(this, map.frontDoor === 'rest' ? 'RestFrontDoor' : 'HttpFrontDoor', {
      plan,
      vpc: this.vpc,
      loadBalancers: this.loadBalancers,
      vpcLinkSecurityGroup: this.vpcLinkSecurityGroup,
      logRetention: retention,
      authorizerFunction: this.authorizer?.function,
      hostedZone: props.hostedZone,
      certificate: props.certificate,
    });

    const stacks = this.createServiceStacks(placement.groups);
    const { backends, serviceScopes } = this.addServices(stacks, retention, props.baseDirectory);
    this.serviceStacks = stacks;
    this.backends = backends;
    this.firewall = map.firewall.enabled ? this.createFirewall(map) : undefined;
    this.monitoring = new GatewayMonitoring(this, 'Monitoring', {
      plan,
      topic: props.alarmTopic,
      frontDoor: this.frontDoor,
      accessLogGroupName: this.frontDoor.accessLogs.logGroupName,
      serviceScopes,
      backends,
      clusterName: this.cluster.clusterName,
      authorizer: this.authorizer?.function,
      waf: this.firewall && { blocked: this.firewall.metricBlockedRequests(), allowed: this.firewall.metricAllowedRequests() },
    });
    checkStackQuotas(Stack.of(this));
    registerTemplateSizeCheck(this);

    this.recordMap();
    this.addOutputs(outputNames);
  }

  /** The CloudFormation resource of the API (HTTP or REST). */
  get apiResource(): CfnResource {
    return this.frontDoor.apiResource;
  }

  /** One nested stack per service group (each checked against CloudFormation's per-template quotas). */
  private createServiceStacks(groups: readonly number[]): Map<number, NestedStack> {
    const stacks = new Map<number, NestedStack>();
    for (const group of groups) {
      const stack = new NestedStack(this, nestedStackId(group), { description: `${this.map.name} gateway: services of group ${group}` });
      stacks.set(group, stack);
      checkStackQuotas(stack);
    }
    return stacks;
  }

  /** The map as synthesized, on the API resource, where `verify` and `diff` read it back. */
  private recordMap(): void {
    const record: GatewayRecord = {
      schemaVersion: RECORD_SCHEMA_VERSION,
      frontDoor: this.plan.frontDoor,
      stageName: this.plan.stageName,
      mapEncoding: 'gzip+base64',
      map: encodeRecordedMap(this.map),
      ...(this.firewall ? { webAclLogicalId: this.firewall.webAclLogicalId } : {}),
    };
    this.apiResource.addMetadata(RECORD_KEY, record);
  }

  /** ALB access logs: encrypted, TLS-only, versioned, expiring after `logs.retentionDays`. */
  private createAccessLogBucket(retentionDays: number): s3.Bucket {
    const bucket = new s3.Bucket(this, 'AlbAccessLogs', {
      // ALB access logs support SSE-S3 only (not KMS).
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Versioned, so a deleted or overwritten log stays recoverable until it expires like the others.
      versioned: true,
      lifecycleRules: [
        {
          id: 'expire-access-logs',
          expiration: Duration.days(retentionDays),
          noncurrentVersionExpiration: Duration.days(retentionDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        // Expiring a versioned object leaves a delete marker; once its versions are gone, so does it.
        { id: 'remove-expired-delete-markers', expiredObjectDeleteMarker: true },
      ],
    });
    Validations.of(bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket holds the ALB access logs; logging access to it into another bucket would only move the question one bucket further.',
    });
    return bucket;
  }

  /** The internal ALBs, each logging to the access log bucket; with preflight routes, each answers them. */
  private createLoadBalancers(count: number, answerPreflights: boolean): InternalLoadBalancer[] {
    return Array.from({ length: count }, (_, i) => {
      const alb = new InternalLoadBalancer(this, `Alb${i}`, { vpc: this.vpc, vpcLinkSecurityGroup: this.vpcLinkSecurityGroup });
      logAccessLogs(alb.loadBalancer, this.accessLogBucket, `alb-${i}`);
      if (answerPreflights) alb.answerPreflights(GATEWAY_HEADERS.service, PREFLIGHT_HEADER_VALUE, PREFLIGHT_RULE_PRIORITY);
      return alb;
    });
  }

  /** Stack outputs under the names the README documents, wherever the gateway sits in the construct tree. */
  private addOutputs(outputNames: ReturnType<typeof claimOutputNames>): void {
    const { map } = this;
    const output = (id: string, name: string, value: string, description: string) => new CfnOutput(this, id, { value, description }).overrideLogicalId(name);
    output('ApiUrl', outputNames.apiUrl, this.frontDoor.url, `${map.name}: the URL clients call`);
    output('ApiId', outputNames.apiId, this.apiResource.ref, `${map.name}: ${map.frontDoor === 'rest' ? 'REST' : 'HTTP'} API id`);
    this.loadBalancers.forEach((alb, i) =>
      output(`Alb${i}DnsName`, outputNames.albDnsName(i), alb.loadBalancer.loadBalancerDnsName, `${map.name}: internal ALB ${i} (reachable from the VPC link only)`),
    );
    for (const [name, key] of Object.entries(this.frontDoor.apiKeys).sort(([a], [b]) => a.localeCompare(b))) {
      output(`ApiKey-${name}-Id`, outputNames.apiKeyId(name), key.ref, `${map.name}: id of API key "${name}"; its value: aws apigateway get-api-key --api-key <id> --include-value --query value --output text`);
    }
  }

  /** On the REST stage for the REST front door; on every internal ALB for the HTTP front door. */
  private createFirewall(map: ResolvedServiceMap): GatewayFirewall {
    // WAF sees the path clients send: the execute-api URL carries the stage; a custom domain does not.
    const planned = this.plan.firewall?.target;
    const { target, dependsOn } = this.frontDoor.webAclTarget(planned?.kind === 'restStage' ? planned.pathPrefix : undefined);
    const firewall = new GatewayFirewall(this, 'Firewall', { map, plan: this.plan.firewall, target });
    if (dependsOn) firewall.associations.forEach((a) => a.node.addDependency(dependsOn));
    return firewall;
  }

  private createVpc(map: ResolvedServiceMap): ec2.IVpc {
    if (map.network.vpcId) {
      return ec2.Vpc.fromLookup(this, 'Vpc', { vpcId: map.network.vpcId });
    }
    const flowLogs = new logs.LogGroup(this, 'VpcFlowLogs', { retention: map.logs.retentionDays as logs.RetentionDays });
    const azs = map.network.availabilityZones;
    const stack = Stack.of(this);
    if (azs && !Token.isUnresolved(stack.region) && !azs.every((az) => az.startsWith(stack.region))) {
      throw new ServiceMapError([`network.availabilityZones: ${azs.join(', ')} are not in the stack's Region ${stack.region}`]);
    }
    return withAvailabilityZones(stack, azs, () => new ec2.Vpc(this, 'Vpc', {
      flowLogs: { rejected: { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs), trafficType: ec2.FlowLogTrafficType.REJECT } },
      ...(azs ? { availabilityZones: azs } : { maxAzs: map.network.maxAzs ?? 2 }),
      natGateways: map.network.natGateways ?? 1,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
      ],
    }));
  }

  /** Renders a container service's plan on its ALB: the tasks share the ALB's tasks security group, open on the port once. */
  /**
   * Each service in its nested stack, in name order: its container service (if any) and its routes. Returns
   * the container services by name and each service's construct scope (its alarms go there).
   */
  private addServices(stacks: ReadonlyMap<number, NestedStack>, retention: logs.RetentionDays, baseDirectory?: string) {
    // No prototype: a url service named "constructor" must not find Object's constructor as its backend.
    const backends: Record<string, FargateBackend> = Object.create(null);
    const serviceScopes = new Map<string, Construct>();
    for (const service of this.plan.services) {
      const scope = new Construct(stacks.get(service.nestedStack.group)!, serviceConstructId(service.name));
      serviceScopes.set(service.name, scope);
      if (service.loadBalancer) backends[service.name] = this.createBackend(scope, service, service.loadBalancer, retention, baseDirectory);
      this.frontDoor.addServiceRoutes(scope, service);
    }
    return { backends, serviceScopes };
  }

  private createBackend(scope: Construct, service: ServicePlan, target: LoadBalancerPlan, retention: logs.RetentionDays, baseDirectory?: string): FargateBackend {
    const resolved = this.map.services[service.name];
    const alb = this.loadBalancers[target.index];
    alb.allowTasksPort(target.port);
    return new FargateBackend(scope, 'Backend', {
      cluster: this.cluster,
      listener: alb.listener,
      serviceName: service.name,
      service: resolved,
      loadBalancer: target,
      securityGroups: [alb.tasksSecurityGroup],
      logRetention: retention,
      baseDirectory,
      pathRewrite: this.frontDoor.backendPathRewrite(resolved),
    });
  }
}

/**
 * The id of a service's construct: its name, unless the name is a property of every object ("constructor"),
 * which the constructs library would take for an existing child. "_" is never in a service name, so the
 * id stays unique.
 */
export function serviceConstructId(name: string): string {
  return name in Object.prototype ? `${name}_` : name;
}

/**
 * What a VPC given as a construct prop will be: its id when known at synth (imported); for a VPC made in
 * the same app, its construct path and the values of its replacement-forcing properties (the VPC keeps
 * its id until one of those changes or the construct moves).
 */
function vpcIdentity(vpc: ec2.IVpc): string {
  if (!Token.isUnresolved(vpc.vpcId)) return vpc.vpcId;
  const cfn = vpc.node.defaultChild;
  const forcing = cfn instanceof CfnResource ? (rulesFor(cfn.cfnResourceType)?.replaces ?? []).filter((p) => !p.includes('.')) : [];
  const values = forcing.flatMap((p) => {
    const value = (cfn as unknown as Record<string, unknown>)[p[0].toLowerCase() + p.slice(1)];
    return value === undefined || Token.isUnresolved(value) ? [] : [`${p}=${JSON.stringify(value)}`];
  });
  return ['construct', vpc.node.path, ...values].join(' ');
}

/** The plan with target group names for a VPC the map does not describe (the `vpc` prop). */
function inVpc(plan: GatewayPlan, vpc: string): GatewayPlan {
  const { map } = plan;
  const services = plan.placement.services.map((s) =>
    s.service.container && s.loadBalancer !== undefined
      ? { ...s, targetGroupName: targetGroupName(map.name, s.name, { ...targetGroupReplacementValues(map, s.service.container.port), VpcId: vpc }, s.loadBalancer) }
      : s,
  );
  const names = new Map(services.map((s) => [s.name, s.targetGroupName]));
  return {
    ...plan,
    placement: { ...plan.placement, services },
    services: plan.services.map((s) => (s.loadBalancer ? { ...s, loadBalancer: { ...s.loadBalancer, targetGroupName: names.get(s.name)!, vpc } } : s)),
  };
}

/**
 * The plan given, or the plan of the map given; a bad map throws `ServiceMapError` naming every problem.
 * Image folders are judged here, relative to `baseDirectory` (a plan made elsewhere may not have checked them).
 */
function gatewayPlan(scope: Construct, props: ServiceGatewayProps): GatewayPlan {
  if ((props.plan === undefined) === (props.serviceMap === undefined)) {
    throw validationError(scope, 'ServiceGateway: give exactly one of serviceMap and plan');
  }
  const checkImageDirectory = (directory: string) => imageDirectoryProblem(directory, props.baseDirectory);
  let plan: GatewayPlan;
  if (props.plan) {
    plan = props.plan;
    const problems = Object.entries(plan.map.services).flatMap(([name, svc]) => {
      const image = svc.container?.image;
      const problem = typeof image === 'object' ? checkImageDirectory(image.directory) : undefined;
      return problem && typeof image === 'object' ? [`services.${name}.container.image.directory: ${quote(image.directory)} ${problem}`] : [];
    });
    if (problems.length > 0) throw new ServiceMapError([...problems, ...propProblems(props, plan.map, stackRegion(scope))]);
  } else {
    const planned = planGateway(props.serviceMap, { checkImageDirectory, certificateProvided: props.certificate !== undefined });
    // The props are checked too, against the map as written, so that one error names every problem.
    if (!planned.plan) throw new ServiceMapError([...planned.problems, ...propProblems(props, writtenView(props.serviceMap), stackRegion(scope))]);
    plan = planned.plan;
  }
  // Target group names hash the VPC: a VPC given as a prop (or a cluster's) is not the one the map describes.
  const vpc = props.vpc ?? props.cluster?.vpc;
  return vpc ? inVpc(plan, vpcIdentity(vpc)) : plan;
}

/** The construct props that must agree with the map and each other; every problem in one error. */
function checkProps(scope: Construct, props: ServiceGatewayProps, map: ResolvedServiceMap): void {
  const problems = propProblems(props, map, stackRegion(scope));
  if (problems.length > 0) throw validationError(scope, `ServiceGateway: ${problems.join('; ')}`);
}

/** The map fields the construct props are checked against: the resolved map's, or those of a map as written. */
interface PropView {
  readonly network: { readonly vpcId?: string };
  readonly alarms: { readonly topicArn?: string };
  readonly domain?: { readonly name: string; readonly certificateArn?: string; readonly hostedZoneId?: string };
}

/**
 * The fields of a map as written that the props are checked against, each only when it has the right type,
 * so that a map with problems still gets its props checked in the same error.
 */
function writtenView(input: unknown): PropView {
  const record = (v: unknown) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const map = record(input);
  const domain = record(map?.domain);
  return {
    network: { vpcId: text(record(map?.network)?.vpcId) },
    alarms: { topicArn: text(record(map?.alarms)?.topicArn) },
    domain: domain && { name: text(domain.name) ?? '', certificateArn: text(domain.certificateArn), hostedZoneId: text(domain.hostedZoneId) },
  };
}

/** The stack's Region when it is known at synth. */
function stackRegion(scope: Construct): string | undefined {
  const region = Stack.of(scope).region;
  return Token.isUnresolved(region) ? undefined : region;
}

/** What is wrong with the construct props, given the map's fields (and the stack's Region); empty when they agree. */
function propProblems(props: ServiceGatewayProps, map: PropView, region: string | undefined): string[] {
  const problems: string[] = [];
  const known = (id: string | undefined) => (id !== undefined && !Token.isUnresolved(id) ? id : undefined);
  if (props.cluster) {
    const clusterVpc = known(props.cluster.vpc.vpcId);
    const gatewayVpc = props.vpc ? known(props.vpc.vpcId) : map.network.vpcId;
    if (props.vpc && props.vpc !== props.cluster.vpc && clusterVpc && gatewayVpc && clusterVpc !== gatewayVpc) {
      problems.push(`cluster: the cluster is in VPC ${clusterVpc}, the gateway in vpc ${gatewayVpc}; give a cluster in the gateway's VPC (the ALBs and VPC link are there)`);
    } else if (props.vpc && props.vpc !== props.cluster.vpc && madeInApp(props.vpc) && madeInApp(props.cluster.vpc)) {
      // Two VPCs made in the app (ids unknown at synth) are two VPCs.
      problems.push(`cluster: the cluster is in the VPC ${props.cluster.vpc.node.path}, the gateway in vpc ${props.vpc.node.path}; give a cluster in the gateway's VPC (the ALBs and VPC link are there), or leave out vpc to use the cluster's`);
    } else if (!props.vpc && map.network.vpcId && clusterVpc !== map.network.vpcId) {
      problems.push(`cluster: the cluster is in ${clusterVpc ? `VPC ${clusterVpc}` : 'a VPC whose id is not known at synth'}, the map's network.vpcId is ${map.network.vpcId}; give a cluster in that VPC, or the cluster's VPC as the vpc prop`);
    }
  }
  const propVpc = props.vpc ? known(props.vpc.vpcId) : undefined;
  if (propVpc && map.network.vpcId && propVpc !== map.network.vpcId) {
    problems.push(`vpc: the vpc prop is ${propVpc}, the map's network.vpcId is ${map.network.vpcId}; give one of them, or the same VPC`);
  }
  if (props.alarmTopic && map.alarms.topicArn) {
    problems.push(`alarmTopic: the map also sets alarms.topicArn (${map.alarms.topicArn}); give one of them`);
  }
  for (const prop of ['hostedZone', 'certificate'] as const) {
    if (props[prop] && !map.domain) problems.push(`${prop}: the map has no domain; add domain (its name) to the map for a custom domain`);
  }
  // A plan made elsewhere was checked without knowing of this prop; a map given here was checked with it.
  if (props.plan && map.domain && map.domain.certificateArn === undefined && !props.certificate) {
    problems.push(`domain.certificateArn: the plan's custom domain ${map.domain.name} has no certificate; set domain.certificateArn in the map, or give the certificate prop`);
  }
  const zoneName = props.hostedZone && map.domain ? knownZoneName(props.hostedZone) : undefined;
  if (zoneName && map.domain?.name && !nameInZone(map.domain.name, zoneName)) {
    problems.push(`hostedZone: its zone ${quote(zoneName)} does not hold the map's domain.name ${quote(map.domain.name)} (the alias records would be named ${quote(`${map.domain.name}.${zoneName.replace(/\.$/, '')}.`)}); give the zone of ${quote(map.domain.name)}`);
  }
  if (props.hostedZone && map.domain?.hostedZoneId) {
    problems.push(`hostedZone: the map also sets domain.hostedZoneId (${map.domain.hostedZoneId}); give one of them`);
  }
  const certificateArn = known(props.certificate?.certificateArn);
  if (certificateArn && map.domain?.certificateArn && certificateArn !== map.domain.certificateArn) {
    problems.push(`certificate: its ARN ${certificateArn} is not the map's domain.certificateArn ${map.domain.certificateArn}; give the same certificate`);
  }
  // API Gateway's regional custom domains take a certificate of their own Region only (edge-optimized ones
  // take us-east-1's; the gateway's are regional). A known ARN in another Region would fail the deployment.
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-regional-api-custom-domain-create.html
  const [field, arn] = certificateArn ? ['certificate', certificateArn] : ['domain.certificateArn', map.domain?.certificateArn];
  const arnRegion = arn?.split(':')[3];
  if (arnRegion && region && arnRegion !== region) {
    problems.push(`${field}: ${arn} is in ${arnRegion}; the custom domain of a regional API needs an ACM certificate in the stack's Region ${region} (request or import one there)`);
  }
  return problems;
}

/** A VPC this app creates (an `ec2.Vpc`, whose id is known only at deploy time), not an imported one. */
function madeInApp(vpc: ec2.IVpc): boolean {
  return vpc.node.defaultChild instanceof ec2.CfnVPC;
}

/**
 * The zone's name when known at synth. A zone imported by id alone has none (aws-cdk-lib throws on reading
 * it; the alias records then fail with CDK's own message).
 */
function knownZoneName(zone: route53.IHostedZone): string | undefined {
  try {
    return Token.isUnresolved(zone.zoneName) ? undefined : zone.zoneName;
  } catch {
    return undefined;
  }
}

/** One template-size check per Stage (or App), however many gateways it holds. */
function registerTemplateSizeCheck(scope: Construct): void {
  const stage = Stage.of(scope);
  if (!stage || stagesWithSizeCheck.has(stage)) return;
  stagesWithSizeCheck.add(stage);
  Validations.of(stage).addPlugins(new TemplateSizeCheck());
}

const stagesWithSizeCheck = new WeakSet<Stage>();

/**
 * The VPC, built with the map's availability zones when it names them. `ec2.Vpc` asks the stack for its AZs,
 * which in a stack with a fixed account and Region is a context lookup (AWS credentials at synth). CDK's
 * documented way to avoid it is a stack whose `availabilityZones` returns the list; the map's list stands in
 * for that while this one VPC is built, and the stack is left as it was.
 */
function withAvailabilityZones<T>(stack: Stack, azs: readonly string[] | undefined, build: () => T): T {
  const agnostic = Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region);
  if (!azs || agnostic) {
    const vpc = build();
    if (!agnostic) explainFailedLookup(stack, 'network.availabilityZones', 'the availability zones of the new VPC could not be looked up', 'list them in network.availabilityZones (e.g. ["eu-west-1a", "eu-west-1b"]) to synthesize without credentials');
    return vpc;
  }
  Object.defineProperty(stack, 'availabilityZones', { value: [...azs], configurable: true });
  try {
    return build();
  } finally {
    delete (stack as { availabilityZones?: unknown }).availabilityZones;
  }
}

/**
 * When the CDK CLI could not do a lookup (no credentials, access denied), CDK reports its own error on the
 * stack; this adds one naming the map field that supplies the value, so the fix is in the message.
 */
function explainFailedLookup(stack: Stack, field: string, what: string, fix: string): void {
  const { key } = ContextProvider.getKey(stack, { provider: cxschema.ContextProvider.AVAILABILITY_ZONE_PROVIDER });
  const value: unknown = stack.node.tryGetContext(key);
  if (typeof value === 'object' && value !== null && cxapi.PROVIDER_ERROR_KEY in value) {
    Annotations.of(stack).addError(`${field}: ${what} for account ${stack.account}, Region ${stack.region} (no AWS credentials at synth?); ${fix}, or give the stack no fixed account (env: { region }) so no lookup is needed`);
  }
}

/**
 * ALB access logs in any stack. With a concrete Region, aws-cdk-lib's `logAccessLogs` picks the writer
 * (the Region's ELB account, or the log delivery service in Regions opened since August 2022). In a stack
 * without a Region (`new Stack(app, id)`, as `cdk init` writes it) that choice is made at deploy time: a
 * mapping of every Region aws-cdk-lib knows tells whether the Region has an ELB account.
 */
function logAccessLogs(alb: elbv2.ApplicationLoadBalancer, bucket: s3.IBucket, prefix: string): void {
  const stack = Stack.of(alb);
  if (!Token.isUnresolved(stack.region)) {
    alb.logAccessLogs(bucket, prefix);
    return;
  }
  const { account: elbAccountId, hasAccount } = elbAccount(stack);
  alb.setAttribute('access_logs.s3.enabled', 'true');
  alb.setAttribute('access_logs.s3.bucket', bucket.bucketName);
  alb.setAttribute('access_logs.s3.prefix', prefix);
  const objects = bucket.arnForObjects(`${prefix}/AWSLogs/${stack.account}/*`);
  bucket.addToResourcePolicy(
    new iam.PolicyStatement({
      actions: ['s3:PutObject'],
      principals: [
        new iam.ServicePrincipal('logdelivery.elasticloadbalancing.amazonaws.com'),
        new iam.ArnPrincipal(Fn.conditionIf(hasAccount.logicalId, `arn:${Aws.PARTITION}:iam::${elbAccountId}:root`, Aws.NO_VALUE).toString()),
      ],
      resources: [objects],
    }),
  );
  const delivery = new iam.ServicePrincipal('delivery.logs.amazonaws.com');
  bucket.addToResourcePolicy(
    new iam.PolicyStatement({ actions: ['s3:PutObject'], principals: [delivery], resources: [objects], conditions: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } } }),
  );
  bucket.addToResourcePolicy(new iam.PolicyStatement({ actions: ['s3:GetBucketAcl'], principals: [delivery], resources: [bucket.bucketArn] }));
  const policy = bucket.policy?.node.defaultChild;
  if (policy instanceof CfnResource) (alb.node.defaultChild as CfnResource).addResourceDependency(policy);
}

/** The mapping and condition are stack-wide: one pair for every ALB of every gateway in the stack. */
function elbAccount(stack: Stack): { readonly account: string; readonly hasAccount: CfnCondition } {
  const id = 'CdkServiceGatewayElbAccount';
  const existing = stack.node.tryFindChild(id) as CfnMapping | undefined;
  const mapping = existing ?? new CfnMapping(stack, id, {
    mapping: Object.fromEntries(RegionInfo.regions.map((r) => [r.name, { account: r.elbv2Account ?? 'none' }])),
  });
  const account = mapping.findInMap(Aws.REGION, 'account');
  const hasAccount = (stack.node.tryFindChild(`${id}Known`) as CfnCondition | undefined)
    ?? new CfnCondition(stack, `${id}Known`, { expression: Fn.conditionNot(Fn.conditionEquals(account, 'none')) });
  return { account, hasAccount };
}

/** Output names are stack-wide: a second gateway in one stack needs its own prefix. */
function claimOutputNames(gateway: Construct, prefix: string) {
  const stack = Stack.of(gateway);
  const names = gatewayOutputNames(prefix);
  const claimed = outputNamesByStack.get(stack) ?? new Set<string>();
  if (claimed.has(names.apiUrl)) {
    throw validationError(gateway, `ServiceGateway: the stack already holds a gateway with the output ${names.apiUrl}; give this one an outputPrefix (e.g. outputPrefix: "Admin" gives AdminApiUrl)`);
  }
  if (prefix && !/^[A-Za-z][A-Za-z0-9]*$/.test(prefix)) throw validationError(gateway, `ServiceGateway: outputPrefix "${prefix}" must be letters and digits, starting with a letter (it starts CloudFormation output names)`);
  claimed.add(names.apiUrl);
  outputNamesByStack.set(stack, claimed);
  return names;
}

const outputNamesByStack = new WeakMap<Stack, Set<string>>();
