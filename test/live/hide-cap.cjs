/**
 * Preload (`node --require test/live/hide-cap.cjs ...`) that makes the optional `cap` binding
 * unavailable the way a machine without it sees it: resolving 'cap' searches only an empty
 * directory, so Node throws its own "Cannot find module 'cap'" (MODULE_NOT_FOUND). With
 * HIDE_CAP=libpcap, loading fails as when libpcap's shared library is missing instead.
 */
'use strict';
const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, isMain, options) {
  if (request === 'cap') {
    if (process.env.HIDE_CAP === 'libpcap') throw new Error('libpcap.so.0.8: cannot open shared object file: No such file or directory');
    return resolve.call(this, request, parent, isMain, { ...options, paths: ['/nonexistent-tcpscope-test'] });
  }
  return resolve.call(this, request, parent, isMain, options);
};
