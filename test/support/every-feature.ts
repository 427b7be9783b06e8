import type { ServiceMap } from '../../lib/service-map/schema';

/** Every feature of the map on the REST front door (the HTTP variant differs by what REST adds). */
export const everyFeatureRest: ServiceMap = {
  name: 'full',
  frontDoor: 'rest',
  domain: { name: 'api.example.com', certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc', hostedZoneId: 'Z123', zoneName: 'example.com' },
  cors: { allowOrigins: ['https://a.example.com', 'https://b.example.com'], allowCredentials: true },
  network: { maxAzs: 3, natGateways: 2, loadBalancers: 2 },
  auth: { jwt: { issuer: 'https://id.example.com/', audience: ['full'] }, cacheTtlSeconds: 60 },
  rest: { stageName: 'v1', xrayTracing: true, cacheClusterSizeGb: '0.5' },
  firewall: {
    rateLimits: [{ name: 'per-ip', limit: 1000, key: 'ip' }, { name: 'per-key', limit: 500, key: 'header', headerName: 'x-api-key' }],
    managedRuleGroups: ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesAmazonIpReputationList'],
    blockedCountries: ['KP'],
    blockedIpCidrs: ['203.0.113.0/24', '2001:db8::/32'],
    allowedIpCidrs: ['198.51.100.0/24'],
  },
  usagePlans: { free: { rateLimit: 5, burstLimit: 10, quota: { limit: 1000, period: 'DAY' } } },
  apiKeys: { app: { plan: 'free' } },
  alarms: { email: ['ops@example.com'], api4xxPercent: 30 },
  services: {
    orders: {
      path: '/v2/orders',
      container: {
        image: 'public.ecr.aws/nginx/nginx:1.27',
        environment: { LOG_LEVEL: 'info' },
        secrets: { DB_PASSWORD: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf' },
      },
      scopes: ['orders:read'],
      cache: { ttlSeconds: 30 },
      rateLimits: [{ limit: 100, windowSeconds: 60 }],
      scaling: { minTasks: 2, maxTasks: 8, requestsPerTarget: 500 },
      loadBalancing: { algorithm: 'least_outstanding_requests', stickinessSeconds: 60 },
    },
    users: { path: '/v2/users', container: { image: 'public.ecr.aws/nginx/nginx:1.27', secrets: { TOKEN: 'arn:aws:ssm:eu-west-1:123456789012:parameter/users/token' } }, auth: 'apiKey', stripPrefix: true },
    legacy: { path: '/legacy', url: 'https://legacy.example.com/api', auth: 'none', stripPrefix: true, timeoutMs: 5000 },
  },
};
