/**
 * The package's public API (lib/index.ts, the package's `main`): the constructs and their props, the map's
 * types, validation and the plan, warning ids, the snapshot helper and `verify`. Internals (naming helpers,
 * zod schemas, AWS limit tables, the recorded-map codec) are not exported, so they can change in any release.
 */
import * as api from '../../lib';
import type {
  AlbTarget, ApiMetrics, AuthMode, AuthorizationType, AuthorizerPlan, BackendMetrics, CorsPlan, FargateBackendProps, FirewallPlan, FirewallRulePlan,
  FirewallTarget, FrontDoorProps, GatewayAlarmsProps, GatewayFirewallProps, GatewayFrontDoor, GatewayMonitoringProps, GatewayPlacement,
  GatewayPlan, GatewayThresholds, HttpCorsPlan, HttpFrontDoorProps, IntegrationPlan, InternalLoadBalancerProps, JwtAuthorizerFunctionProps, MapWarning,
  PathRewrite, PlanResult, QuotaUse, RestGatewayResponsesPlan, RestPreflightPlan, ResolvedManagedRuleGroup, ResolvedRateLimit, ResolvedService, ResolvedServiceMap, RestFrontDoorProps,
  RestStageTarget, RoutePlan, ServiceAlarmsProps, ServiceDefinition, ServiceGatewayProps, ServiceMap, ServicePlacement, ServicePlan,
  ServiceThresholds, SnapshotOptions, Throttle, ValidatedServiceMap, ValidateOptions, WarningRule, WebAclPlacement,
} from '../../lib';

// Type-only exports vanish at run time; naming them here makes `tsc -p tsconfig.test.json` fail when one goes.
export type PublicTypes = [
  AlbTarget, ApiMetrics, AuthMode, AuthorizationType, AuthorizerPlan, BackendMetrics, CorsPlan, FargateBackendProps, FirewallPlan, FirewallRulePlan,
  FirewallTarget, FrontDoorProps, GatewayAlarmsProps, GatewayFirewallProps, GatewayFrontDoor, GatewayMonitoringProps, GatewayPlacement,
  GatewayPlan, GatewayThresholds, HttpCorsPlan, HttpFrontDoorProps, IntegrationPlan, InternalLoadBalancerProps, JwtAuthorizerFunctionProps, MapWarning,
  PathRewrite, PlanResult, QuotaUse, RestGatewayResponsesPlan, RestPreflightPlan, ResolvedManagedRuleGroup, ResolvedRateLimit, ResolvedService, ResolvedServiceMap, RestFrontDoorProps,
  RestStageTarget, RoutePlan, ServiceAlarmsProps, ServiceDefinition, ServiceGatewayProps, ServiceMap, ServicePlacement, ServicePlan,
  ServiceThresholds, SnapshotOptions, Throttle, ValidatedServiceMap, ValidateOptions, WarningRule, WebAclPlacement,
];

describe('public API', () => {
  test('exports exactly the constructs, validation and plan functions, warning ids, snapshot helper and verify', () => {
    expect(Object.keys(api).sort()).toEqual([
      'FargateBackend', 'FrontDoorBase', 'GatewayAlarms', 'GatewayFirewall', 'GatewayMonitoring', 'HttpFrontDoor', 'InternalLoadBalancer',
      'JwtAuthorizerFunction', 'RestFrontDoor', 'ServiceAlarms', 'ServiceGateway', 'ServiceMapError',
      'WARNING_IDS', 'WARNING_ID_PREFIX', 'planGateway', 'serviceMapJsonSchema', 'snapshotTemplates', 'validateServiceMap', 'verify', 'warningId',
    ].sort());
  });

  test.each(['serviceMapSchema', 'checkServiceMap', 'targetGroupName', 'restPathRewrite', 'encodeRecordedMap', 'QUOTAS', 'GATEWAY_HEADERS', 'countTemplate', 'TemplateSizeCheck'])(
    'the internal %s is not exported',
    (name) => expect(api).not.toHaveProperty(name),
  );

  test('the exported functions work from the package entry point', () => {
    const map: ServiceMap = { name: 'shop', services: { orders: { path: '/orders', url: 'https://orders.example.com' } } };
    const { plan, problems } = api.planGateway(map);
    expect(problems).toEqual([]);
    expect(plan?.services.map((s) => s.name)).toEqual(['orders']);
    expect(() => api.validateServiceMap({ name: 'shop', services: {} })).toThrow(api.ServiceMapError);
    expect(api.WARNING_IDS.every((id) => id.startsWith(api.WARNING_ID_PREFIX))).toBe(true);
    expect(typeof api.verify.verifyStack).toBe('function');
  });
});
