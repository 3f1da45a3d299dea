// Steps 1 and 2 as a run does them (plan, then write unless in check mode), for provider tests
// that drive a real provider against its stand-in.

import type { DnsProvider } from '../../src/adapters/providers/provider.ts'
import { createReport } from '../../src/core/report.ts'
import type { Settings } from '../../src/core/settings.ts'
import { planDnsChange, writeDnsChange } from '../../src/steps/dns-record.ts'

export async function upsert(provider: DnsProvider, settings: Settings) {
  const report = createReport({
    domain: settings.domain,
    ip: settings.ip,
    mode: settings.mode,
    provider: settings.provider.kind,
    now: new Date()
  })
  const step1 = await planDnsChange(settings, provider)
  report.record = step1.part.record
  report.findings.push(...step1.findings)
  const { planned } = step1
  const step2 = settings.mode === 'apply' ? await writeDnsChange(provider, planned) : undefined
  // Main reports a failed write as a finding; provider tests want the error itself.
  if (step2?.ok === false) throw step2.error
  if (step2 !== undefined) report.record = step2.result.part.record
  return { report, planned, changeId: step2?.result.write?.changeId }
}
