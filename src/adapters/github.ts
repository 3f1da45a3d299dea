// GitHub reporting: step outputs, annotations and the job summary, all rendered from the report.

import * as core from '@actions/core'
import { toOutputs, type Finding, type Report } from '../core/report.ts'
import { renderSummary } from '../core/summary.ts'

export function publishOutputs(report: Report): void {
  for (const [name, value] of Object.entries(toOutputs(report))) core.setOutput(name, value)
}

export function publishAnnotations(findings: readonly Finding[]): void {
  for (const f of findings) {
    const props = { title: f.title }
    if (f.severity === 'error') core.error(f.message, props)
    else if (f.severity === 'warning') core.warning(f.message, props)
    else core.notice(f.message, props)
  }
}

/** Writes the job summary; outside a runner (no GITHUB_STEP_SUMMARY) it is printed instead. */
export async function publishSummary(report: Report): Promise<void> {
  const markdown = renderSummary(report)
  if (process.env['GITHUB_STEP_SUMMARY']) {
    await core.summary.addRaw(markdown).write()
  } else {
    core.info(markdown)
  }
}
