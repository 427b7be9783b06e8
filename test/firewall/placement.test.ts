import { planGateway } from '../../lib/plan';
import { resourcesOf, synthGateway } from '../support/gateway';
import { ruleOf, shopMap, STAGE_ARN, synthFirewall, webAclOf } from './helpers';

describe('placement: HTTP front door', () => {
  const gw = synthGateway(shopMap({}, { network: { loadBalancers: 2 } }));

  test('the web ACL is created in the root stack and associated with every internal ALB', () => {
    const { logicalId } = webAclOf(gw.root);
    const albs = resourcesOf(gw.root, 'AWS::ElasticLoadBalancingV2::LoadBalancer').map(([id]) => id);
    expect(albs).toHaveLength(2);
    const associations = resourcesOf(gw.root, 'AWS::WAFv2::WebACLAssociation').map(([, a]) => a.Properties);
    expect(associations).toHaveLength(2);
    for (const a of associations) expect(a.WebACLArn).toEqual({ 'Fn::GetAtt': [logicalId, 'Arn'] });
    expect(associations.map((a) => a.ResourceArn.Ref).sort()).toEqual([...albs].sort());
    expect(webAclOf(gw.root).properties.Scope).toBe('REGIONAL');
  });

  test('the escape hatches expose the web ACL and its associations', () => {
    const firewall = gw.gateway.firewall!;
    expect(gw.root.toJSON().Resources[firewall.webAclLogicalId].Type).toBe('AWS::WAFv2::WebACL');
    expect(firewall.webAcl.scope).toBe('REGIONAL');
    expect(firewall.associations).toHaveLength(2);
  });

  test('the record verify reads names the web ACL by its logical id', () => {
    const [, api] = resourcesOf(gw.root, 'AWS::ApiGatewayV2::Api')[0] as any;
    expect(api.Metadata['cdk-service-gateway'].webAclLogicalId).toBe(webAclOf(gw.root).logicalId);
  });
});

describe('placement: REST front door', () => {
  test('GatewayFirewall on its own protects the stage ARN it is given', () => {
    const { template } = synthFirewall(shopMap({}, { frontDoor: 'rest' }), { kind: 'restStage', stageArn: STAGE_ARN });
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { ResourceArn: STAGE_ARN, WebACLArn: { 'Fn::GetAtt': [webAclOf(template).logicalId, 'Arn'] } });
  });

  test('ServiceGateway associates its REST stage, once the stage exists, and scopes by the stage-prefixed path', () => {
    const gw = synthGateway(shopMap({ rateLimits: [] }, { frontDoor: 'rest', rest: { stageName: 'live' }, services: { orders: { path: '/orders', container: { image: 'nginx:1.27' }, rateLimits: [{ limit: 100 }] } } }));
    const [stageId] = resourcesOf(gw.root, 'AWS::ApiGateway::Stage')[0];
    const [[, association]] = resourcesOf(gw.root, 'AWS::WAFv2::WebACLAssociation');
    expect(JSON.stringify(association.Properties.ResourceArn)).toMatch(/::\/restapis\/.*\/stages\/live"/);
    expect(association.DependsOn).toContain(stageId);
    const scope = ruleOf(gw.root, 'svc-orders-ip-100-per-300s').Statement.RateBasedStatement.ScopeDownStatement.OrStatement.Statements;
    expect(scope.map((s: any) => s.ByteMatchStatement.SearchString)).toEqual(['/live/orders', '/live/orders/']);
    gw.root.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 1);
    expect(JSON.stringify(resourcesOf(gw.root, 'AWS::WAFv2::WebACLAssociation'))).not.toContain('LoadBalancer');
  });

  test('behind a custom domain (execute-api URL off) the path WAF sees has no stage (a plan decision: no synth)', () => {
    const domain = { name: 'api.example.com', certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' };
    const { plan } = planGateway(shopMap({ rateLimits: [] }, { frontDoor: 'rest', domain, services: { orders: { path: '/orders', container: { image: 'nginx:1.27' }, rateLimits: [{ limit: 100 }] } } }));
    expect(plan!.firewall!.target).toEqual({ kind: 'restStage', pathPrefix: '' });
    const rule = plan!.firewall!.ruleProperties.find((r) => r.name === 'svc-orders-ip-100-per-300s') as any;
    expect(rule.statement.rateBasedStatement.scopeDownStatement.orStatement.statements.map((s: any) => s.byteMatchStatement.searchString)).toEqual(['/orders', '/orders/']);
  });
});

describe('firewall.enabled: false', () => {
  const gw = synthGateway(shopMap({ enabled: false, blockedIpCidrs: ['198.51.100.0/24'], blockedCountries: ['KP'] }));

  test('creates no web ACL, IP set, association, logging or WAF log group', () => {
    for (const type of ['AWS::WAFv2::WebACL', 'AWS::WAFv2::IPSet', 'AWS::WAFv2::WebACLAssociation', 'AWS::WAFv2::LoggingConfiguration']) gw.root.resourceCountIs(type, 0);
    gw.root.resourcePropertiesCountIs('AWS::Logs::LogGroup', { LogGroupName: 'aws-waf-logs-shop' }, 0);
    expect(gw.gateway.firewall).toBeUndefined();
  });

  test('and records no web ACL for verify', () => {
    const [, api] = resourcesOf(gw.root, 'AWS::ApiGatewayV2::Api')[0] as any;
    expect(api.Metadata['cdk-service-gateway']).not.toHaveProperty('webAclLogicalId');
  });
});
