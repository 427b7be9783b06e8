import type { IpSetKey } from '../../lib/firewall';
import { synthGateway } from '../support/gateway';
import { ruleOf, rulesOf, shopMap, STAGE_ARN, synthFirewall, webAclOf } from './helpers';

const FORBIDDEN = { Block: { CustomResponse: { ResponseCode: 403, CustomResponseBodyKey: 'forbidden' } } };
const CLIENT_IP = { HeaderName: 'x-gateway-client-ip', Position: 'FIRST' };

const lists = {
  allowedIpCidrs: ['203.0.113.0/24', '2001:db8::/32'],
  blockedIpCidrs: ['203.0.113.66/32'],
  blockedCountries: ['KP', 'IR'],
  rateLimits: [{ name: 'per-ip', limit: 2000 }],
  managedRuleGroups: ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesBotControlRuleSet'],
};

describe('IP and country lists on the ALB', () => {
  const gw = synthGateway(shopMap(lists));
  const arnOf = (key: IpSetKey) => ({ 'Fn::GetAtt': [gw.stack.resolve(gw.stack.getLogicalId(gw.gateway.firewall!.ipSets[key]!)), 'Arn'] });

  test('each list becomes IP sets, IPv4 and IPv6 apart, only for the families it holds', () => {
    gw.root.resourceCountIs('AWS::WAFv2::IPSet', 3);
    gw.root.hasResourceProperties('AWS::WAFv2::IPSet', { Name: 'shop-allowed-ipv4', Scope: 'REGIONAL', IPAddressVersion: 'IPV4', Addresses: ['203.0.113.0/24'] });
    gw.root.hasResourceProperties('AWS::WAFv2::IPSet', { Name: 'shop-allowed-ipv6', Scope: 'REGIONAL', IPAddressVersion: 'IPV6', Addresses: ['2001:db8::/32'] });
    gw.root.hasResourceProperties('AWS::WAFv2::IPSet', { Name: 'shop-blocked-ipv4', Scope: 'REGIONAL', IPAddressVersion: 'IPV4', Addresses: ['203.0.113.66/32'] });
  });

  test('with an allow list, a client address in neither allowed set is blocked with 403; the address is the gateway header, not the VPC link', () => {
    const rule = ruleOf(gw.root, 'IpAllowList');
    expect(rule.Action).toEqual(FORBIDDEN);
    expect(rule.Statement).toEqual({
      NotStatement: {
        Statement: {
          OrStatement: {
            Statements: (['allowed-ipv4', 'allowed-ipv6'] as const).map((key) => ({
              IPSetReferenceStatement: { Arn: arnOf(key), IPSetForwardedIPConfig: { ...CLIENT_IP, FallbackBehavior: 'NO_MATCH' } },
            })),
          },
        },
      },
    });
  });

  test('a blocked address gets 403', () => {
    const rule = ruleOf(gw.root, 'IpBlockList');
    expect(rule.Action).toEqual(FORBIDDEN);
    expect(rule.Statement).toEqual({ IPSetReferenceStatement: { Arn: arnOf('blocked-ipv4'), IPSetForwardedIPConfig: { ...CLIENT_IP, FallbackBehavior: 'MATCH' } } });
  });

  test('a blocked country (ISO alpha-2) gets 403, judged on the client address the gateway saw', () => {
    const rule = ruleOf(gw.root, 'CountryBlockList');
    expect(rule.Action).toEqual(FORBIDDEN);
    expect(rule.Statement).toEqual({ GeoMatchStatement: { CountryCodes: ['KP', 'IR'], ForwardedIPConfig: { HeaderName: 'x-gateway-client-ip', FallbackBehavior: 'MATCH' } } });
  });

  test('who may call is decided before any rate limit counts, managed groups last', () => {
    expect(rulesOf(gw.root).map((r) => [r.Priority, r.Name])).toEqual([
      [0, 'IpAllowList'],
      [1, 'IpBlockList'],
      [2, 'CountryBlockList'],
      [3, 'per-ip'],
      [4, 'AWSManagedRulesCommonRuleSet'],
      [5, 'AWSManagedRulesBotControlRuleSet'],
    ]);
  });

  test('managed rule groups run as rules named after the group, with their own actions', () => {
    expect(ruleOf(gw.root, 'AWSManagedRulesCommonRuleSet')).toMatchObject({
      OverrideAction: { None: {} },
      Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' } },
    });
    expect(ruleOf(gw.root, 'AWSManagedRulesCommonRuleSet').Action).toBeUndefined();
    expect(ruleOf(gw.root, 'AWSManagedRulesBotControlRuleSet').Statement.ManagedRuleGroupStatement).toEqual({
      VendorName: 'AWS',
      Name: 'AWSManagedRulesBotControlRuleSet',
      ManagedRuleGroupConfigs: [{ AWSManagedRulesBotControlRuleSet: { InspectionLevel: 'COMMON' } }],
    });
  });

  test('blocked clients get small JSON bodies: 429 for rate limits, 403 otherwise', () => {
    const bodies = webAclOf(gw.root).properties.CustomResponseBodies;
    expect(Object.keys(bodies).sort()).toEqual(['forbidden', 'rate-limited']);
    for (const body of Object.values<any>(bodies)) {
      expect(body.ContentType).toBe('APPLICATION_JSON');
      expect(JSON.parse(body.Content)).toEqual({ message: expect.any(String) });
    }
    expect(ruleOf(gw.root, 'per-ip').Action).toEqual({ Block: { CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: 'rate-limited' } } });
    expect(webAclOf(gw.root).properties.DefaultAction).toEqual({ Allow: {} });
  });
});

describe('IP and country lists on a REST stage', () => {
  const { template } = synthFirewall(shopMap({ ...lists, managedRuleGroups: ['AWSManagedRulesAmazonIpReputationList'] }, { frontDoor: 'rest' }), {
    kind: 'restStage',
    stageArn: STAGE_ARN,
  });

  test('lists judge the connection WAF sees there, with no forwarded-IP header', () => {
    const text = JSON.stringify([ruleOf(template, 'IpAllowList'), ruleOf(template, 'IpBlockList'), ruleOf(template, 'CountryBlockList')]);
    expect(text).toContain('IPSetReferenceStatement');
    expect(text).not.toContain('ForwardedIPConfig');
    expect(text).not.toContain('x-gateway-client-ip');
  });

  test('source-address managed groups work there (on the ALB they would only see the VPC link)', () => {
    expect(ruleOf(template, 'AWSManagedRulesAmazonIpReputationList').Statement.ManagedRuleGroupStatement.Name).toBe('AWSManagedRulesAmazonIpReputationList');
  });
});

describe('without lists', () => {
  test('no IP sets and no address or country rules', () => {
    const gw = synthGateway(shopMap({ managedRuleGroups: [] }));
    gw.root.resourceCountIs('AWS::WAFv2::IPSet', 0);
    expect(rulesOf(gw.root).map((r) => r.Name)).toEqual(['per-ip']);
  });
});
