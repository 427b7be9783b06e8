import type { CommandOutput } from '../../lib/verify';

export interface Captured extends CommandOutput {
  readonly stdout: string[];
  readonly stderr: string[];
}

export function capture(): Captured {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

/** The table line of an item: its name, then at least two spaces (columns are padded). */
export function tableRow(lines: readonly string[], item: string): string | undefined {
  return lines.flatMap((l) => l.split('\n')).find((l) => l.startsWith(`${item}  `));
}

/** The status column (the last word) of an item's row. */
export function statusOf(lines: readonly string[], item: string): string | undefined {
  return tableRow(lines, item)?.trim().split(/\s+/).pop();
}

/** Sets environment variables for the duration of a test file, restoring them afterwards. */
export function withEnv(vars: Record<string, string | undefined>): () => void {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}
