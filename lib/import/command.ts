/**
 * `cdk-service-gateway import <file>... [-o map.yaml] [--name <gateway name>] [--env <name>] [--force]`:
 * reads NGINX, Kong or Copilot files, writes a service map that validates and a report beside it.
 * Reads only the files named; runs nothing they name; writes nothing unless everything succeeded.
 */
import { existsSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { Document } from 'yaml';
import { ServiceMapError } from '../service-map/validate';
import { validateServiceMap } from '../plan';
import { ImportError, dropOverlappingServices } from './common';
import { importCopilot } from './copilot';
import { importKong } from './kong';
import { importNginx } from './nginx';
import type { ImportOutcome } from './outcome';
import { renderReport, summarizeReport } from './report';
import { parseYamlSource, type YamlSource } from './yaml-source';

export const IMPORT_EXIT = { written: 0, invalidMap: 1, cannotImport: 2 } as const;

export const IMPORT_USAGE = `Usage: cdk-service-gateway import <file>... [-o map.yaml] [--name <gateway name>] [--env <name>] [--force]

Turns an existing gateway setup into a service map, and writes a report beside it that says what each
directive, plugin or field became, or why it has no equivalent and what comes nearest.

Reads any one of:
  an nginx.conf, with the files it includes given too      import nginx.conf conf.d/*.conf
  a Kong declarative config (_format_version 1.1, 2.1, 3.0) import kong.yml
  AWS Copilot Load Balanced Web Service manifests           import copilot/*/manifest.yml --env prod

Options:
  -o, --out <file>    Map to write, .yaml/.yml or .json (default: service-map.yaml); "-" prints the map.
                      The report goes beside it: map.yaml -> map.report.md
  --name <name>       Gateway name (lowercase letters, digits, hyphens; at most 20 characters)
  --env <name>        Copilot: apply this environment's overrides
  --force             Overwrite the map and report if they exist
  -h, --help          Show this help

Exit codes: 0 map written, 1 the input was read but makes no valid map (nothing written),
2 a file could not be read or parsed, or bad options (nothing written).
Credentials, keys and secrets in the files are never copied into the map, the report or this output.`;

export interface ImportIo {
  out(line: string): void;
  err(line: string): void;
}

export function runImport(argv: readonly string[], io: ImportIo): number {
  let values: { out?: string; name?: string; env?: string; force?: boolean; help?: boolean };
  let files: string[];
  try {
    const parsed = parseArgs({
      args: [...argv],
      options: {
        out: { type: 'string', short: 'o' },
        name: { type: 'string' },
        env: { type: 'string' },
        force: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    });
    values = parsed.values;
    files = parsed.positionals;
  } catch (err) {
    io.err(`${(err as Error).message}\n\n${IMPORT_USAGE}`);
    return IMPORT_EXIT.cannotImport;
  }
  if (values.help) {
    io.out(IMPORT_USAGE);
    return IMPORT_EXIT.written;
  }
  if (files.length === 0) {
    io.err(`Give at least one file to import.\n\n${IMPORT_USAGE}`);
    return IMPORT_EXIT.cannotImport;
  }
  const outFile = values.out ?? 'service-map.yaml';
  const toStdout = outFile === '-';
  const outExt = extname(outFile).toLowerCase();
  if (!toStdout && !['.yaml', '.yml', '.json'].includes(outExt)) {
    io.err(`-o ${outFile}: the map is written as YAML (.yaml, .yml) or JSON (.json)`);
    return IMPORT_EXIT.cannotImport;
  }
  const reportFile = toStdout ? undefined : join(dirname(outFile), `${basename(outFile, extname(outFile))}.report.md`);

  let outcome: ImportOutcome;
  try {
    outcome = importFiles(files, { name: values.name, env: values.env, outDir: toStdout ? undefined : dirname(outFile) });
  } catch (err) {
    if (err instanceof ImportError) {
      io.err(`cdk-service-gateway import: ${err.message}`);
      io.err('Nothing was written.');
      return IMPORT_EXIT.cannotImport;
    }
    throw err;
  }

  try {
    validateServiceMap(outcome.map);
  } catch (err) {
    if (!(err instanceof ServiceMapError)) throw err;
    io.err(`cdk-service-gateway import: the map made from ${files.join(', ')} does not validate:`);
    for (const p of err.problems) io.err(`  ${p}`);
    io.err('Nothing was written. Fix the source (or pass --name) and import again.');
    return IMPORT_EXIT.invalidMap;
  }

  const mapText = serializeMap(outcome, toStdout ? '.yaml' : outExt, reportFile);
  const reportText = renderReport(outcome.report, { format: outcome.format, sources: outcome.sources, mapFile: toStdout ? '(standard output)' : outFile });
  if (toStdout) {
    io.out(mapText.trimEnd());
    for (const line of summarizeReport(outcome.report)) io.err(line);
    return IMPORT_EXIT.written;
  }
  const existing = [outFile, reportFile!].filter((f) => existsSync(f));
  if (existing.length > 0 && !values.force) {
    io.err(`cdk-service-gateway import: ${existing.join(' and ')} already exist${existing.length === 1 ? 's' : ''}; pass --force to overwrite, or choose another -o. Nothing was written.`);
    return IMPORT_EXIT.cannotImport;
  }
  try {
    writeBoth([
      [outFile, mapText],
      [reportFile!, reportText],
    ]);
  } catch (err) {
    if (!(err instanceof ImportError)) throw err;
    io.err(`cdk-service-gateway import: ${err.message}. Nothing was written.`);
    return IMPORT_EXIT.cannotImport;
  }
  const count = Object.keys(outcome.map.services).length;
  io.out(`Wrote ${outFile} (${outcome.format}: ${count} service${count === 1 ? '' : 's'}) and ${reportFile}.`);
  for (const line of summarizeReport(outcome.report)) io.out(line);
  return IMPORT_EXIT.written;
}

/** Reads the files, tells their format, and runs the one importer for it. Throws ImportError. */
export function importFiles(files: readonly string[], options: { name?: string; env?: string; outDir?: string }): ImportOutcome {
  const sources = files.map((file) => {
    const text = readText(file);
    return { file, text, kind: detect(file, text) };
  });
  const kinds = [...new Set(sources.map((s) => s.kind.format))];
  if (kinds.length > 1) {
    throw new ImportError(files[0], undefined, `the files are of different kinds (${sources.map((s) => `${s.file}: ${s.kind.format}`).join(', ')}); import one kind at a time`);
  }
  if (options.env !== undefined && kinds[0] !== 'copilot') throw new ImportError(files[0], undefined, '--env applies to Copilot manifests only');
  const outcome = importKind(kinds[0], sources, options);
  dropOverlappingServices(outcome as never);
  if (Object.keys(outcome.map.services).length === 0) throw new ImportError(files[0], undefined, 'no service left to import');
  return outcome;
}

function importKind(kind: Detected['format'], sources: Array<{ file: string; text: string; kind: Detected }>, options: { name?: string; env?: string; outDir?: string }): ImportOutcome {
  switch (kind) {
    case 'nginx':
      return importNginx(sources, options);
    case 'kong':
      if (sources.length > 1) throw new ImportError(sources[1].file, undefined, 'give one Kong declarative config at a time');
      return importKong(sources[0].kind.yaml!, options);
    default:
      return importCopilot(
        sources.map((s) => s.kind.yaml!),
        options,
      );
  }
}

const WHAT_TO_GIVE = 'give an nginx.conf (and the files it includes), a Kong declarative config, or Copilot manifest.yml files';

/** A source file as text: UTF-8 without a byte-order mark. Binary, non-UTF-8 and empty files are errors that say so. */
function readText(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw new ImportError(file, undefined, `is a folder; ${WHAT_TO_GIVE} (e.g. copilot/*/manifest.yml)`);
    throw new ImportError(file, undefined, `cannot read the file (${code ?? (e as Error).message})`);
  }
  const lineAt = (offset: number) => bytes.subarray(0, offset).toString('latin1').split('\n').length;
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw new ImportError(file, lineAt(nul), `not a text file (a NUL byte at byte ${nul}); ${WHAT_TO_GIVE}`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    throw new ImportError(file, lineAt(bad), `not UTF-8 text (an invalid byte at byte ${bad}); save it as UTF-8, or ${WHAT_TO_GIVE}`);
  }
  // Editors on Windows may start a file with a byte-order mark.
  text = text.replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new ImportError(file, undefined, `the file is empty: nothing to import; ${WHAT_TO_GIVE}`);
  return text;
}

/** The offset of the byte that makes the file invalid UTF-8: the shortest invalid prefix, found by halving. */
function firstInvalidUtf8(bytes: Buffer): number {
  // In stream mode a sequence cut off at the end is still pending, not invalid, so validity only falls as the prefix grows.
  const valid = (n: number) => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, n), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  let lo = 0;
  let hi = bytes.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (valid(mid)) lo = mid;
    else hi = mid;
  }
  // The bad sequence may have started in a lead byte the valid prefix left pending (é in Latin-1 reads as one).
  for (let k = lo - 1; k >= Math.max(0, lo - 3); k--) {
    if (bytes[k] >= 0xc0) return k;
    if (bytes[k] < 0x80) break;
  }
  return hi - 1;
}

type Detected = { format: 'nginx' | 'kong' | 'copilot'; yaml?: YamlSource };

/** Kong and Copilot files are YAML or JSON mappings with a telling key; anything else is read as NGINX. */
function detect(file: string, text: string): Detected {
  const ext = extname(file).toLowerCase();
  const structured = ['.yml', '.yaml', '.json'].includes(ext);
  if (!structured && (ext === '.conf' || /^\s*[a-z_]+[^:\n]*[;{]\s*$/m.test(text))) return { format: 'nginx' };
  const yaml = parseYamlSource(file, text);
  const value = yaml.value;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    if ('_format_version' in o) return { format: 'kong', yaml };
    if ('type' in o || ('image' in o && 'http' in o)) return { format: 'copilot', yaml };
  }
  throw new ImportError(file, undefined, 'not an NGINX configuration, a Kong declarative config (no "_format_version") or a Copilot manifest (no "type")');
}

function serializeMap(outcome: ImportOutcome, ext: string, reportFile: string | undefined): string {
  if (ext === '.json') return `${JSON.stringify(outcome.map, null, 2)}\n`;
  const doc = new Document(outcome.map);
  const fill = outcome.report.placeholders.length;
  doc.commentBefore = [
    ` Service map imported from ${outcome.format} (${outcome.sources.join(', ')}) by cdk-service-gateway import.`,
    fill > 0 ? ` ${fill} value${fill === 1 ? '' : 's'} marked REPLACE-ME (or account 000000000000) must be filled in: see ${reportFile ? basename(reportFile) : 'the report'}.` : ' Every value was derived from the sources.',
  ].join('\n');
  return doc.toString({ lineWidth: 0 });
}

/** Writes each file through a temporary name and renames them only when every write succeeded. */
function writeBoth(files: ReadonlyArray<readonly [string, string]>): void {
  const temps: string[] = [];
  try {
    for (const [path, text] of files) {
      const temp = `${path}.${process.pid}.tmp`;
      writeFileSync(temp, text);
      temps.push(temp);
    }
    files.forEach(([path], i) => renameSync(temps[i], path));
  } catch (err) {
    for (const t of temps) if (existsSync(t)) unlinkSync(t);
    throw new ImportError(files[0][0], undefined, `cannot write (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}
