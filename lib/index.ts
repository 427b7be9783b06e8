// The public API: the constructs and their props, the service map's types, validation and the gateway plan,
// warning ids, the snapshot helper and `verify`. Everything else is internal and may change in any release;
// the project's own tests, bin/ and scripts import it by path.

// Constructs and their props.
export { ServiceGateway, type ServiceGatewayProps } from './service-gateway';
export { HttpFrontDoor, type HttpFrontDoorProps } from './front-door/http-front-door';
export { RestFrontDoor, type RestFrontDoorProps } from './front-door/rest-front-door';
export { FrontDoorBase, type FrontDoorProps, type GatewayFrontDoor, type PathRewrite, type WebAclPlacement } from './front-door/front-door-common';
export { InternalLoadBalancer, type InternalLoadBalancerProps } from './backends/internal-load-balancer';
export { FargateBackend, type FargateBackendProps } from './backends/fargate-backend';
export { GatewayFirewall, type GatewayFirewallProps, type AlbTarget, type FirewallTarget, type RestStageTarget } from './firewall';
export { GatewayMonitoring, type GatewayMonitoringProps } from './monitoring/gateway-monitoring';
export { GatewayAlarms, type GatewayAlarmsProps, type ApiMetrics } from './monitoring/gateway-alarms';
export { ServiceAlarms, type ServiceAlarmsProps } from './monitoring/service-alarms';
export type { BackendMetrics } from './monitoring/backend-metrics';
export type { GatewayThresholds, ServiceThresholds } from './plan/thresholds';
export { JwtAuthorizerFunction, type JwtAuthorizerFunctionProps } from './authorizer/jwt-authorizer';

// The service map.
export type { ServiceMap, ServiceDefinition, ResolvedServiceMap, ResolvedService, ResolvedRateLimit, ResolvedManagedRuleGroup } from './service-map/schema';
export { ServiceMapError, serviceMapJsonSchema, type ValidateOptions } from './service-map/validate';
export { WARNING_IDS, WARNING_ID_PREFIX, warningId, type MapWarning, type WarningRule } from './service-map/warnings';

// Validation and the gateway plan.
export { planGateway, validateServiceMap, type PlanResult, type ValidatedServiceMap } from './plan/plan-gateway';
export type { GatewayPlan, ServicePlan, RoutePlan, IntegrationPlan, LoadBalancerPlan, LoadBalancerHealthCheck } from './plan/gateway-plan';
export type { AuthorizerPlan } from './plan/authorizer';
export type { CorsPlan, HttpCorsPlan, RestGatewayResponsesPlan, RestPreflightPlan } from './plan/cors';
export type { FirewallPlan, FirewallRulePlan } from './plan/firewall';
export type { QuotaUse } from './plan/quotas';
export type { QuotaCheck } from './plan/quota-check';
export type { AuthMode, AuthorizationType, Throttle } from './plan/routes';
export type { GatewayPlacement, ServicePlacement } from './plan/placement';

// Testing and checking a deployment.
export { snapshotTemplates, type SnapshotOptions } from './testing/snapshot';
export * as verify from './verify';
