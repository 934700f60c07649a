/**
 * The plotting library's code and style, read from its npm package at run time and inlined in
 * the report, so the HTML works offline (no CDN). uPlot (MIT, ~51 KB minified, no
 * dependencies) is a runtime dependency in package.json: `npm pack` ships it as a dependency,
 * not inside tcpscope's own `files`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface PlotLibrary {
  /** The IIFE build: defines the global `uPlot`. */
  js: string;
  css: string;
  version: string;
}

let cached: PlotLibrary | null = null;

/** uPlot's browser build and stylesheet (read once per process). */
export function plotLibrary(): PlotLibrary {
  if (cached !== null) return cached;
  const require = createRequire(import.meta.url);
  const js = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8');
  const css = readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
  const pkg = JSON.parse(readFileSync(require.resolve('uplot/package.json'), 'utf8')) as { version?: unknown };
  cached = { js, css, version: typeof pkg.version === 'string' ? pkg.version : 'unknown' };
  return cached;
}
