#!/usr/bin/env node
// Entry point of the `tcpscope` command: everything lives in src/cli/main.ts (after the heap
// settings of src/cli/heap.ts, which only the command itself applies, not the library).
import { main } from '../src/cli/main.js';
import { tuneHeap } from '../src/cli/heap.js';

tuneHeap();
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`tcpscope: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 2;
  },
);
