// Step 3: wait until every authoritative nameserver serves the record (apply), or read each one
// once and report drift (check).

import type { Report } from '../core/report.ts'
import type { Settings } from '../core/settings.ts'
import type { DnsProvider, WriteResult } from '../adapters/providers/provider.ts'

export interface PropagationContext {
  readonly settings: Settings
  readonly report: Report
  /** The zone the provider found, when a provider was used. */
  readonly zone: string | undefined
  readonly provider: DnsProvider | undefined
  /** The write's result; undefined when nothing was written. */
  readonly write: WriteResult | undefined
}

export async function checkPropagation(context: PropagationContext): Promise<void> {
  throw new Error(`propagation checks are not available in this build yet (${context.settings.domain})`)
}
