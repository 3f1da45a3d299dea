// The verdict of a run, from its findings alone: pure, so main decides it once at the end.

import type { Finding, Report } from './report.ts'
import type { RunPlan } from './run-plan.ts'
import { planRun } from './run-plan.ts'
import type { Settings } from './settings.ts'

export interface Outcome {
  /** The findings as published: drift errors become warnings when drift does not fail the run. */
  readonly findings: Finding[]
  /** Whether anything drifted; undefined outside check mode. */
  readonly drift: boolean | undefined
  readonly outcome: 'success' | 'failure'
}

/** Pass, fail and drift. `plan` is undefined when the inputs were invalid (no plan was made). */
export function decideOutcome(
  findings: readonly Finding[],
  plan: Pick<RunPlan, 'differencesAreDrift' | 'failsOnDrift'> | undefined
): Outcome {
  let decided = [...findings]
  let drift: boolean | undefined
  if (plan?.differencesAreDrift) {
    drift = findings.some(f => f.drift === true)
    if (!plan.failsOnDrift) {
      decided = decided.map(f => (f.drift === true && f.severity === 'error' ? { ...f, severity: 'warning' } : f))
    }
  }
  return { findings: decided, drift, outcome: decided.some(f => f.severity === 'error') ? 'failure' : 'success' }
}

/** Applies decideOutcome to the report main has assembled (settings undefined: invalid inputs). */
export function finalizeOutcome(report: Report, settings: Pick<Settings, 'mode' | 'drift'> | undefined): void {
  const decided = decideOutcome(report.findings, settings === undefined ? undefined : planRun(settings))
  report.findings = decided.findings
  if (decided.drift !== undefined) report.drift = decided.drift
  report.outcome = decided.outcome
}
