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
  /** The drift issue is opened, updated or closed (check with drift-issue). */
  readonly reportsDriftIssue: boolean
}

/** `propagation` may be left out where only the drift policy matters (no waiting then). */
export function planRun(settings: Pick<Settings, 'mode' | 'drift'> & Partial<Pick<Settings, 'propagation'>>): RunPlan {
  const check = settings.mode === 'check'
  const wait = settings.propagation?.wait ?? false
  return {
    mode: settings.mode,
    writesRecord: !check,
    waitsForNameservers: !check && wait,
    readsNameserversOnce: check && wait,
    differencesAreDrift: check,
    failsOnDrift: check && settings.drift.failOnDrift,
    reportsDriftIssue: check && settings.drift.openIssue
  }
}
