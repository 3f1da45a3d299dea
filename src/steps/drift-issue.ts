// After a check: open, update or close the drift issue for this domain.

import type { DriftIssueReport, Report } from '../core/report.ts'
import type { Settings } from '../core/settings.ts'

export async function reportDriftIssue(report: Report, settings: Settings): Promise<DriftIssueReport> {
  throw new Error(`drift issues are not available in this build yet (${report.domain}, ${settings.mode})`)
}
