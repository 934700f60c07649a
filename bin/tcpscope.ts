#!/usr/bin/env node
// Entry point of the `tcpscope` command: everything lives in src/cli/main.ts.
import { main } from '../src/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`tcpscope: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 2;
  },
);
