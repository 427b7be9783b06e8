/**
 * One shape for every AWS quota the gateway counts: the count against its limit (a row of the plan's quota
 * table) and what is said when the count passes the limit, worded from that same count. Placement and the
 * web ACL capacity define their quotas with `checkQuota`; validation reports the warnings and problems, the
 * plan lists the uses, so a quota's count and its message cannot drift apart. Pure TypeScript, no CDK import.
 */
import { mapWarning, type MapWarning, type WarningRule } from '../service-map/warnings';

/** One AWS quota the gateway uses, counted once, against its limit. */
export interface QuotaUse {
  /** The quota's name in Service Quotas or the AWS documentation; warnings quote it. */
  readonly quota: string;
  /** Which resource it is counted on: `HTTP API`, `REST API`, `ALB 0`, `account`, `web ACL`. */
  readonly scope: string;
  /** What is counted, when it is not simply what is there now (`at the deployment peak`). */
  readonly counted?: string;
  readonly used: number;
  readonly limit: number;
  /** `adjustable`: raise it in Service Quotas; `hard`: AWS cannot raise it. */
  readonly kind: 'adjustable' | 'hard';
}

/** A quota's use and what is said of it: nothing within the limit. */
export interface QuotaCheck extends QuotaUse {
  /** Past an adjustable quota: synth goes on, and the quota is to be raised before deploying. */
  readonly warnings: readonly MapWarning[];
  /** Past a hard limit: synth stops. */
  readonly problems: readonly string[];
}

/** How a quota is reported when exceeded: an adjustable quota as a warning of `rule`, a hard limit as a problem. */
export type QuotaReport = { readonly rule: WarningRule; readonly message: (use: QuotaUse) => string } | { readonly problem: (use: QuotaUse) => string };

/** The check of one quota use: `report` words it from the use's own count and limit, only when the count passes the limit. */
export function checkQuota(use: QuotaUse, report?: QuotaReport): QuotaCheck {
  const over = use.used > use.limit && report !== undefined;
  return {
    ...use,
    warnings: over && 'rule' in report ? [mapWarning(report.rule, report.message(use))] : [],
    problems: over && 'problem' in report ? [report.problem(use)] : [],
  };
}

/** The table row of a check (its use, without the findings). */
export function quotaUse(check: QuotaUse): QuotaUse {
  const { quota, scope, counted, used, limit, kind } = check;
  return { quota, scope, ...(counted !== undefined ? { counted } : {}), used, limit, kind };
}
