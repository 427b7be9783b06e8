export * from './service-map';
export * from './service-gateway';
export * from './front-door/http-front-door';
export * from './backends/internal-load-balancer';
export * from './backends/fargate-backend';
export * from './authorizer/jwt-authorizer';
export * from './recorded-map';
export { countTemplate } from './stack-quotas';
export * from './testing/snapshot';
