import { statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { Annotations, Duration, Token, Validations } from 'aws-cdk-lib';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { FARGATE_DEPLOYMENT, GATEWAY_HEADERS } from '../service-map/conventions';
import { warningId } from '../service-map/warnings';
import type { ResolvedService } from '../service-map/schema';
import { NEW_VPC, TARGET_GROUP_SETTINGS } from '../plan/target-group';
import { MAX_HEADER_CONDITION_VALUE, QUOTAS } from '../service-map/limits';
import type { LoadBalancerPlan } from '../plan/gateway-plan';
import { validationError } from '../construct-errors';
import { ONE_MINUTE } from '../monitoring/alarm-factory';
import type { BackendMetrics } from '../monitoring/backend-metrics';
import { PERIOD, runningTasks } from '../monitoring/metrics';
import type { PathRewrite } from '../plan/path-rewrite';

export interface FargateBackendProps {
  /** The ECS cluster the service runs in; the target group is made in the cluster's VPC. */
  readonly cluster: ecs.ICluster;
  /**
   * The ALB listener the service's rule goes on: one of the gateway's internal ALBs, or an existing one
   * (`ApplicationListener.fromApplicationListenerAttributes`, with its load balancer's security group, so
   * that the tasks admit it).
   */
  readonly listener: elbv2.IApplicationListener;
  /** The service's name in the map: names the log stream prefix and the construct-level errors. */
  readonly serviceName: string;
  /**
   * The service as the map resolved it; must have a container. Its image, cpu, memory, environment,
   * secrets, command, load-balancing settings and scaling are rendered.
   */
  readonly service: ResolvedService;
  /**
   * Where the service sits behind the listener, as the plan decided it (`ServicePlan.loadBalancer`): the
   * rule's priority (1 to 50,000, unique on the listener), the values of the service header it matches
   * (`routeKeys`, 1 to 5), the target group's name, the container port and the health check; and the VPC
   * the name was planned for (`vpc`): when the cluster's VPC id is known at synth and differs, synth warns
   * (`cdk-service-gateway:target-group-name-vpc`), since the name would not follow a later VPC change.
   */
  readonly loadBalancer: Pick<LoadBalancerPlan, 'priority' | 'routeKeys' | 'targetGroupName' | 'port' | 'healthCheck'> & Partial<Pick<LoadBalancerPlan, 'vpc'>>;
  /** How long the container logs are kept. */
  readonly logRetention: logs.RetentionDays;
  /**
   * Security groups of the tasks. The listener's load balancer is allowed in on the container port
   * (through the target group), whichever groups these are.
   *
   * @default - a new security group made by ECS for this service
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /**
   * Folder that relative `image.directory` paths are resolved against.
   *
   * @default process.cwd()
   */
  readonly baseDirectory?: string;
  /**
   * The rewrite the listener rule applies to the path, so that the container gets the path it expects; the
   * front door decides it (`GatewayFrontDoor.backendPathRewrite`).
   *
   * @default - no rewrite: requests arrive with the container's path
   */
  readonly pathRewrite?: PathRewrite;
}

/**
 * One container service: Fargate task definition and service in private subnets, its target group
 * and the listener rule that sends it the requests the gateway marked for it, and autoscaling.
 *
 * @throws ValidationError when the service has no container, or the plan's values cannot be rendered
 *   (priority out of range, no route key, a port other than the container's)
 */
export class FargateBackend extends Construct implements BackendMetrics {
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly container: ecs.ContainerDefinition;
  readonly service: ecs.FargateService;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly listenerRule: elbv2.ApplicationListenerRule;
  readonly logGroup: logs.LogGroup;
  readonly scaling: ecs.ScalableTaskCount;

  constructor(scope: Construct, id: string, props: FargateBackendProps) {
    super(scope, id);
    const spec = checkProps(this, props);
    warnOnTargetGroupVpc(this, props);
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention });
    this.taskDefinition = this.createTaskDefinition(spec);
    this.container = this.addContainer(spec, props);
    this.service = this.createService(props);
    this.targetGroup = this.createTargetGroup(props);
    this.listenerRule = this.createListenerRule(props);
    // The target group lets the listener's load balancer reach the tasks on the port (a rule already there is kept).
    this.service.attachToApplicationTargetGroup(this.targetGroup);
    this.scaling = this.configureScaling(props.service.scaling);
  }

  private createTaskDefinition(spec: ContainerSpec): ecs.FargateTaskDefinition {
    return new ecs.FargateTaskDefinition(this, 'Task', {
      cpu: spec.cpu,
      memoryLimitMiB: spec.memoryMiB,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    });
  }

  private addContainer(spec: ContainerSpec, props: FargateBackendProps): ecs.ContainerDefinition {
    const container = this.taskDefinition.addContainer('app', {
      image: containerImage(spec.image, props.baseDirectory),
      containerName: 'app',
      portMappings: [{ containerPort: props.loadBalancer.port, protocol: ecs.Protocol.TCP }],
      environment: spec.environment,
      secrets: Object.fromEntries(Object.entries(spec.secrets).map(([name, arn]) => [name, containerSecret(this, name, arn)])),
      command: spec.command,
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: props.serviceName }),
      readonlyRootFilesystem: false,
    });
    if (Object.keys(spec.environment).length > 0) {
      Validations.of(this.taskDefinition).acknowledge({
        id: 'AwsSolutions-ECS2',
        reason: 'Plain configuration from the service map; secrets are passed through container.secrets (Secrets Manager / SSM), never environment.',
      });
    }
    return container;
  }

  private createService(props: FargateBackendProps): ecs.FargateService {
    return new ecs.FargateService(this, 'Service', {
      cluster: props.cluster,
      taskDefinition: this.taskDefinition,
      assignPublicIp: false,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: props.securityGroups,
      minHealthyPercent: FARGATE_DEPLOYMENT.minimumHealthyPercent,
      maxHealthyPercent: FARGATE_DEPLOYMENT.maximumPercent,
      circuitBreaker: { enable: true, rollback: true },
      healthCheckGracePeriod: Duration.seconds(props.loadBalancer.healthCheck.gracePeriodSeconds),
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      enableECSManagedTags: true,
    });
  }

  private createTargetGroup(props: FargateBackendProps): elbv2.ApplicationTargetGroup {
    const { targetGroupName, port, healthCheck } = props.loadBalancer;
    const lb = props.service.loadBalancing;
    return new elbv2.ApplicationTargetGroup(this, 'Targets', {
      vpc: props.cluster.vpc,
      targetGroupName,
      // The settings the target group's name hashes (see targetGroupReplacementValues).
      targetType: TARGET_GROUP_SETTINGS.TargetType as elbv2.TargetType,
      port,
      protocol: TARGET_GROUP_SETTINGS.Protocol as elbv2.ApplicationProtocol,
      healthCheck: {
        path: healthCheck.path,
        healthyHttpCodes: healthCheck.successCodes,
        interval: Duration.seconds(healthCheck.intervalSeconds),
        timeout: Duration.seconds(healthCheck.timeoutSeconds),
        healthyThresholdCount: healthCheck.healthyThresholdCount,
        unhealthyThresholdCount: healthCheck.unhealthyThresholdCount,
      },
      deregistrationDelay: Duration.seconds(lb.deregistrationDelaySeconds),
      slowStart: lb.slowStartSeconds > 0 ? Duration.seconds(lb.slowStartSeconds) : undefined,
      loadBalancingAlgorithmType: ALGORITHMS[lb.algorithm],
      stickinessCookieDuration: lb.stickinessSeconds > 0 ? Duration.seconds(lb.stickinessSeconds) : undefined,
    });
  }

  /** Forwards the requests whose service header carries one of the service's route keys, with the front door's path rewrite. */
  private createListenerRule(props: FargateBackendProps): elbv2.ApplicationListenerRule {
    const rule = new elbv2.ApplicationListenerRule(this, 'Rule', {
      listener: props.listener,
      priority: props.loadBalancer.priority,
      conditions: [elbv2.ListenerCondition.httpHeader(GATEWAY_HEADERS.service, [...props.loadBalancer.routeKeys])],
      targetGroups: [this.targetGroup],
    });
    if (props.pathRewrite !== undefined) {
      (rule.node.defaultChild as elbv2.CfnListenerRule).addPropertyOverride('Transforms', [
        { Type: 'url-rewrite', UrlRewriteConfig: { Rewrites: [props.pathRewrite] } },
      ]);
    }
    return rule;
  }

  private configureScaling(scaling: ResolvedService['scaling']): ecs.ScalableTaskCount {
    const count = this.service.autoScaleTaskCount({ minCapacity: scaling.minTasks, maxCapacity: scaling.maxTasks });
    count.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: scaling.cpuTargetPercent });
    if (scaling.requestsPerTarget !== undefined) {
      count.scaleOnRequestCount('Requests', { requestsPerTarget: scaling.requestsPerTarget, targetGroup: this.targetGroup });
    }
    return count;
  }

  /** 5xx responses from the tasks (not from the ALB itself), per period. */
  metricServerErrors(options: cw.MetricOptions = {}): cw.Metric {
    return this.targetGroup.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { statistic: 'Sum', period: PERIOD, ...options });
  }

  /** Requests the ALB sent to the tasks, per period. */
  metricRequestCount(options: cw.MetricOptions = {}): cw.Metric {
    return this.targetGroup.metrics.requestCount({ statistic: 'Sum', period: PERIOD, ...options });
  }

  /** Time the tasks take to answer (seconds), p99 by default. */
  metricLatency(options: cw.MetricOptions = {}): cw.Metric {
    return this.targetGroup.metrics.targetResponseTime({ statistic: 'p99', period: PERIOD, ...options });
  }

  /** Tasks failing the ALB health check. */
  metricUnhealthyHosts(options: cw.MetricOptions = {}): cw.Metric {
    return this.targetGroup.metrics.unhealthyHostCount({ statistic: 'Maximum', period: ONE_MINUTE, ...options });
  }

  metricCpuUtilization(options: cw.MetricOptions = {}): cw.Metric {
    return this.service.metricCpuUtilization({ period: PERIOD, ...options });
  }

  metricMemoryUtilization(options: cw.MetricOptions = {}): cw.Metric {
    return this.service.metricMemoryUtilization({ period: PERIOD, ...options });
  }

  /** Running tasks (Container Insights), minimum per minute. */
  metricRunningTasks(): cw.Metric {
    return runningTasks(this.service.cluster.clusterName, this.service.serviceName);
  }
}

type ContainerSpec = NonNullable<ResolvedService['container']>;

/** ALB listener rules: values of one rule's conditions (Elastic Load Balancing, "Quotas for your Application Load Balancers": condition values per rule). */
const MAX_CONDITION_VALUES = 5;

/** The container to render, or a `ValidationError` naming every prop the plan's values cannot be rendered from. */
function checkProps(scope: Construct, props: FargateBackendProps): ContainerSpec {
  const at = `FargateBackend (services.${props.serviceName})`;
  const absent = (['cluster', 'listener', 'serviceName', 'service', 'logRetention'] as const).filter((k) => props[k] === undefined || props[k] === null);
  if (absent.length > 0) throw validationError(scope, `${at}: ${absent.join(', ')} missing (required props)`);
  const spec = props.service.container;
  if (!spec) throw validationError(scope, `${at}: service is a url service; FargateBackend needs a container service`);
  // Plain JavaScript, or a url service's plan taken with `!`: a missing block or field would otherwise crash below.
  const lb = props.loadBalancer as Partial<FargateBackendProps['loadBalancer']> | undefined;
  const missing = lb === undefined || lb === null
    ? ['loadBalancer']
    : (['priority', 'routeKeys', 'targetGroupName', 'port', 'healthCheck'] as const).filter((k) => lb[k] === undefined || lb[k] === null).map((k) => `loadBalancer.${k}`);
  if (missing.length > 0) {
    throw validationError(scope, `${at}: ${missing.join(', ')} missing; give the service's block of the plan (the loadBalancer of the ServicePlan named ${JSON.stringify(props.serviceName)})`);
  }
  const problems: string[] = [];
  const { priority, port, routeKeys } = props.loadBalancer;
  if (!Token.isUnresolved(priority) && !(Number.isInteger(priority) && priority >= 1 && priority <= QUOTAS.rulePriorityMax)) {
    problems.push(`loadBalancer.priority: ${typeof priority === 'number' ? priority : JSON.stringify(priority)} is not a listener-rule priority (an integer from 1 to ${QUOTAS.rulePriorityMax})`);
  }
  if (port !== spec.port) problems.push(`loadBalancer.port: ${port} is not the port the container listens on (container.port ${spec.port}); give the same port`);
  if (!Array.isArray(routeKeys)) {
    problems.push(`loadBalancer.routeKeys: ${JSON.stringify(routeKeys)} is not a list; give the header values, 1 to ${MAX_CONDITION_VALUES}`);
  } else if (routeKeys.length === 0 || routeKeys.length > MAX_CONDITION_VALUES) {
    problems.push(`loadBalancer.routeKeys: ${routeKeys.length} values; a listener rule's header condition takes 1 to ${MAX_CONDITION_VALUES}`);
  }
  for (const key of (Array.isArray(routeKeys) ? routeKeys : []).filter((k) => k.length > MAX_HEADER_CONDITION_VALUE)) {
    problems.push(`loadBalancer.routeKeys: ${JSON.stringify(key)} is ${key.length} characters; a header condition value takes ${MAX_HEADER_CONDITION_VALUE} at most`);
  }
  if (problems.length > 0) throw validationError(scope, `${at}: ${problems.join('; ')}`);
  return spec;
}

const ALGORITHMS: Record<ResolvedService['loadBalancing']['algorithm'], elbv2.TargetGroupLoadBalancingAlgorithmType> = {
  round_robin: elbv2.TargetGroupLoadBalancingAlgorithmType.ROUND_ROBIN,
  least_outstanding_requests: elbv2.TargetGroupLoadBalancingAlgorithmType.LEAST_OUTSTANDING_REQUESTS,
  weighted_random: elbv2.TargetGroupLoadBalancingAlgorithmType.WEIGHTED_RANDOM,
};

function containerImage(image: NonNullable<ResolvedService['container']>['image'], baseDirectory?: string): ecs.ContainerImage {
  if (typeof image === 'string') return ecs.ContainerImage.fromRegistry(image);
  return ecs.ContainerImage.fromAsset(imageDirectoryPath(image.directory, baseDirectory));
}

/** Where an `image: { directory }` folder is: relative folders are under `baseDirectory` (default: the working directory). */
export function imageDirectoryPath(directory: string, baseDirectory?: string): string {
  return isAbsolute(directory) ? directory : join(baseDirectory ?? process.cwd(), directory);
}

/**
 * What keeps an image folder from being built (CDK would fail later, with a stack trace): it is missing,
 * not a folder, or has no Dockerfile. Undefined when it can be built.
 */
export function imageDirectoryProblem(directory: string, baseDirectory?: string): string | undefined {
  const dir = imageDirectoryPath(directory, baseDirectory);
  const where = (path: string) => JSON.stringify(path);
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return `is not a folder (looked for ${where(dir)}; relative folders are resolved against ServiceGateway's baseDirectory, default the working directory)`;
  if (!statSync(join(dir, 'Dockerfile'), { throwIfNoEntry: false })?.isFile()) return `has no Dockerfile (looked for ${where(join(dir, 'Dockerfile'))})`;
  return undefined;
}

function containerSecret(scope: Construct, name: string, arn: string): ecs.Secret {
  if (arn.includes(':secretsmanager:')) {
    // A complete ARN ends in the six-character suffix Secrets Manager adds; a partial one does not.
    const complete = /-[A-Za-z0-9]{6}(:|$)/.test(arn.split(':secret:')[1] ?? '');
    const secret = complete
      ? secretsmanager.Secret.fromSecretCompleteArn(scope, `Secret${name}`, arn)
      : secretsmanager.Secret.fromSecretPartialArn(scope, `Secret${name}`, arn);
    return ecs.Secret.fromSecretsManager(secret);
  }
  const parameterName = arn.split(':parameter')[1];
  return ecs.Secret.fromSsmParameter(ssm.StringParameter.fromSecureStringParameterAttributes(scope, `Parameter${name}`, { parameterName }));
}

/**
 * A target group name hashes the VPC it was planned for, so that moving the service to another VPC replaces
 * the target group under a new name (CloudFormation cannot create a named replacement beside the old one).
 * A plan made for another VPC than the cluster's (known at synth) would break that on the next VPC change.
 * A warning, not an error: while CDK looks a VPC up, the VPC it hands out for that first pass is a stand-in.
 */
function warnOnTargetGroupVpc(scope: Construct, props: FargateBackendProps): void {
  const clusterVpc = props.cluster.vpc.vpcId;
  const planned = props.loadBalancer.vpc;
  if (planned === undefined || Token.isUnresolved(clusterVpc) || planned === clusterVpc) return;
  Annotations.of(scope).addWarningV2(
    warningId('target-group-name-vpc'),
    `services.${props.serviceName}: its target group name ${props.loadBalancer.targetGroupName} was planned for ${planned === NEW_VPC ? 'a VPC the gateway creates' : planned}, the cluster is in ${clusterVpc}; plan the map with network.vpcId "${clusterVpc}" (target group names follow their VPC, so that a later move to another VPC can replace the target group)`,
  );
}
