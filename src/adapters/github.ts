// GitHub reporting: the log, step outputs, annotations and the job summary, all rendered from the
// report. This is the publishing edge: every text that leaves the action goes through here, is
// redacted (core/redact.ts) and escaped for its sink (core/escape.ts).

import * as core from '@actions/core'
import { logText, visibleControls } from '../core/escape.ts'
import { createRedactor, redactDeep, type Redactor } from '../core/redact.ts'
import { toOutputs, type Finding, type Report } from '../core/report.ts'
import { renderSummary } from '../core/summary.ts'
import { planAnnotations, type AnnotationKind } from '../core/annotations.ts'

let redactor: Redactor = text => text
let secretValues: readonly string[] = []

/** Sets the secret values every sink hides from now on (the action's secret inputs). */
export function useSecrets(values: readonly (string | undefined)[]): void {
  secretValues = values.filter((v): v is string => v !== undefined && v !== '')
  redactor = createRedactor(secretValues)
}

/**
 * Adds a secret made during the run (a key, a PFX, its password): masked in the log from now on
 * (each line of a multi-line value too) and redacted from every sink.
 */
export function addSecrets(...values: readonly string[]): void {
  for (const value of values) {
    if (value === '') continue
    core.setSecret(value)
    for (const line of value.split('\n')) {
      if (line.trim().length >= 8 && !line.startsWith('-----')) core.setSecret(line.trim())
    }
  }
  useSecrets([...secretValues, ...values])
}

/** The values given to useSecrets, for a sink rendered elsewhere (the drift issue). */
export function publishedSecrets(): readonly string[] {
  return secretValues
}

export function redact(text: string): string {
  return redactor(text)
}

/** A copy of the report with every secret removed; what outputs, summary and issue are made from. */
export function redactReport(report: Report): Report {
  return redactDeep(report, redactor)
}

/** A log line: redacted, and no line of it can start a workflow command. */
export function info(text: string): void {
  core.info(logText(redactor(text)))
}

/** Annotations written so far in this step, per kind: GitHub shows only 10 of each (core/annotations.ts). */
const annotated: Record<AnnotationKind, number> = { error: 0, warning: 0, notice: 0 }
/** Set when the outputs could not be written: main fails the step once more for it. */
let outputsFailed = false

/** The title of an annotation that has no finding behind it. */
const ACTION_TITLE = 'ldaps-dns-action'

/**
 * Annotation text: redacted, then escaped for the log like every other line (the annotation is a
 * log line too). @actions/core escapes its line breaks, so it cannot start a command; logText
 * breaks any `##[` in it and shows control characters.
 */
function annotationText(text: string): string {
  return logText(redactor(text))
}

/** A warning annotation. */
export function warning(text: string, title: string = ACTION_TITLE): void {
  annotated.warning++
  core.warning(annotationText(text), { title: annotationText(title) })
}

/**
 * The step's failure: one titled ::error:: line and exit code 1, as core.setFailed does (which
 * gives the annotation no title).
 */
export function fail(text: string, title = `${ACTION_TITLE} failed`): void {
  process.exitCode = 1 // core.ExitCode.Failure; @github/local-action's stand-in for core has no ExitCode
  annotated.error++
  core.error(annotationText(text), { title: annotationText(title) })
}

/**
 * Sets every output, from the redacted report: each string value in it is redacted before it is
 * formatted, so `report` stays valid JSON whatever a secret looks like (`false`, `300`). Scalar
 * outputs show control characters escaped (a later step that writes one into GITHUB_ENV with
 * echo cannot be made to set a second variable).
 */
export function publishOutputs(report: Report): void {
  // Each output on its own, so one that cannot be written does not take the others with it.
  let failure: unknown
  for (const [name, value] of Object.entries(toOutputs(redactReport(report)))) {
    try {
      core.setOutput(name, name === 'report' ? value : visibleControls(value))
    } catch (error) {
      failure ??= error
    }
  }
  if (failure !== undefined) {
    outputsFailed = true
    throw failure
  }
}

/**
 * One titled annotation per finding, within GitHub's 10 per kind and step: room is kept for the
 * annotations already written and for the failure message(s) main writes after these (one when
 * any error is among the findings, one more when the outputs could not be written), so the
 * failure always shows; past the limit, the last of a kind says how many more the summary has.
 */
export function publishAnnotations(findings: readonly Finding[]): void {
  const failures = (findings.some(f => f.severity === 'error') ? 1 : 0) + (outputsFailed ? 1 : 0)
  const reserved = { ...annotated, error: annotated.error + failures }
  for (const a of planAnnotations(findings, { reserved })) {
    const props = { title: annotationText(a.title) }
    const message = annotationText(a.message)
    annotated[a.kind]++
    if (a.kind === 'error') core.error(message, props)
    else if (a.kind === 'warning') core.warning(message, props)
    else core.notice(message, props)
  }
}

/** Writes the job summary; outside a runner (no GITHUB_STEP_SUMMARY) it is printed instead. */
export async function publishSummary(report: Report): Promise<void> {
  const markdown = redactor(renderSummary(redactReport(report)))
  if (process.env['GITHUB_STEP_SUMMARY']) {
    await core.summary.addRaw(markdown).write()
  } else {
    core.info(logText(markdown))
  }
}

/**
 * The last resort for an error nothing else caught: one ::error:: naming it, exit code 1, and
 * the stack only in a debug run (RUNNER_DEBUG=1), never as a raw trace.
 */
export function failUnexpected(error: unknown, during?: string): void {
  const message = error instanceof Error ? error.message : String(error)
  process.exitCode = 1
  try {
    core.error(
      annotationText(`ldaps-dns-action stopped on an unexpected error${during ? ` ${during}` : ''}: ${message}`),
      {
        title: `${ACTION_TITLE}: unexpected error`
      }
    )
    debugStack(error)
  } catch {
    // stdout itself failed: nothing left to report to.
  }
}

/** The stack of an error, in a debug run only (RUNNER_DEBUG=1): for the maintainers, not the log. */
export function debugStack(error: unknown): void {
  if (process.env['RUNNER_DEBUG'] === '1' && error instanceof Error && error.stack !== undefined) {
    core.debug(annotationText(error.stack))
  }
}
