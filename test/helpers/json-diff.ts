/** Readable differences between two JSON values: one line per differing path. */
export function jsonDiff(expected: unknown, actual: unknown, path = '$', out: string[] = [], max = 40): string[] {
  if (out.length >= max) return out;
  if (Object.is(expected, actual)) return out;
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  if (Array.isArray(expected) && Array.isArray(actual)) {
    for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
      if (i >= expected.length) out.push(`${path}[${i}]: unexpected ${JSON.stringify(actual[i])}`);
      else if (i >= actual.length) out.push(`${path}[${i}]: missing (expected ${JSON.stringify(expected[i])})`);
      else jsonDiff(expected[i], actual[i], `${path}[${i}]`, out, max);
      if (out.length >= max) break;
    }
    return out;
  }
  if (isObj(expected) && isObj(actual) && !Array.isArray(expected) && !Array.isArray(actual)) {
    for (const k of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
      if (!(k in actual)) out.push(`${path}.${k}: missing (expected ${JSON.stringify(expected[k])})`);
      else if (!(k in expected)) out.push(`${path}.${k}: unexpected ${JSON.stringify(actual[k])}`);
      else jsonDiff(expected[k], actual[k], `${path}.${k}`, out, max);
      if (out.length >= max) break;
    }
    return out;
  }
  out.push(`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  return out;
}
