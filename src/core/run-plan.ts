// What a run will do, decided once from the settings: apply writes the record and waits for the
// nameservers; check writes nothing, reads each nameserver once and counts every difference as
// drift. The steps and main read this instead of testing the mode themselves.

import type { Mode, Settings } from './settings.ts'

export interface RunPlan {
  readonly mode: Mode
  /** The DNS record is written when it differs (apply); check mode writes nothing. */
  readonly writesRecord: boolean
  /** After a write, poll until every authoritative nameserver serves it (apply with wait-for-propagation). */
  readonly waitsForNameservers: boolean
  /** Read each authoritative nameserver once and report what differs (check with wait-for-propagation). */
  readonly readsNameserversOnce: boolean
  /** A difference from the inputs, or a failing step, is drift (check). */
  readonly differencesAreDrift: boolean
  /** Drift fails the run (check with fail-on-drift); otherwise drift errors become warnings. */
  readonly failsOnDrift: boolean
  /**
   * The one issue is opened, updated or closed (drift-issue): in check mode on drift, in apply
   * mode on any failure of a scheduled or manual run. Never from a pull request's run: its inputs
   * are a proposal, not the live state, and its token may not write issues.
   */
  readonly reportsDriftIssue: boolean
}

/** Events whose apply runs are the unattended ones an alert is for. */
const ALERTING_APPLY_EVENTS = new Set(['schedule', 'workflow_dispatch'])
const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target', 'pull_request_review', 'merge_group'])

/**
 * `propagation` may be left out where only the drift policy matters (no waiting then). `event`
 * is GITHUB_EVENT_NAME; undefined outside a runner (then check mode reports, apply does not).
 */
export function planRun(
  settings: Pick<Settings, 'mode' | 'drift'> & Partial<Pick<Settings, 'propagation'>>,
  event?: string
): RunPlan {
  const check = settings.mode === 'check'
  const wait = settings.propagation?.wait ?? false
  const pullRequest = event !== undefined && PULL_REQUEST_EVENTS.has(event)
  const alerting = check ? !pullRequest : event !== undefined && ALERTING_APPLY_EVENTS.has(event)
  return {
    mode: settings.mode,
    writesRecord: !check,
    waitsForNameservers: !check && wait,
    readsNameserversOnce: check && wait,
    differencesAreDrift: check,
    failsOnDrift: check && settings.drift.failOnDrift,
    reportsDriftIssue: settings.drift.openIssue && alerting
  }
}
