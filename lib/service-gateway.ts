import { Annotations, CfnOutput, CfnResource, Duration, NestedStack, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { JwtAuthorizerFunction } from './authorizer/jwt-authorizer';
import { GatewayFirewall } from './firewall/gateway-firewall';
import { GatewayMonitoring } from './monitoring/gateway-monitoring';
import { FargateBackend } from './backends/fargate-backend';
import { InternalLoadBalancer } from './backends/internal-load-balancer';
import { HttpFrontDoor } from './front-door/http-front-door';
import { RestFrontDoor } from './front-door/rest-front-door';
import { GatewayPlacement, ServicePlacement } from './service-map/placement';
import type { ResolvedServiceMap, ServiceMap } from './service-map/schema';
import { validationError } from './construct-errors';
import { ServiceMapError } from './service-map/validate';
import { type GatewayPlan, nestedStackId, planGateway } from './plan';
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
   * @default - from the map's `network` block
   */
  readonly vpc?: ec2.IVpc;
  /**
   * Folder that relative container image directories (`image: { directory }`) are resolved against.
   *
   * @default process.cwd()
   */
  readonly baseDirectory?: string;
}

/**
 * A production API front door for every service in a service map: API Gateway, one VPC link,
 * internal ALBs, Fargate services and the JWT authorizer, with services spread over nested stacks
 * so that no template passes CloudFormation's quotas.
 */
export class ServiceGateway extends Construct {
  /** The map with every default filled in. */
  readonly map: ResolvedServiceMap;
  /** Where each service went (nested stack, ALB, listener-rule priority). */
  readonly placement: GatewayPlacement;
  /** Everything the gateway is, as decided from the map before any construct existed. */
  readonly plan: GatewayPlan;
  readonly vpc: ec2.IVpc;
  readonly cluster: ecs.Cluster;
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
    // The firewall reports its own capacity warning (it renders the web ACL).
    plan.warnings
      .filter((w) => w !== plan.firewall?.capacity.warning)
      .forEach((w, i) => Annotations.of(this).addWarningV2(`cdk-service-gateway:map-${i}`, w));

    const retention = map.logs.retentionDays as logs.RetentionDays;
    this.vpc = props.vpc ?? this.createVpc(map);
    this.cluster = new ecs.Cluster(this, 'Cluster', { vpc: this.vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
    this.vpcLinkSecurityGroup = new ec2.SecurityGroup(this, 'VpcLinkSecurityGroup', {
      vpc: this.vpc,
      description: 'API Gateway VPC link: may reach the internal ALBs only',
      allowAllOutbound: false,
    });
    this.accessLogBucket = new s3.Bucket(this, 'AlbAccessLogs', {
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
          expiration: Duration.days(map.logs.retentionDays),
          noncurrentVersionExpiration: Duration.days(map.logs.retentionDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        // Expiring a versioned object leaves a delete marker; once its versions are gone, so does it.
        { id: 'remove-expired-delete-markers', expiredObjectDeleteMarker: true },
      ],
    });
    Validations.of(this.accessLogBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket holds the ALB access logs; logging access to it into another bucket would only move the question one bucket further.',
    });
    this.loadBalancers = Array.from({ length: placement.loadBalancerCount }, (_, i) => {
      const alb = new InternalLoadBalancer(this, `Alb${i}`, { vpc: this.vpc, vpcLinkSecurityGroup: this.vpcLinkSecurityGroup });
      alb.loadBalancer.logAccessLogs(this.accessLogBucket, `alb-${i}`);
      return alb;
    });

    const authorizer = plan.authorizer;
    if (authorizer?.kind === 'lambda') {
      this.authorizer = new JwtAuthorizerFunction(this, 'Authorizer', {
        gatewayName: map.name,
        issuer: authorizer.issuer,
        audience: [...authorizer.audience],
        jwksUri: authorizer.jwksUri,
        algorithms: [...authorizer.algorithms],
        routeScopes: Object.fromEntries(Object.entries(authorizer.routeScopes).map(([k, v]) => [k, [...v]])),
        logRetention: retention,
        frontDoor: map.frontDoor,
      });
    }
    const FrontDoor = map.frontDoor === 'rest' ? RestFrontDoor : HttpFrontDoor;
    this.frontDoor = new FrontDoor(this, map.frontDoor === 'rest' ? 'RestFrontDoor' : 'HttpFrontDoor', {
      map,
      vpc: this.vpc,
      loadBalancers: this.loadBalancers,
      vpcLinkSecurityGroup: this.vpcLinkSecurityGroup,
      logRetention: retention,
      authorizerFunction: this.authorizer?.function,
    });

    const stacks = new Map<number, NestedStack>();
    const backends: Record<string, FargateBackend> = {};
    for (const group of placement.groups) {
      const stack = new NestedStack(this, nestedStackId(group), {
        description: `${map.name} gateway: services of group ${group}`,
      });
      stacks.set(group, stack);
      checkStackQuotas(stack);
    }
    const serviceScopes = new Map<string, Construct>();
    for (const svc of placement.services) {
      const scope = new Construct(stacks.get(svc.group)!, svc.name);
      serviceScopes.set(svc.name, scope);
      if (svc.kind === 'container') backends[svc.name] = this.createBackend(scope, svc, retention, props.baseDirectory);
      this.frontDoor.addServiceRoutes(scope, svc);
    }
    this.serviceStacks = stacks;
    this.backends = backends;
    const record: GatewayRecord = {
      schemaVersion: RECORD_SCHEMA_VERSION,
      frontDoor: plan.frontDoor,
      stageName: plan.stageName,
      mapEncoding: 'gzip+base64',
      map: encodeRecordedMap(map),
    };
    this.frontDoor.finish([...stacks.values()], record.map);
    this.firewall = map.firewall.enabled ? this.createFirewall(map) : undefined;
    this.monitoring = new GatewayMonitoring(this, 'Monitoring', {
      map,
      placement,
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

    this.apiResource.addMetadata(RECORD_KEY, this.firewall ? { ...record, webAclLogicalId: this.firewall.webAclLogicalId } : record);
    new CfnOutput(this, 'ApiUrl', { value: this.frontDoor.url, description: `${map.name}: the URL clients call` });
    new CfnOutput(this, 'ApiId', { value: this.apiResource.ref, description: `${map.name}: ${map.frontDoor === 'rest' ? 'REST' : 'HTTP'} API id` });
    this.loadBalancers.forEach((alb, i) =>
      new CfnOutput(this, `Alb${i}DnsName`, { value: alb.loadBalancer.loadBalancerDnsName, description: `${map.name}: internal ALB ${i} (reachable from the VPC link only)` }),
    );
  }

  /** The CloudFormation resource of the API (HTTP or REST). */
  get apiResource(): CfnResource {
    return this.frontDoor.apiResource;
  }

  /** On the REST stage for the REST front door; on every internal ALB for the HTTP front door. */
  private createFirewall(map: ResolvedServiceMap): GatewayFirewall {
    const frontDoor = this.frontDoor;
    if (!(frontDoor instanceof RestFrontDoor)) {
      return new GatewayFirewall(this, 'Firewall', { map, plan: this.plan.firewall, target: { kind: 'alb', loadBalancerArns: this.loadBalancers.map((a) => a.loadBalancer.loadBalancerArn) } });
    }
    // WAF sees the path clients send: the execute-api URL carries the stage; a custom domain does not.
    const planned = this.plan.firewall?.target;
    const pathPrefix = planned?.kind === 'restStage' ? planned.pathPrefix : undefined;
    const firewall = new GatewayFirewall(this, 'Firewall', { map, plan: this.plan.firewall, target: { kind: 'restStage', stageArn: frontDoor.stageArn, pathPrefix } });
    firewall.associations.forEach((a) => a.node.addDependency(frontDoor.stage));
    return firewall;
  }

  private createVpc(map: ResolvedServiceMap): ec2.IVpc {
    if (map.network.vpcId) return ec2.Vpc.fromLookup(this, 'Vpc', { vpcId: map.network.vpcId });
    const flowLogs = new logs.LogGroup(this, 'VpcFlowLogs', { retention: map.logs.retentionDays as logs.RetentionDays });
    return new ec2.Vpc(this, 'Vpc', {
      flowLogs: { rejected: { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs), trafficType: ec2.FlowLogTrafficType.REJECT } },
      maxAzs: map.network.maxAzs ?? 2,
      natGateways: map.network.natGateways ?? 1,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
      ],
    });
  }

  private createBackend(scope: Construct, svc: ServicePlacement, retention: logs.RetentionDays, baseDirectory?: string): FargateBackend {
    return new FargateBackend(scope, 'Backend', {
      cluster: this.cluster,
      gatewayName: this.map.name,
      serviceName: svc.name,
      service: svc.service,
      loadBalancer: this.loadBalancers[svc.loadBalancer!],
      priority: svc.priority!,
      routeKeys: svc.routeKeys,
      targetGroupName: svc.targetGroupName!,
      logRetention: retention,
      baseDirectory,
      restStageName: this.map.frontDoor === 'rest' ? this.map.rest.stageName : undefined,
    });
  }
}

/** The plan given, or the plan of the map given; a bad map throws `ServiceMapError` naming every problem. */
function gatewayPlan(scope: Construct, props: ServiceGatewayProps): GatewayPlan {
  if ((props.plan === undefined) === (props.serviceMap === undefined)) {
    throw validationError(scope, 'ServiceGateway: give exactly one of serviceMap and plan');
  }
  if (props.plan) return props.plan;
  const { problems, plan } = planGateway(props.serviceMap);
  if (!plan) throw new ServiceMapError(problems);
  return plan;
}

/** One template-size check per Stage (or App), however many gateways it holds. */
function registerTemplateSizeCheck(scope: Construct): void {
  const stage = Stage.of(scope);
  if (!stage || stagesWithSizeCheck.has(stage)) return;
  stagesWithSizeCheck.add(stage);
  Validations.of(stage).addPlugins(new TemplateSizeCheck());
}

const stagesWithSizeCheck = new WeakSet<Stage>();
