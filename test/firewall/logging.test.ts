import { synthGateway } from '../support/gateway';
import { rulesOf, shopMap, webAclOf } from './helpers';

describe('WAF logs and metrics', () => {
  const gw = synthGateway(
    shopMap(
      { blockedCountries: ['KP'], rateLimits: [{ name: 'per-ip', limit: 2000 }] },
      { logs: { retentionDays: 90 }, services: { orders: { path: '/orders', container: { image: 'nginx:1.27' }, rateLimits: [{ limit: 100 }] } } },
    ),
  );
  const [[logGroupId, logGroup]] = Object.entries(gw.root.findResources('AWS::Logs::LogGroup', { Properties: { LogGroupName: 'aws-waf-logs-shop' } }));
  const [[, logging]] = Object.entries(gw.root.findResources('AWS::WAFv2::LoggingConfiguration'));

  test('logs go to a log group named aws-waf-logs-<gateway>, kept for the map\'s retention', () => {
    expect(logGroup.Properties.RetentionInDays).toBe(90);
  });

  test('the logging configuration points at that log group by its bare ARN (WAF rejects the ":*" form)', () => {
    expect(logging.Properties.ResourceArn).toEqual({ 'Fn::GetAtt': [webAclOf(gw.root).logicalId, 'Arn'] });
    const destination = JSON.stringify(logging.Properties.LogDestinationConfigs);
    expect(logging.Properties.LogDestinationConfigs).toHaveLength(1);
    expect(destination).toContain(':log-group:');
    expect(destination).toContain(`{"Ref":"${logGroupId}"}`);
    expect(destination).not.toContain(':*');
  });

  test('credentials never reach the logs: the authorization header (and API keys) are redacted', () => {
    expect(logging.Properties.RedactedFields).toEqual(expect.arrayContaining([{ SingleHeader: { Name: 'authorization' } }, { SingleHeader: { Name: 'x-api-key' } }]));
  });

  test('metrics and sampled requests are on for the web ACL and for every rule, each under its own name', () => {
    const on = { CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true };
    expect(webAclOf(gw.root).properties.VisibilityConfig).toEqual({ ...on, MetricName: 'shop-gateway' });
    const rules = rulesOf(gw.root);
    expect(rules.length).toBe(5);
    for (const rule of rules) expect(rule.VisibilityConfig).toEqual({ ...on, MetricName: rule.Name });
  });

  test('metricBlockedRequests() reads the web ACL\'s metrics, for all rules or one', () => {
    const firewall = gw.gateway.firewall!;
    const all = firewall.metricBlockedRequests();
    expect(all.namespace).toBe('AWS/WAFV2');
    expect(all.metricName).toBe('BlockedRequests');
    expect(all.dimensions).toEqual({ WebACL: webAclOf(gw.root).properties.VisibilityConfig.MetricName, Region: 'eu-west-1', Rule: 'ALL' });
    expect(firewall.metricBlockedRequests({ rule: 'per-ip' }).dimensions).toMatchObject({ Rule: 'per-ip' });
  });
});
