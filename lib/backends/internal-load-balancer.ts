import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';

export interface InternalLoadBalancerProps {
  readonly vpc: ec2.IVpc;
  /** Security group of the VPC link: the only source allowed to reach the listener. */
  readonly vpcLinkSecurityGroup: ec2.ISecurityGroup;
  /**
   * Port of the listener the VPC link targets.
   *
   * @default 80 - traffic stays inside the VPC, from the VPC link to the ALB
   */
  readonly listenerPort?: number;
}

/**
 * One internal ALB with its listener (requests without a matching gateway-set service header get a
 * fixed 404) and the security group its Fargate tasks share. Security-group rules grow with the
 * distinct container ports on this ALB, never with the number of services.
 */
export class InternalLoadBalancer extends Construct {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly listener: elbv2.ApplicationListener;
  /** Security group of the ALB: ingress from the VPC link only. */
  readonly securityGroup: ec2.SecurityGroup;
  /** Security group shared by the tasks behind this ALB: ingress from the ALB only. */
  readonly tasksSecurityGroup: ec2.SecurityGroup;
  /** With `cors` on the HTTP front door: the rule that answers CORS preflights with 204 (see `answerPreflights`). */
  preflightRule?: elbv2.ApplicationListenerRule;
  private readonly openPorts = new Set<number>();

  constructor(scope: Construct, id: string, props: InternalLoadBalancerProps) {
    super(scope, id);
    const port = props.listenerPort ?? 80;
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Internal ALB of the gateway: reachable from the API Gateway VPC link only',
      allowAllOutbound: false,
    });
    this.securityGroup.addIngressRule(props.vpcLinkSecurityGroup, ec2.Port.tcp(port), 'From the API Gateway VPC link');
    props.vpcLinkSecurityGroup.addEgressRule(this.securityGroup, ec2.Port.tcp(port), 'To the internal ALB');

    this.tasksSecurityGroup = new ec2.SecurityGroup(this, 'TasksSecurityGroup', {
      vpc: props.vpc,
      description: 'Fargate tasks behind the internal ALB: reachable from the ALB only',
      allowAllOutbound: true,
    });

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      internetFacing: false,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroup: this.securityGroup,
      dropInvalidHeaderFields: true,
      desyncMitigationMode: elbv2.DesyncMitigationMode.DEFENSIVE,
    });
    this.listener = this.loadBalancer.addListener('Listener', {
      port,
      protocol: elbv2.ApplicationProtocol.HTTP,
      open: false,
      defaultAction: elbv2.ListenerAction.fixedResponse(404, {
        contentType: 'application/json',
        messageBody: '{"message":"Not Found"}',
      }),
    });
  }

  /**
   * Answers every request whose gateway-set service header matches `headerValue` (the preflight routes'
   * `OPTIONS <path>` route keys) with an empty 204: HTTP APIs have no mock integration, and a backend may
   * not answer OPTIONS with a 2xx. API Gateway adds the map's CORS headers to this answer.
   */
  answerPreflights(header: string, headerValue: string, priority: number): elbv2.ApplicationListenerRule {
    this.preflightRule ??= new elbv2.ApplicationListenerRule(this, 'PreflightRule', {
      listener: this.listener,
      priority,
      conditions: [elbv2.ListenerCondition.httpHeader(header, [headerValue])],
      action: elbv2.ListenerAction.fixedResponse(204),
    });
    return this.preflightRule;
  }

  /** Lets the ALB reach tasks on a container port; one rule pair per distinct port. */
  allowTasksPort(port: number): void {
    if (this.openPorts.has(port)) return;
    this.openPorts.add(port);
    this.tasksSecurityGroup.addIngressRule(this.securityGroup, ec2.Port.tcp(port), `From the internal ALB to port ${port}`);
    this.securityGroup.addEgressRule(this.tasksSecurityGroup, ec2.Port.tcp(port), `To tasks on port ${port}`);
  }
}
