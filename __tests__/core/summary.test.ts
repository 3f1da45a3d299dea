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
  code: 'certificate-renewal-due',
  title: 'Certificate expiring',
  message: 'expires in 3 days',
  drift: true
} as const

describe('finalizeOutcome', () => {
  // A drift finding under each mode and fail-on-drift: what becomes of drift, the outcome and the finding.
  const cases = [
    {
      title: 'in check mode, drift findings set drift and fail with fail-on-drift',
      mode: 'check',
      failOnDrift: true,
      expected: { drift: true, outcome: 'failure', severity: 'error' }
    },
    {
      title: 'in check mode without fail-on-drift, drift is reported as a warning and the step succeeds',
      mode: 'check',
      failOnDrift: false,
      expected: { drift: true, outcome: 'success', severity: 'warning' }
    },
    {
      title: 'in apply mode, an error fails and drift stays false',
      mode: 'apply',
      failOnDrift: true,
      expected: { drift: false, outcome: 'failure', severity: 'error' }
    }
  ] as const
  for (const { title, mode, failOnDrift, expected } of cases) {
    it(title, () => {
      const report = { ...base(), mode }
      report.findings.push({ ...drift })
      finalizeOutcome(report, { mode, drift: { failOnDrift, openIssue: false, githubToken: '' } })
      assert.deepEqual(
        { drift: report.drift, outcome: report.outcome, severity: report.findings[0]!.severity },
        expected
      )
      assert.equal(toOutputs(report)['drift'], String(expected.drift))
    })
  }
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

describe('addresses of an address family the runner cannot reach', () => {
  it('are a line in the details, not a warning', () => {
    const report = createReport({
      domain: 'ldaps.example.test',
      ip: '192.0.2.1',
      mode: 'apply',
      provider: 'none',
      now: new Date()
    })
    report.propagation = {
      zone: 'example.test',
      propagated: true,
      seconds: 1,
      nameservers: [
        { nameserver: 'ns1.example.test', address: '192.0.2.53', state: 'in-sync', answer: ['192.0.2.1'] },
        { nameserver: 'ns1.example.test', address: '[2001:db8::53]', state: 'skipped', answer: [] }
      ],
      queries: 2,
      skippedAddresses: ['2001:db8::53']
    }
    finalizeOutcome(report, { mode: 'apply', drift: { failOnDrift: true, openIssue: false, githubToken: '' } })
    const summary = renderSummary(report)
    assert.match(summary, /- Not checked \(no route to that address family from this runner\): `2001:db8::53`/)
    assert.doesNotMatch(summary, /⚠️/)
  })
})
