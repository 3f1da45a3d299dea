import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createReport, toOutputs } from '../../src/core/report.ts'
import { finalizeOutcome } from '../../src/core/outcome.ts'
import { cell, renderSummary } from '../../src/core/summary.ts'

const base = () =>
  createReport({
    domain: 'ldaps.contoso100.com',
    ip: '52.165.38.113',
    mode: 'check',
    provider: 'none',
    now: new Date(0)
  })
const drift = {
  severity: 'error',
  step: 'certificate',
  title: 'Certificate expiring',
  message: 'expires in 3 days',
  drift: true
} as const

describe('finalizeOutcome', () => {
  it('in check mode, drift findings set drift and fail with fail-on-drift', () => {
    const report = base()
    report.findings.push(drift)
    finalizeOutcome(report, { mode: 'check', drift: { failOnDrift: true, openIssue: false, githubToken: '' } })
    assert.equal(report.drift, true)
    assert.equal(report.outcome, 'failure')
  })

  it('in check mode without fail-on-drift, drift is reported as a warning and the step succeeds', () => {
    const report = base()
    report.findings.push(drift)
    finalizeOutcome(report, { mode: 'check', drift: { failOnDrift: false, openIssue: false, githubToken: '' } })
    assert.equal(report.drift, true)
    assert.equal(report.outcome, 'success')
    assert.equal(report.findings[0]!.severity, 'warning')
    assert.equal(toOutputs(report)['drift'], 'true')
  })

  it('in apply mode, an error fails and drift stays false', () => {
    const report = { ...base(), mode: 'apply' as const }
    report.findings.push(drift)
    finalizeOutcome(report, { mode: 'apply', drift: { failOnDrift: true, openIssue: false, githubToken: '' } })
    assert.equal(report.drift, false)
    assert.equal(report.outcome, 'failure')
  })
})

describe('toOutputs', () => {
  it('formats booleans, whole days, and the report JSON', () => {
    const report = base()
    report.certificate = {
      trusted: false,
      host: '52.165.38.113',
      port: 636,
      protocol: 'ldaps',
      tlsVersion: 'TLSv1.3',
      cipher: undefined,
      chain: [],
      leaf: {
        subject: 'CN=*.contoso100.com',
        issuer: 'CN=Contoso CA',
        sha256: 'ab'.repeat(32),
        notAfter: '2027-01-01T00:00:00.000Z',
        daysRemaining: 36.9,
        subjectAltNames: []
      }
    }
    const out = toOutputs(report)
    assert.equal(out['certificate-trusted'], 'false')
    assert.equal(out['certificate-days-remaining'], '36')
    assert.match(out['certificate-sha256']!, /^[0-9a-f]{64}$/)
    assert.equal(JSON.parse(out['report']!).certificate.tlsVersion, 'TLSv1.3')
  })
})

describe('renderSummary', () => {
  it('escapes table cells so values cannot break the table or inject HTML', () => {
    assert.equal(cell('a|b\nc<script>'), 'a\\|b<br>c&lt;script&gt;')
    assert.equal(cell(undefined), '—')
  })

  it('leads with a verdict line and lists findings', () => {
    const report = base()
    report.findings.push(drift)
    finalizeOutcome(report, { mode: 'check', drift: { failOnDrift: true, openIssue: false, githubToken: '' } })
    const md = renderSummary(report)
    assert.match(md.split('\n')[0]!, /^### ❌ Drift: Certificate expiring$/)
    assert.match(md, /\*\*Certificate expiring\*\*: expires in 3 days/)
  })
})
