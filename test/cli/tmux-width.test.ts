/**
 * The terminal report in a real terminal: the built CLI runs inside tmux windows 80 and 160
 * columns wide (so `process.stdout.columns` and isTTY come from a real pty), and the captured
 * pane must hold the whole report with no line wrapped by the terminal. Skipped without tmux
 * or without a build (`npm run build`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO, fixturePath } from '../helpers/fixture-captures.js';

const BIN = join(REPO, 'dist', 'bin', 'tcpscope.js');
const hasTmux = spawnSync('sh', ['-c', 'command -v tmux'], { stdio: 'ignore' }).status === 0;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

describe.skipIf(!hasTmux || !existsSync(BIN))('tmux', () => {
  test.each([80, 160])('%i columns: nothing wider than the window, colours on', async (cols) => {
    const session = `tcpscope-${process.pid}-${cols}`;
    const files = ['slow-reader.client.pcap', 'bulk-loss-v6.client.pcapng', 'short-conns.client.pcap'].map(fixturePath);
    const cmd = `cd ${REPO} && node ${BIN} analyze --top 4 ${files.join(' ')}; echo __DONE__; sleep 30`;
    const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color' };
    delete env['NO_COLOR'];
    const start = spawnSync('tmux', ['-L', session, '-f', '/dev/null', 'new-session', '-d', '-s', session, '-x', String(cols), '-y', '400', cmd], { env });
    expect(start.status).toBe(0);
    try {
      let pane = '';
      for (let i = 0; i < 100 && !pane.includes('__DONE__'); i++) {
        await sleep(200);
        pane = spawnSync('tmux', ['-L', session, 'capture-pane', '-p', '-e', '-J', '-S', '-400', '-t', session], { encoding: 'utf8' }).stdout;
      }
      expect(pane).toContain('__DONE__');
      const plain = pane.replace(/\u001b\[[0-9;]*m/g, '');
      // -J joins lines the terminal wrapped: a joined line longer than the window was wrapped.
      const wide = plain.split('\n').filter((l) => [...l.trimEnd()].length > cols);
      expect(wide).toEqual([]);
      expect(plain).toContain('flows: 12');
      expect(plain).toMatch(/why \(diagnosis\.limitedBy\):/);
      expect(pane).toMatch(/\u001b\[/); // a real TTY: severities are coloured
    } finally {
      spawnSync('tmux', ['-L', session, 'kill-server']);
    }
  }, 30_000);
});
