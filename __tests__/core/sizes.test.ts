// Size bounds of what the action publishes (core, pure): the job summary under GitHub's 1 MiB a
// step, the `report` output under 1 MB, each cut visibly with the verdict and failures first.

import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createReport, MAX_REPORT_OUTPUT_BYTES, reportJson, toOutputs, type Finding } from '../../src/core/report.ts'
import { finalizeOutcome } from '../../src/core/outcome.ts'
import { boundSummary, MAX_SUMMARY_BYTES, renderSummary } from '../../src/core/summary.ts'
import { reportExample } from '../fixtures/report-example.ts'

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8')

/** A report with `count` warnings of ~200 bytes and, found last, one error. */
function crowdedReport(count: number) {
  const report = createReport({
    domain: 'ldaps.contoso100.com',
    ip: '192.0.2.10',
    mode: 'apply',
    provider: 'none',
    now: new Date('2026-12-06T00:00:00Z')
  })
  for (let i = 0; i < count; i++) {
    report.findings.push({
      severity: 'warning',
      step: 'entra',
      title: `Managed domain health alert AADDS${i}`,
      message: `contoso100.com reports health alert AADDS${i} (${'ü'.repeat(60)}) for replica set West US; see https://aka.ms/aadds-alert-${i}`
    })
  }
  const error: Finding = {
    severity: 'error',
    step: 'certificate',
    title: 'Certificate not trusted',
    message: 'the last word'
  }
  report.findings.push(error)
  finalizeOutcome(report, undefined)
  return report
}

describe('job summary size', () => {
  it('a summary over 1 MiB is cut below the bound, the verdict and the error first, with a visible note', () => {
    const report = crowdedReport(20_000)
    const summary = renderSummary(report)
    assert.ok(bytes(summary) <= MAX_SUMMARY_BYTES, `${bytes(summary)} bytes`)
    assert.ok(MAX_SUMMARY_BYTES < 1024 * 1024)
    assert.match(summary, /✂️ \*\*Summary cut\*\*: it was [\d,]+ bytes, over GitHub's limit of 1 MiB/)
    const firstFinding = summary.split('\n').find(l => l.startsWith('- '))
    assert.match(firstFinding ?? '', /Certificate not trusted\*\*: the last word/)
    assert.ok(summary.startsWith('### '), 'the verdict heading stays first')
  })

  it('a summary within the bound is left as it is', () => {
    const summary = renderSummary(crowdedReport(10))
    assert.doesNotMatch(summary, /Summary cut/)
  })

  it('one line longer than the bound is cut inside, at a character; an open <details> is closed', () => {
    const cut = boundSummary(
      `### verdict\n\n<details><summary>x</summary>\n\n${'é'.repeat(3_000_000)}\n\n</details>\n`,
      10_000
    )
    assert.ok(bytes(cut) <= 10_000, `${bytes(cut)}`)
    assert.ok(!cut.includes('\ufffd'), 'no character split')
    assert.match(cut, /é…\n<\/details>\n\n---\n\n✂️ \*\*Summary cut\*\*/)
  })
})

describe('report output size', () => {
  it('20,000 findings: the report output is under 1 MB, valid JSON, the error first, and says it was cut', () => {
    const report = crowdedReport(20_000)
    const full = JSON.stringify(report)
    assert.ok(bytes(full) > MAX_REPORT_OUTPUT_BYTES, 'the fixture is over the bound')
    const output = toOutputs(report)['report']!
    assert.ok(bytes(output) <= MAX_REPORT_OUTPUT_BYTES, `${bytes(output)} bytes`)
    const parsed = JSON.parse(output)
    assert.equal(parsed.cut.bytes, bytes(full))
    assert.equal(parsed.findings.length, parsed.cut.listItems)
    assert.equal(parsed.findings[0].title, 'Certificate not trusted')
    assert.equal(parsed.outcome, 'failure')
  })

  it('a 3 MB string is shortened with …, never splitting a character', () => {
    const report = crowdedReport(0)
    report.findings[0] = { ...report.findings[0]!, message: '😀'.repeat(1_000_000) }
    const parsed = JSON.parse(reportJson(report))
    assert.equal(Array.from(parsed.findings[0].message as string).length, parsed.cut.stringCharacters)
    assert.ok((parsed.findings[0].message as string).endsWith('😀…'))
  })

  it('a report within the bound is the report as it is', () => {
    assert.equal(reportJson(structuredClone(reportExample) as never), JSON.stringify(reportExample))
  })
})
