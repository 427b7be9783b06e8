/**
 * A source's health-check settings -> the map's `container.healthCheck`, always a valid one.
 * Ranges and defaults are read from the map's own schema (healthCheckSchema), so they cannot drift from validation.
 * Each value is clamped into its range, and the fields that only work together (timeout below interval, a grace
 * period long enough for healthyThresholdCount x intervalSeconds) are adjusted, each change with a note.
 */
import { z } from 'zod';
import { healthCheckSchema } from '../service-map/schema';

export type HealthCheckField = 'intervalSeconds' | 'timeoutSeconds' | 'healthyThresholdCount' | 'unhealthyThresholdCount' | 'gracePeriodSeconds';
export type HealthCheckValues = Partial<Record<HealthCheckField, number>> & { successCodes?: string };

export interface FittedHealthCheck {
  /** Only the fields the source set, or that had to change so that the whole check validates. */
  readonly value: HealthCheckValues;
  /** Per field: how its value was adjusted ("" when carried over as is). */
  readonly notes: Partial<Record<keyof HealthCheckValues, string>>;
}

const shape = (healthCheckSchema as unknown as { shape: Record<string, z.ZodDefault<z.ZodNumber>> }).shape;

/** The map's range and default of a numeric health-check field. */
export function healthCheckRange(field: HealthCheckField): { min: number; max: number; default: number } {
  const number = shape[field].unwrap();
  return { min: number.minValue ?? 0, max: number.maxValue ?? Number.MAX_SAFE_INTEGER, default: shape[field].parse(undefined) as number };
}

/** Whether the map accepts this success-code matcher ("200", "200,204", "200-299"). */
export function isSuccessCodes(text: string): boolean {
  return (shape.successCodes as unknown as z.ZodType).safeParse(text).success;
}

/**
 * Codes (from a list such as Kong's http_statuses) as an ALB matcher: consecutive codes become ranges.
 * Codes outside 200-499 (the ALB's range) are returned apart.
 */
export function successCodesFrom(codes: readonly number[]): { matcher?: string; dropped: number[] } {
  const usable = [...new Set(codes.filter((c) => Number.isInteger(c) && c >= 200 && c <= 499))].sort((a, b) => a - b);
  const dropped = codes.filter((c) => !usable.includes(c));
  const parts: string[] = [];
  for (let i = 0; i < usable.length; ) {
    let j = i;
    while (j + 1 < usable.length && usable[j + 1] === usable[j] + 1) j++;
    parts.push(j === i ? String(usable[i]) : `${usable[i]}-${usable[j]}`);
    i = j + 1;
  }
  return { matcher: parts.length ? parts.join(',') : undefined, dropped };
}

/** Clamps each given value to the map's range and makes the fields agree; never returns an invalid check. */
export function fitHealthCheck(given: HealthCheckValues): FittedHealthCheck {
  const value: HealthCheckValues = {};
  const notes: FittedHealthCheck['notes'] = {};
  for (const field of ['intervalSeconds', 'timeoutSeconds', 'healthyThresholdCount', 'unhealthyThresholdCount', 'gracePeriodSeconds'] as const) {
    const v = given[field];
    if (v === undefined) continue;
    const { min, max } = healthCheckRange(field);
    const whole = Math.round(v);
    const clamped = Math.min(max, Math.max(min, whole));
    value[field] = clamped;
    notes[field] = whole !== clamped ? `${v} is outside the map's range ${min} to ${max}: ${clamped}` : whole !== v ? `${v} rounded to whole ${field.endsWith('Seconds') ? 'seconds' : 'checks'}: ${clamped}` : '';
  }
  if (given.successCodes !== undefined) {
    value.successCodes = given.successCodes;
    notes.successCodes = '';
  }
  // Fields that only work together, with the map's defaults for those the source left out.
  const eff = (f: HealthCheckField) => value[f] ?? healthCheckRange(f).default;
  if (eff('timeoutSeconds') >= eff('intervalSeconds')) {
    const timeout = eff('intervalSeconds') - 1;
    const from = eff('timeoutSeconds');
    value.timeoutSeconds = timeout;
    notes.timeoutSeconds = `${notes.timeoutSeconds ? `${notes.timeoutSeconds}; then ` : ''}${from} s is not below the ${eff('intervalSeconds')} s interval (an ALB check times out before the next starts): ${timeout} s`;
  }
  const toHealthy = eff('healthyThresholdCount') * eff('intervalSeconds');
  if (eff('gracePeriodSeconds') < toHealthy) {
    const from = eff('gracePeriodSeconds');
    value.gracePeriodSeconds = toHealthy;
    notes.gracePeriodSeconds = `${notes.gracePeriodSeconds ? `${notes.gracePeriodSeconds}; then ` : ''}${from} s is shorter than the ${toHealthy} s a new task needs to pass (healthyThresholdCount ${eff('healthyThresholdCount')} x interval ${eff('intervalSeconds')} s): ${toHealthy} s; add the container's start-up time`;
  }
  return { value, notes };
}
