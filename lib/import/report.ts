/**
 * The migration report: every source directive, plugin or field, and what it became in the map
 * (or why it has no equivalent and what comes nearest). Nothing in it is copied from a credential.
 */

/** Where in the source a line of the report comes from. */
export interface SourceRef {
  /** The file as the user named it on the command line. */
  readonly file: string;
  /** 1-based line, when known. */
  readonly line?: number;
}

export interface ReportEntry {
  readonly at: SourceRef;
  /** The directive, plugin or field, with any secret-bearing value left out. */
  readonly item: string;
  /** Map fields it became; empty when nothing carries it over. */
  readonly fields: readonly string[];
  /** How it was mapped (the arithmetic), or why there is no equivalent. */
  readonly note: string;
  /** The nearest option in the map or on AWS, for items with no equivalent. */
  readonly nearest?: string;
}

/** A value the source cannot give, written into the map so that it validates, to be replaced by the user. */
export interface Placeholder {
  readonly field: string;
  readonly value: string;
  readonly fill: string;
}

/** Value markers: every placeholder contains REPLACE-ME or the all-zero account. */
export const PLACEHOLDER = {
  certificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/REPLACE-ME',
  issuer: 'https://replace-me.invalid/',
  audience: 'REPLACE-ME',
  image: (service: string) => `REPLACE-ME/${service}:latest`,
  account: '000000000000',
  region: 'us-east-1',
} as const;

export class ImportReport {
  readonly entries: ReportEntry[] = [];
  readonly placeholders: Placeholder[] = [];

  /** The item became these map fields. */
  mapped(at: SourceRef, item: string, fields: string | readonly string[], note = ''): void {
    this.entries.push({ at, item, fields: typeof fields === 'string' ? [fields] : [...fields], note });
  }

  /** The item has no equivalent in the map. */
  none(at: SourceRef, item: string, why: string, nearest: string): void {
    this.entries.push({ at, item, fields: [], note: why, nearest });
  }

  placeholder(field: string, value: string, fill: string): void {
    if (!this.placeholders.some((p) => p.field === field)) this.placeholders.push({ field, value, fill });
  }

  get carried(): ReportEntry[] {
    return this.entries.filter((e) => e.fields.length > 0);
  }

  get notCarried(): ReportEntry[] {
    return this.entries.filter((e) => e.fields.length === 0);
  }
}

export function refText(at: SourceRef): string {
  return at.line === undefined ? at.file : `${at.file}:${at.line}`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** The report as Markdown, written beside the map. */
export function renderReport(report: ImportReport, o: { format: string; sources: readonly string[]; mapFile: string }): string {
  // Source order: by file as given, then line; lines without a place come last, in the order they were found.
  const order = (e: ReportEntry) => [o.sources.indexOf(e.at.file), e.at.line ?? Number.MAX_SAFE_INTEGER] as const;
  const sorted = (list: ReportEntry[]) =>
    list
      .map((e, i) => ({ e, i }))
      .sort((a, b) => order(a.e)[0] - order(b.e)[0] || order(a.e)[1] - order(b.e)[1] || a.i - b.i)
      .map(({ e }) => e);
  const lines: string[] = [
    `# Import report: ${o.format} to service map`,
    '',
    `Sources: ${o.sources.map((s) => `\`${s}\``).join(', ')}. Map: \`${o.mapFile}\`.`,
    '',
    `${report.carried.length} carried over, ${report.notCarried.length} with no equivalent, ${report.placeholders.length} placeholder${report.placeholders.length === 1 ? '' : 's'} to fill in.`,
    'Credentials, keys and secrets in the sources are never copied into the map or this report.',
    '',
    '## Fill in before deploying',
    '',
  ];
  if (report.placeholders.length === 0) lines.push('Nothing: every value was derived from the sources.');
  else {
    lines.push('| map field | placeholder | what to put there |', '|---|---|---|');
    for (const p of report.placeholders) lines.push(`| \`${p.field}\` | \`${cell(p.value)}\` | ${cell(p.fill)} |`);
  }
  lines.push('', '## Carried over', '', '| source | item | map field | how |', '|---|---|---|---|');
  for (const e of sorted(report.carried)) lines.push(`| ${refText(e.at)} | \`${cell(e.item)}\` | ${e.fields.map((f) => `\`${f}\``).join(', ')} | ${cell(e.note)} |`);
  lines.push('', '## No equivalent', '', '| source | item | why | nearest option |', '|---|---|---|---|');
  for (const e of sorted(report.notCarried)) lines.push(`| ${refText(e.at)} | \`${cell(e.item)}\` | ${cell(e.note)} | ${cell(e.nearest ?? '')} |`);
  lines.push('');
  return lines.join('\n');
}

/** A few lines for the terminal: counts, the placeholders, and each item not carried over. */
export function summarizeReport(report: ImportReport): string[] {
  const out = [`${report.carried.length} carried over, ${report.notCarried.length} with no equivalent, ${report.placeholders.length} to fill in.`];
  if (report.placeholders.length > 0) {
    out.push('Fill in before deploying:');
    for (const p of report.placeholders) out.push(`  ${p.field}: ${p.fill}`);
  }
  if (report.notCarried.length > 0) {
    out.push('No equivalent (see the report for why and the nearest option):');
    for (const e of report.notCarried) out.push(`  ${refText(e.at)} ${e.item}`);
  }
  return out;
}
