/** Plain-text columns, each as wide as its widest cell, two spaces apart; the last column is not padded. */
export function textTable(rows: ReadonlyArray<readonly string[]>): string[] {
  const widths = rows.reduce<number[]>((w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)), []);
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd());
}
