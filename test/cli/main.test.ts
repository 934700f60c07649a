/**
 * CLI entry (`main(argv, io)` in-process): help, version, usage errors and exit statuses; plus
 * one real process (bin/tcpscope.ts under tsx) reading a capture from its real stdin, and the
 * built binary when dist/ exists (never built by the tests).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { FIXTURES, REPO, fixturePath } from '../helpers/fixture-captures.js';
import { runCli, type CliRun } from '../helpers/fake-cli-io.js';

const PKG = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
const STACK = /\n\s+at |\bat .+:\d+:\d+/;

/**
 * yargs prints --help / --version with console.log rather than through `io.stdout`; collect
 * both so the test holds either way.
 */
async function runCapturingConsole(argv: readonly string[]): Promise<CliRun & { all: string }> {
  const logged: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
    logged.push(a.map(String).join(' '));
  });
  try {
    const r = await runCli(argv);
    return { ...r, all: r.stdout + logged.join('\n') };
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('help and version', () => {
  test.each([
    [['--help'], ['packets', 'analyze']],
    [['-h'], ['packets', 'analyze']],
    [['packets', '--help'], ['--count', '--format', 'ndjson', '--nano']],
    [['analyze', '--help'], ['--format', 'json', '--verify-checksums']],
  ] as const)('%j → exit 0, usage names %j', async (argv, words) => {
    const r = await runCapturingConsole(argv);
    expect(r.code).toBe(0);
    expect(r.stderr).toEqual([]);
    for (const w of words) expect(r.all).toContain(w);
  });

  test('--version prints the package version', async () => {
    const r = await runCapturingConsole(['--version']);
    expect(r.code).toBe(0);
    expect(r.all.trim()).toBe(PKG.version);
  });
});

type UsageCase = readonly [what: string, argv: readonly string[], re: RegExp];

function expectOneLineUsageError(r: CliRun, re: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toHaveLength(1);
  expect(r.stderr[0]).toMatch(/^tcpscope: /);
  expect(r.stderr[0]).not.toContain('\n');
  expect(r.stderr[0]).toMatch(re);
  expect(r.stderr.join('\n')).not.toMatch(STACK);
}

describe('usage errors: exit 2, one line on stderr, no output, no stack trace', () => {
  const CASES: readonly UsageCase[] = [
    ['unknown command', ['frobnicate'], /frobnicate/],
    ['no command', [], /command/i],
    ["'-' twice", ['analyze', '-', '-'], /standard input/],
  ];
  test.each(CASES)('%s', async (_what, argv, re) => {
    expectOneLineUsageError(await runCli(argv), re);
  });

  // Usage errors inside a command stop before the command runs (nothing on stdout).
  // Note: `analyze --bogus FILE` would read FILE as the value of --bogus and complain about the
  // missing file first; `--bogus=1` shows the unknown-option message.
  const IN_COMMAND: readonly UsageCase[] = [
    ['missing file argument', ['packets'], /non-option arguments/],
    ['unknown option', ['analyze', '--bogus=1', fixturePath('keepalive.client.pcap')], /Unknown argument: bogus/],
    ['bad --format value', ['packets', '--format', 'xml', fixturePath('keepalive.client.pcap')], /Invalid values: Argument: format, Given: "xml"/],
  ];
  test.each(IN_COMMAND)('%s', async (_what, argv, re) => {
    expectOneLineUsageError(await runCli(argv), re);
  });
});

describe('a real process', () => {
  test('bin/tcpscope.ts under tsx reads its stdin: `packets - -c 3`', () => {
    const input = readFileSync(fixturePath('keepalive.client.pcap'));
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'bin', 'tcpscope.ts'), 'packets', '-', '-c', '3'], {
      input,
      encoding: 'utf8',
      env: { ...process.env, TZ: 'UTC' },
      cwd: REPO,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{6} IP 10\.201\.1\.1\.\d+ > 10\.201\.2\.1\.\d+: Flags \[S\], seq \d+, win \d+, options \[/);
  });

  const DIST = join(REPO, 'dist', 'bin', 'tcpscope.js');
  test.skipIf(!existsSync(DIST))('built dist/bin/tcpscope.js (skipped when not built: run npm run build)', () => {
    const v = spawnSync(process.execPath, [DIST, '--version'], { encoding: 'utf8' });
    expect(v.status).toBe(0);
    expect(v.stdout.trim()).toBe(PKG.version);
    const bad = spawnSync(process.execPath, [DIST, 'analyze', '/etc/passwd'], { encoding: 'utf8', cwd: FIXTURES });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/not a pcap/);
    expect(bad.stderr).not.toMatch(STACK);
  });
});
