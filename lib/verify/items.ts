/**
 * The unit of comparison: a named thing with display-ready attributes. Both the map (expected) and AWS
 * (deployed) are reduced to items, so one comparison serves every AWS service.
 */

/** A thing that should exist, e.g. `route ANY /payment` with `{ auth: 'JWT', scopes: 'orders:read' }`. */
export interface Item {
  /** What the row is about, as an operator would name it. Unique within one comparison. */
  readonly item: string;
  /** Attribute name to a formatted value; compared as strings. Empty when only presence matters. */
  readonly attributes: Readonly<Record<string, string>>;
}

export type Status = 'ok' | 'drift' | 'missing' | 'unexpected';

/** One line of the verify table. */
export interface Row {
  readonly item: string;
  readonly expected: string;
  readonly deployed: string;
  readonly status: Status;
}

/** Shown for an attribute one side does not have. */
export const NOT_SET = '(not set)';
/** Shown in the column of the side where the item does not exist. */
export const ABSENT = '-';

export interface CompareOptions {
  /**
   * Whether deployed items the map does not describe are drift: all of them, none, or those the function picks.
   *
   * @default true
   */
  readonly reportUnexpected?: boolean | ((item: Item) => boolean);
}

/** Compares expected with deployed items, in the order of the expected items, extras last. */
export function compareItems(expected: readonly Item[], deployed: readonly Item[], options: CompareOptions = {}): Row[] {
  const byName = new Map(deployed.map((d) => [d.item, d]));
  const rows: Row[] = [];
  for (const want of expected) {
    const have = byName.get(want.item);
    byName.delete(want.item);
    if (!have) {
      rows.push({ item: want.item, expected: describeAttributes(want.attributes), deployed: ABSENT, status: 'missing' });
      continue;
    }
    const names = [...new Set([...Object.keys(want.attributes), ...Object.keys(have.attributes)])];
    const differing = names.filter((n) => (want.attributes[n] ?? NOT_SET) !== (have.attributes[n] ?? NOT_SET));
    if (differing.length === 0) {
      const text = describeAttributes(want.attributes);
      rows.push({ item: want.item, expected: text, deployed: text, status: 'ok' });
    } else {
      // Only the differing attributes: the row should point at what changed.
      rows.push({
        item: want.item,
        expected: describeAttributes(pick(want.attributes, differing)),
        deployed: describeAttributes(pick(have.attributes, differing)),
        status: 'drift',
      });
    }
  }
  const reportUnexpected = options.reportUnexpected ?? true;
  if (reportUnexpected !== false) {
    for (const extra of byName.values()) {
      if (reportUnexpected !== true && !reportUnexpected(extra)) continue;
      rows.push({ item: extra.item, expected: ABSENT, deployed: describeAttributes(extra.attributes), status: 'unexpected' });
    }
  }
  return rows;
}

export function describeAttributes(attributes: Readonly<Record<string, string>>): string {
  const entries = Object.entries(attributes);
  return entries.length === 0 ? 'present' : entries.map(([k, v]) => `${k}=${v}`).join(', ');
}

function pick(attributes: Readonly<Record<string, string>>, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, attributes[n] ?? NOT_SET]));
}

/** Formats a list the same way on both sides: sorted, so order never counts as drift. */
export function listValue(values: readonly string[] | undefined): string {
  return values && values.length > 0 ? [...values].sort().join(' ') : NOT_SET;
}

/** Formats an API Gateway throttle the same way on both sides. */
export function throttleValue(rateLimit: number | undefined, burstLimit: number | undefined): Record<string, string> {
  return {
    rate: rateLimit === undefined ? NOT_SET : `${rateLimit}/s`,
    burst: burstLimit === undefined ? NOT_SET : String(burstLimit),
  };
}

/** A number with its unit (`30 s`, `29000 ms`), or NOT_SET, the same way on both sides. */
export function unitValue(value: number | undefined, unit: string): string {
  return value === undefined ? NOT_SET : `${value} ${unit}`;
}

/**
 * Request parameter mappings as attributes: keyed by what they set (`header.x-gateway-user`, `path`),
 * valued by how, several values of one target joined. Header names are case-insensitive, so lower-cased.
 */
export function parameterValues(mappings: Iterable<readonly [target: string, how: string]>): Record<string, string> {
  const byTarget = new Map<string, string[]>();
  for (const [rawTarget, how] of mappings) {
    const target = rawTarget.startsWith('header.') ? rawTarget.toLowerCase() : rawTarget;
    byTarget.set(target, [...(byTarget.get(target) ?? []), how]);
  }
  return Object.fromEntries([...byTarget.keys()].sort().map((target) => [target, byTarget.get(target)!.sort().join('; ')]));
}
