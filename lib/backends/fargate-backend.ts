import { statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { Duration, Validations } from 'aws-cdk-lib';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { FARGATE_DEPLOYMENT, GATEWAY_HEADERS } from '../service-map/conventions';
import type { ResolvedService } from '../service-map/schema';
import { TARGET_GROUP_SETTINGS } from '../plan/target-group';
import { ONE_MINUTE } from '../monitoring/alarm-factory';
import type { BackendMetrics } from '../monitoring/backend-metrics';
import { PERIOD, runningTasks } from '../monitoring/metrics';
import type { PathRewrite } from '../plan/path-rewrite';
import type { InternalLoadBalancer } from './internal-load-balancer';

export interface FargateBackendProps {
  readonly cluster: ecs.ICluster;
  readonly gatewayName: string;
  readonly serviceName: string;
  /** The service as the map resolved it; must have a container. */
  readonly service: ResolvedService;
  readonly loadBalancer: InternalLoadBalancer;
  /** Listener-rule priority on the ALB's listener (stable, see placement). */
  readonly priority: number;
  /** The route keys the gateway writes into the service header for this service. */
  readonly routeKeys: readonly string[];
  readonly targetGroupName: string;
  readonly logRetention: logs.RetentionDays;
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
    const svc = props.service;
    const spec = svc.container;
    if (!spec) throw new Error(`services.${props.serviceName}: FargateBackend needs a container service`);

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention });
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu: spec.cpu,
      memoryLimitMiB: spec.memoryMiB,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    });
    this.container = this.taskDefinition.addContainer('app', {
      image: containerImage(spec.image, props.baseDirectory),
      containerName: 'app',
      portMappings: [{ containerPort: spec.port, protocol: ecs.Protocol.TCP }],
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
    props.loadBalancer.allowTasksPort(spec.port);
    this.service = new ecs.FargateService(this, 'Service', {
      cluster: props.cluster,
      taskDefinition: this.taskDefinition,
      assignPublicIp: false,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [props.loadBalancer.tasksSecurityGroup],
      minHealthyPercent: FARGATE_DEPLOYMENT.minimumHealthyPercent,
      maxHealthyPercent: FARGATE_DEPLOYMENT.maximumPercent,
      circuitBreaker: { enable: true, rollback: true },
      healthCheckGracePeriod: Duration.seconds(spec.healthCheck.gracePeriodSeconds),
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      enableECSManagedTags: true,
    });

    const lb = svc.loadBalancing;
    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'Targets', {
      vpc: props.cluster.vpc,
      targetGroupName: props.targetGroupName,
      // The settings the target group's name hashes (see targetGroupReplacementValues).
      targetType: TARGET_GROUP_SETTINGS.TargetType as elbv2.TargetType,
      port: spec.port,
      protocol: TARGET_GROUP_SETTINGS.Protocol as elbv2.ApplicationProtocol,
      healthCheck: {
        path: spec.healthCheckPath,
        healthyHttpCodes: spec.healthCheck.successCodes,
        interval: Duration.seconds(spec.healthCheck.intervalSeconds),
        timeout: Duration.seconds(spec.healthCheck.timeoutSeconds),
        healthyThresholdCount: spec.healthCheck.healthyThresholdCount,
        unhealthyThresholdCount: spec.healthCheck.unhealthyThresholdCount,
      },
      deregistrationDelay: Duration.seconds(lb.deregistrationDelaySeconds),
      slowStart: lb.slowStartSeconds > 0 ? Duration.seconds(lb.slowStartSeconds) : undefined,
      loadBalancingAlgorithmType: ALGORITHMS[lb.algorithm],
      stickinessCookieDuration: lb.stickinessSeconds > 0 ? Duration.seconds(lb.stickinessSeconds) : undefined,
    });
    this.listenerRule = new elbv2.ApplicationListenerRule(this, 'Rule', {
      listener: props.loadBalancer.listener,
      priority: props.priority,
      conditions: [elbv2.ListenerCondition.httpHeader(GATEWAY_HEADERS.service, [...props.routeKeys])],
      targetGroups: [this.targetGroup],
    });
    if (props.pathRewrite !== undefined) {
      const rewrite = props.pathRewrite;
      (this.listenerRule.node.defaultChild as elbv2.CfnListenerRule).addPropertyOverride('Transforms', [
        { Type: 'url-rewrite', UrlRewriteConfig: { Rewrites: [rewrite] } },
      ]);
    }
    // The target group registers the ALB as a connectable; the port is already open on the shared groups.
    this.service.attachToApplicationTargetGroup(this.targetGroup);

    this.scaling = this.service.autoScaleTaskCount({ minCapacity: svc.scaling.minTasks, maxCapacity: svc.scaling.maxTasks });
    this.scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: svc.scaling.cpuTargetPercent });
    if (svc.scaling.requestsPerTarget !== undefined) {
      this.scaling.scaleOnRequestCount('Requests', { requestsPerTarget: svc.scaling.requestsPerTarget, targetGroup: this.targetGroup });
    }
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

