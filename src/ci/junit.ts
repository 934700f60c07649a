/**
 * JUnit XML of CI mode (`--junit FILE`, `--format junit`): one `<testsuite>` per capture, one
 * `<testcase>` per flow, a `<failure>` per matched `--fail-on` rule or baseline drift, and a
 * failing case for each baseline flow that is gone. The shape most CI systems read (Jenkins,
 * GitLab, GitHub test reporters): testsuites > testsuite > testcase > failure.
 */

export interface JunitCase {
  name: string;
  classname: string;
  /** Seconds (the flow's duration in packet time). */
  time: number;
  failures: { type: 'fail-on' | 'baseline'; message: string; detail: string }[];
}

export interface JunitSuite {
  name: string;
  cases: JunitCase[];
}

/** XML 1.0 text/attribute escaping; characters XML 1.0 cannot carry become U+FFFD. */
export function xmlEscape(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export function renderJunit(suites: readonly JunitSuite[]): string {
  const count = (s: JunitSuite): [number, number] => [s.cases.length, s.cases.filter((c) => c.failures.length > 0).length];
  const total = suites.reduce((a, s) => a + count(s)[0], 0);
  const failed = suites.reduce((a, s) => a + count(s)[1], 0);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="tcpscope" tests="${total}" failures="${failed}">`];
  for (const s of suites) {
    const [n, f] = count(s);
    out.push(`  <testsuite name="${xmlEscape(s.name)}" tests="${n}" failures="${f}" errors="0" skipped="0">`);
    for (const c of s.cases) {
      const head = `    <testcase classname="${xmlEscape(c.classname)}" name="${xmlEscape(c.name)}" time="${c.time.toFixed(6)}"`;
      if (c.failures.length === 0) {
        out.push(`${head}/>`);
        continue;
      }
      out.push(`${head}>`);
      for (const x of c.failures) out.push(`      <failure type="${x.type}" message="${xmlEscape(x.message)}">${xmlEscape(x.detail)}</failure>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}
