/**
 * Prints a verify report as a plain-text table, one block per gateway, then a one-line verdict.
 */
import { textTable } from '../text-table';
import type { Row, Status } from './items';
import type { VerifyReport } from './verify';

const HEADINGS: Row = { item: 'ITEM', expected: 'EXPECTED', deployed: 'DEPLOYED', status: 'STATUS' as Status };
const STATUSES: readonly Status[] = ['ok', 'drift', 'missing', 'unexpected'];

export function formatTable(rows: readonly Row[]): string[] {
  return textTable([HEADINGS, ...rows].map((r) => [r.item, r.expected, r.deployed, r.status]));
}

export function formatReport(report: VerifyReport): string[] {
  const lines: string[] = [];
  for (const gateway of report.gateways) {
    const api = gateway.apiId ? `, API ${gateway.apiId}` : '';
    lines.push(`Gateway "${gateway.gatewayName}" (${gateway.frontDoor.toUpperCase()} front door${api}) in stack ${report.stackName}, map from ${report.mapSource}`);
    lines.push('');
    lines.push(...formatTable(gateway.rows));
    lines.push('');
    const counts = STATUSES.map((s) => `${gateway.rows.filter((r) => r.status === s).length} ${s}`);
    lines.push(`${gateway.rows.length} items: ${counts.join(', ')}`);
    for (const note of gateway.notChecked) lines.push(`Not checked: ${note}`);
    lines.push('');
  }
  const differing = report.gateways.flatMap((g) => g.rows).filter((r) => r.status !== 'ok').length;
  lines.push(differing === 0 ? 'Deployed state matches the service map.' : `Drift: ${differing} ${differing === 1 ? 'item differs' : 'items differ'} from the service map.`);
  return lines;
}

export function hasDrift(report: VerifyReport): boolean {
  return report.gateways.some((g) => g.rows.some((r) => r.status !== 'ok'));
}
