/**
 * CI-mode options of `tcpscope analyze` (yargs values) → `CiOptions`, or undefined when none
 * was given. Bad rules, tolerances or combinations are usage errors (exit 2, one line).
 */
import { UsageError } from '../core/errors.js';
import { DEFAULT_TOLERANCES, parseTolerance } from '../ci/baseline.js';
import { FailRuleError, parseFailOn, thresholdRules } from '../ci/fail-rules.js';
import type { CiOptions } from '../ci/gate.js';

export interface CiArgs {
  failOn?: string[] | undefined;
  maxRttMs?: number | undefined;
  maxRetransRate?: number | undefined;
  perFlowDir?: string | undefined;
  markdown?: boolean | undefined;
  baseline?: string | undefined;
  updateBaseline?: boolean | undefined;
  countTolerance?: string | undefined;
  timeTolerance?: string | undefined;
}

export function ciOptions(a: CiArgs): CiOptions | undefined {
  const given = a.failOn !== undefined || a.maxRttMs !== undefined || a.maxRetransRate !== undefined || a.perFlowDir !== undefined || a.baseline !== undefined;
  if (a.updateBaseline === true && a.baseline === undefined) throw new UsageError('--update-baseline needs --baseline DIR');
  if (a.markdown === true && a.perFlowDir === undefined && a.baseline === undefined) throw new UsageError('--markdown needs --per-flow-dir DIR (or --baseline DIR)');
  if (!given) return undefined;
  try {
    const rules = [...parseFailOn(a.failOn ?? []), ...thresholdRules(a.maxRttMs, a.maxRetransRate)];
    const count = a.countTolerance !== undefined ? parseTolerance(a.countTolerance, DEFAULT_TOLERANCES.count, 'count') : DEFAULT_TOLERANCES.count;
    const time = a.timeTolerance !== undefined ? parseTolerance(a.timeTolerance, DEFAULT_TOLERANCES.time, 'time') : DEFAULT_TOLERANCES.time;
    return {
      rules,
      perFlowDir: a.perFlowDir ?? null,
      markdown: a.markdown ?? false,
      baselineDir: a.baseline ?? null,
      updateBaseline: a.updateBaseline ?? false,
      tolerances: { count, time },
    };
  } catch (e) {
    if (e instanceof FailRuleError || e instanceof Error) throw new UsageError(e.message);
    throw e;
  }
}
