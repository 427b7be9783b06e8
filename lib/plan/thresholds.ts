/**
 * Alarm thresholds: the map's values with their documented defaults, in one place. Data, not code:
 * the alarm builders only read what these return.
 */
import type { ResolvedService, ResolvedServiceMap } from '../service-map/schema';

export interface GatewayThresholds {
  readonly p99LatencyMs: number;
  readonly integrationP99LatencyMs: number;
  readonly error5xxPercent: number;
  /** Undefined: no 4xx alarm. */
  readonly error4xxPercent?: number;
  readonly authorizerP99DurationMs: number;
  readonly wafBlockedRequests: number;
}

export interface ServiceThresholds {
  readonly p99LatencyMs: number;
  readonly error5xxPercent: number;
  readonly cpuPercent: number;
  readonly memoryPercent: number;
  /** Running tasks below this page (the service's minimum). */
  readonly minTasks: number;
}

export function gatewayThresholds(map: ResolvedServiceMap): GatewayThresholds {
  const a = map.alarms;
  return {
    p99LatencyMs: a.apiP99LatencyMs,
    integrationP99LatencyMs: a.apiIntegrationP99LatencyMs ?? a.apiP99LatencyMs,
    error5xxPercent: a.api5xxPercent,
    error4xxPercent: a.api4xxPercent,
    authorizerP99DurationMs: a.authorizerP99DurationMs,
    wafBlockedRequests: a.wafBlockedRequests,
  };
}

export function serviceThresholds(map: ResolvedServiceMap, service: ResolvedService): ServiceThresholds {
  return {
    p99LatencyMs: service.alarms.p99LatencyMs ?? map.alarms.apiP99LatencyMs,
    error5xxPercent: service.alarms.error5xxPercent ?? map.alarms.api5xxPercent,
    cpuPercent: service.alarms.cpuPercent,
    memoryPercent: service.alarms.memoryPercent,
    minTasks: service.scaling.minTasks,
  };
}
