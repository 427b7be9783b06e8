/**
 * Reads NGINX configuration files into directives that carry their file and line.
 *
 * The tree comes from the `nginx-conf` parser. That parser accepts some broken files silently (a block
 * never closed, a stray "}", a directive without ";" before "}"), so a lexical pass here rejects those
 * with the line, and gives every directive its line: statements start in the same order as the
 * parser's pre-order walk.
 */
import { dirname, basename, resolve, sep } from 'node:path';
import { NginxParser, type NginxParseTreeNode } from 'nginx-conf/dist/src/parser';
import { ImportError } from './common';

export interface Directive {
  readonly name: string;
  readonly args: readonly string[];
  readonly file: string;
  readonly line?: number;
  readonly block?: Directive[];
}

export interface NginxFile {
  /** As named on the command line. */
  readonly file: string;
  readonly text: string;
}

/** Splits a directive's value into NGINX arguments, removing quotes. */
export function splitArgs(value: string): string[] {
  const args: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(\S+)/g;
  for (const m of value.matchAll(re)) args.push(m[1] ?? m[2] ?? m[3]);
  return args;
}

/**
 * Checks braces, quotes and semicolons and returns the line each statement starts on, in order.
 * Throws an ImportError naming the line of the first problem.
 */
function statementLines(file: string, text: string): number[] {
  const starts: number[] = [];
  const open: number[] = [];
  let line = 1;
  let inStatement = false;
  let statementLine = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      line++;
      continue;
    }
    if (c === '#' && !inStatementWord(text, i)) {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
      continue;
    }
    if (/\s/.test(c)) continue;
    if (c === '"' || c === "'") {
      const from = line;
      if (!inStatement) {
        inStatement = true;
        statementLine = line;
      }
      let j = i + 1;
      for (; j < text.length && text[j] !== c; j++) {
        if (text[j] === '\\') j++;
        if (text[j] === '\n') line++;
      }
      if (j >= text.length) throw new ImportError(file, from, `the string opened with ${c} is never closed`);
      i = j;
      continue;
    }
    if (c === '{') {
      if (!inStatement) throw new ImportError(file, line, 'a block "{" without a directive name before it');
      starts.push(statementLine);
      open.push(statementLine);
      inStatement = false;
      continue;
    }
    if (c === '}') {
      if (inStatement) throw new ImportError(file, statementLine, 'the directive is not terminated: missing ";" before "}"');
      if (open.length === 0) throw new ImportError(file, line, 'unexpected "}": no block is open here');
      open.pop();
      continue;
    }
    if (c === ';') {
      if (!inStatement) throw new ImportError(file, line, 'unexpected ";" without a directive');
      starts.push(statementLine);
      inStatement = false;
      continue;
    }
    if (!inStatement) {
      inStatement = true;
      statementLine = line;
    }
  }
  if (inStatement) throw new ImportError(file, statementLine, 'the directive is not terminated: missing ";" at the end of the file');
  if (open.length > 0) throw new ImportError(file, open[open.length - 1], 'the block opened here is never closed: missing "}"');
  return starts;
}

/** A "#" inside a word (e.g. a URL fragment) does not start a comment. */
function inStatementWord(text: string, i: number): boolean {
  return i > 0 && !/[\s;{}]/.test(text[i - 1]);
}

/** Parses one file (without following includes). */
export function parseNginxFile(f: NginxFile): Directive[] {
  const lines = statementLines(f.file, f.text);
  let tree: NginxParseTreeNode | undefined;
  let error: (Error & { line?: number }) | null = null;
  new NginxParser().parse(f.text, (err, t) => {
    error = err as never;
    tree = t;
  });
  if (error || !tree) {
    const e = error as (Error & { line?: number }) | null;
    throw new ImportError(f.file, e?.line, `not a valid NGINX configuration: ${e?.message ?? 'no configuration found'}`);
  }
  const nodes: NginxParseTreeNode[] = [];
  const walk = (n: NginxParseTreeNode) => {
    for (const c of n.children ?? []) {
      nodes.push(c);
      walk(c);
    }
  };
  walk(tree);
  // The lines line up with the parser's statements; if they do not (a construct the two read differently), leave lines out.
  const lineOf = new Map<NginxParseTreeNode, number>();
  if (nodes.length === lines.length) nodes.forEach((n, i) => lineOf.set(n, lines[i]));
  const convert = (n: NginxParseTreeNode): Directive => ({
    name: splitArgs(n.name)[0] ?? n.name,
    args: splitArgs(String(n.value ?? '')),
    file: f.file,
    line: lineOf.get(n),
    ...(n.isBlock ? { block: (n.children ?? []).map(convert) } : {}),
  });
  return (tree.children ?? []).map(convert);
}

/** A glob of NGINX's include (only * and ?) as a regular expression over a path. */
function globRegex(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`(^|/)${body}$`);
}

export interface IncludeResult {
  readonly directives: Directive[];
  /** Includes no given file matched, for the report. */
  readonly unresolved: Directive[];
  /** The file the others are included from. */
  readonly main: NginxFile;
}

/**
 * Parses the given files and splices every `include` that names one of them. The main file is the one no other
 * file includes (the first such on the command line). Includes are matched only against the given files:
 * nothing else is read.
 */
export function readNginx(files: readonly NginxFile[]): IncludeResult {
  const parsed = new Map(files.map((f) => [f.file, parseNginxFile(f)]));
  const includedBy = new Map<string, string>();
  const unresolved: Directive[] = [];
  const matches = (from: NginxFile, pattern: string): NginxFile[] => {
    const absolute = pattern.startsWith('/') ? pattern : resolve(dirname(resolve(from.file)), pattern);
    // Absolute patterns (/etc/nginx/conf.d/*.conf) name the source machine's folders: match their last two parts.
    const tail = absolute.split(sep).slice(-2).join('/');
    const exact = globRegex(absolute.split(sep).join('/'));
    const loose = globRegex(tail);
    const byName = globRegex(basename(pattern));
    return files.filter((f) => {
      if (f === from) return false;
      const p = resolve(f.file).split(sep).join('/');
      return exact.test(p) || loose.test(p) || (!pattern.includes('/') && byName.test(p));
    });
  };
  for (const f of files) {
    visit(parsed.get(f.file)!, (d) => {
      if (d.name !== 'include') return;
      for (const m of matches(f, d.args[0] ?? '')) if (!includedBy.has(m.file)) includedBy.set(m.file, f.file);
    });
  }
  const main = files.find((f) => !includedBy.has(f.file)) ?? files[0];
  const expand = (file: NginxFile, list: Directive[], seen: Set<string>): Directive[] =>
    list.flatMap((d) => {
      if (d.name === 'include') {
        const found = matches(file, d.args[0] ?? '').filter((m) => !seen.has(m.file)).sort((a, b) => a.file.localeCompare(b.file));
        if (found.length === 0) {
          // mime.types and friends hold no gateway settings; the report still names them.
          unresolved.push(d);
          return [d];
        }
        return found.flatMap((m) => expand(m, parsed.get(m.file)!, new Set([...seen, m.file])));
      }
      return d.block ? [{ ...d, block: expand(file, d.block, seen) }] : [d];
    });
  const directives = expand(main, parsed.get(main.file)!, new Set([main.file]));
  for (const f of files) {
    if (f !== main && !includedBy.has(f.file)) {
      throw new ImportError(f.file, undefined, `no include in ${main.file} names this file; give one nginx.conf and the files it includes`);
    }
  }
  return { directives, unresolved, main };
}

export function visit(list: readonly Directive[], fn: (d: Directive, parents: readonly Directive[]) => void, parents: readonly Directive[] = []): void {
  for (const d of list) {
    fn(d, parents);
    if (d.block) visit(d.block, fn, [...parents, d]);
  }
}
