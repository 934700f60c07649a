/**
 * Colours of the terminal report: only when standard output is a terminal and `NO_COLOR` is
 * not set (https://no-color.org), through picocolors. Without colour every function returns its
 * text unchanged, so the plain report (pipes, files, tests) has no escape codes.
 */
import pc from 'picocolors';

export interface Palette {
  enabled: boolean;
  /** Text coloured by severity rank (3 error, 2 warning, 1 note, 0 chat). */
  severity(rank: number, text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

/** Colour on a TTY unless NO_COLOR is set (to anything non-empty) or TERM is dumb. */
export function wantColor(isTty: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['TERM'] === 'dumb') return false;
  return isTty;
}

export function palette(enabled: boolean): Palette {
  const c = pc.createColors(enabled);
  const bySeverity = [c.dim, c.cyan, c.yellow, (s: string) => c.bold(c.red(s))];
  return {
    enabled,
    severity: (rank, text) => (bySeverity[rank] ?? c.reset)(text),
    bold: c.bold,
    dim: c.dim,
  };
}
