import { createRequire } from 'node:module';

/** The package version, read once from package.json (works from src/ under tsx and from dist/). */
export const VERSION: string = (() => {
  const require = createRequire(import.meta.url);
  for (const rel of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = require(rel) as { name?: string; version?: string };
      if (pkg.name === 'tcpscope' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // try the next location
    }
  }
  return '0.0.0';
})();
