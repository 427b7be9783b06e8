import { Annotations, ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { ResolvedServiceMap } from '../service-map/schema';
import { warningId } from '../service-map/warnings';
import { CUSTOM_RESPONSE_BODIES } from '../plan/firewall-rules/block-responses';
import { validationError } from '../construct-errors';
import { planFirewall, withIpSetArns, type FirewallPlan } from '../plan/firewall';
import type { IpSetKey } from '../plan/firewall-rules/ip-and-geo-rules';
import type { FirewallTarget } from '../plan/firewall-rules/target';
import { visibility } from '../plan/firewall-rules/web-acl-rules';

export interface GatewayFirewallProps {
  /** The validated map: its `firewall` block, each service's `rateLimits`, its name and log retention. */
  readonly map: ResolvedServiceMap;
  /**
   * What the web ACL protects: every internal ALB (HTTP front door; HTTP APIs cannot carry a web ACL),
   * or the REST API stage (REST front door).
   */
  readonly target: FirewallTarget;
  /**
   * The web ACL as the gateway plan has it (`GatewayPlan.firewall`): its rules, IP sets, body inspection
   * limit and capacity verdict are rendered from there, never worked out again.
   *
   * @default - planned from `map` (`planFirewall`)
   */
  readonly plan?: FirewallPlan;
}

/** Request headers WAF logs never show: credentials. */
export const REDACTED_HEADERS = ['authorization', 'x-api-key'] as const;

/**
 * The gateway's WAF web ACL: address and country lists, rate limits keyed on what clients cannot forge,
 * per-service limits scoped to their service, AWS managed rule groups; associated with the target, with
 * logs (credentials redacted) and metrics for every rule.
 */
export class GatewayFirewall extends Construct {
  readonly webAcl: wafv2.CfnWebACL;
  /** The IP sets of the allow and block lists, IPv4 and IPv6 apart; only those the lists need. */
  readonly ipSets: Readonly<Partial<Record<IpSetKey, wafv2.CfnIPSet>>>;
  /** One per ALB, or one for the REST stage. */
  readonly associations: readonly wafv2.CfnWebACLAssociation[];
  /** `aws-waf-logs-<gateway>`: WAF requires the prefix. */
  readonly logGroup: logs.LogGroup;
  readonly loggingConfiguration: wafv2.CfnLoggingConfiguration;
  /** Web ACL capacity units the rules need. */
  readonly capacity: number;
  /** Name of the web ACL, also its metric name (the `WebACL` dimension of its metrics). */
  readonly webAclName: string;
  /** KB of a request body the web ACL inspects (`FirewallPlan.bodyInspectionLimitKb`). */
  readonly bodyInspectionLimitKb: number;

  constructor(scope: Construct, id: string, props: GatewayFirewallProps) {
    super(scope, id);
    const { map, target } = props;
    const planned = props.plan ?? planFirewall(map);
    if (planned.target.kind !== target.kind) {
      throw validationError(this, `GatewayFirewall: the plan puts the web ACL on ${planned.target.kind === 'alb' ? 'the ALBs' : 'the REST stage'}, the target given is ${target.kind === 'alb' ? 'ALBs' : 'a REST stage'}; give the plan of this gateway's map`);
    }
    this.webAclName = planned.webAclName;
    this.bodyInspectionLimitKb = planned.bodyInspectionLimitKb;

    const ipSets: Partial<Record<IpSetKey, wafv2.CfnIPSet>> = {};
    for (const spec of planned.ipSets) {
      ipSets[spec.key] = new wafv2.CfnIPSet(this, `IpSet-${spec.key}`, {
        name: `${map.name}-${spec.key}`,
        // Descriptions allow letters, digits, spaces and = : # @ / - , . only.
        description: `${map.name} gateway: ${spec.key.startsWith('allowed') ? 'the only addresses allowed to call' : 'addresses blocked'}, ${spec.ipAddressVersion}`,
        scope: 'REGIONAL',
        ipAddressVersion: spec.ipAddressVersion,
        addresses: [...spec.addresses],
      });
    }
    this.ipSets = ipSets;

    const rules = withIpSetArns(planned.ruleProperties, (key) => ipSets[key]!.attrArn);
    const { capacity } = planned;
    this.capacity = capacity.wcu;
    if (capacity.problem) throw validationError(this, capacity.problem);
    if (capacity.warning) Annotations.of(this).addWarningV2(warningId('waf-capacity'), capacity.warning);

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: this.webAclName,
      description: `${map.name} gateway, cdk-service-gateway: ${target.kind === 'alb' ? 'on the internal ALBs' : 'on the REST API stage'}`,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      customResponseBodies: CUSTOM_RESPONSE_BODIES,
      // Said explicitly on a REST stage, where it can be chosen; an ALB takes no such setting.
      ...(target.kind === 'restStage'
        ? { associationConfig: { requestBody: { API_GATEWAY: { defaultSizeInspectionLimit: `KB_${this.bodyInspectionLimitKb}` } } } }
        : {}),
      visibilityConfig: visibility(this.webAclName),
      rules,
    });

    const arns = target.kind === 'alb' ? target.loadBalancerArns : [target.stageArn];
    this.associations = arns.map(
      (resourceArn, i) => new wafv2.CfnWebACLAssociation(this, target.kind === 'alb' ? `Association${i}` : 'StageAssociation', { resourceArn, webAclArn: this.webAcl.attrArn }),
    );

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `aws-waf-logs-${map.name}`,
      retention: map.logs.retentionDays as logs.RetentionDays,
    });
    this.loggingConfiguration = new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      // The log group's ARN without the ":*" that `logGroupArn` carries: WAF rejects that form.
      logDestinationConfigs: [
        Stack.of(this).formatArn({ service: 'logs', resource: 'log-group', resourceName: this.logGroup.logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
      ],
      redactedFields: REDACTED_HEADERS.map((name) => ({ singleHeader: { Name: name } })),
    });
  }

  /** Logical id of the web ACL in its stack (the `verify` tool finds it by this id). */
  get webAclLogicalId(): string {
    const stack = Stack.of(this);
    return stack.resolve(stack.getLogicalId(this.webAcl));
  }

  /**
   * Requests the web ACL blocked: all of them, or one rule's (`rule`: a rule name, e.g. a rate rule's or
   * a managed rule group's).
   *
   * @default - sum over 5 minutes, every rule
   */
  metricBlockedRequests(options: cloudwatch.MetricOptions & { readonly rule?: string } = {}): cloudwatch.Metric {
    return this.metric('BlockedRequests', options);
  }

  /** Requests the web ACL let through: all of them, or one rule's (see `metricBlockedRequests`). */
  metricAllowedRequests(options: cloudwatch.MetricOptions & { readonly rule?: string } = {}): cloudwatch.Metric {
    return this.metric('AllowedRequests', options);
  }

  private metric(metricName: string, options: cloudwatch.MetricOptions & { readonly rule?: string }): cloudwatch.Metric {
    const { rule, ...metricOptions } = options;
    return new cloudwatch.Metric({
      namespace: 'AWS/WAFV2',
      metricName,
      dimensionsMap: { WebACL: this.webAclName, Region: Stack.of(this).region, Rule: rule ?? 'ALL' },
      statistic: cloudwatch.Stats.SUM,
      period: Duration.minutes(5),
      ...metricOptions,
    });
  }
}
