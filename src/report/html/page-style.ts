/** The report page's own stylesheet (uPlot's is inlined beside it). Plain CSS, no external fonts. */
export const PAGE_CSS = `
:root { --fg: #1b1b1b; --muted: #666; --line: #ddd; --warn: #fff4e5; --accent: #1f5fa8; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); margin: 0 auto; padding: 1em 1.5em 4em; max-width: 1500px; }
h1 { font-size: 1.5em; margin: 0.2em 0; }
h2 { font-size: 1.2em; margin: 0.2em 0 0.4em; }
header p, .facts, .hint { color: var(--muted); }
.hint { font-size: 0.9em; margin-left: 1em; }
a { color: var(--accent); }
a.top { font-size: 0.75em; font-weight: normal; margin-left: 1em; }
table.flows { border-collapse: collapse; width: 100%; font-size: 0.92em; }
table.flows th, table.flows td { border-bottom: 1px solid var(--line); padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
table.flows th { position: sticky; top: 0; background: #fafafa; }
table.flows tr.finding td:first-child { border-left: 3px solid #d62728; }
table.flows td:nth-child(3), table.flows td:nth-child(4), table.flows td:nth-child(6) { white-space: nowrap; }
section.flow { border-top: 2px solid var(--line); margin-top: 2em; padding-top: 0.8em; }
.headline { font-weight: 600; margin: 0.2em 0; }
.note { background: var(--warn); border-left: 3px solid #ff7f0e; padding: 0.3em 0.6em; margin: 0.4em 0; }
.controls { margin: 0.5em 0; }
.controls select, .controls button { font: inherit; margin-right: 0.6em; }
.plots { min-height: 100px; }
.plot { margin: 0.6em 0 1.2em; }
table.http { border-collapse: collapse; font-size: 0.9em; margin: 0.4em 0 1em; }
table.http th, table.http td { border-bottom: 1px solid var(--line); padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
table.http td.uri { word-break: break-all; max-width: 40em; }
table.http td.sha { font: 11px ui-monospace, SFMono-Regular, Menlo, monospace; word-break: break-all; max-width: 12em; }
h3 { font-size: 1em; margin: 0.6em 0 0.2em; }
.events ul { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; padding-left: 1.2em; }
.events li span { margin-right: 0.8em; }
.events .code { font-weight: 600; }
.events .detail { color: var(--muted); word-break: break-all; }
`;
