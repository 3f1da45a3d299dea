// The job summary as people read it: the heading says what is wrong, nameserver states are
// relative to the declared value with the serial beside them, names CN first, dates in UTC.

import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createReport, type Report } from '../../src/core/report.ts'
import { finalizeOutcome } from '../../src/core/outcome.ts'
import { displayDate, displayName, renderSummary } from '../../src/core/summary.ts'

const checkMode = { mode: 'check', drift: { failOnDrift: true, openIssue: false, githubToken: '' } } as const

/** The demo's third run: someone pointed the name at 127.0.12.99 behind the action's back. */
function driftedReport(failOnDrift = true): Report {
  const report = createReport({
    domain: 'ldaps.contoso100.com',
    ip: '127.0.12.3',
    mode: 'check',
    provider: 'rfc2136',
    now: new Date('2026-11-30T12:00:00Z')
  })
  report.record = {
    zone: 'contoso100.com',
    name: 'ldaps.contoso100.com',
    type: 'A',
    desired: { values: ['127.0.12.3'], ttl: 300 },
    found: { values: ['127.0.12.99'], ttl: 300 },
    action: 'replace',
    changed: false,
    providerReads: 1,
    providerWrites: 0
  }
  report.propagation = {
    zone: 'contoso100.com',
    propagated: false,
    seconds: undefined,
    queries: 9,
    newestSerial: 3,
    nameservers: [
      { nameserver: 'ns1.contoso100.com', address: '127.0.12.1', state: 'stale', answer: ['127.0.12.99'], serial: 3 },
      { nameserver: 'ns2.contoso100.com', address: '127.0.12.2', state: 'in-sync', answer: ['127.0.12.3'], serial: 2 }
    ]
  }
  report.findings.push(
    {
      severity: 'error',
      step: 'dns-plan',
      code: 'record-drift',
      title: 'DNS record drift',
      message: 'differs',
      drift: true
    },
    {
      severity: 'error',
      step: 'propagation',
      code: 'nameserver-stale',
      title: 'Nameserver drift',
      message: 'differs',
      drift: true
    }
  )
  finalizeOutcome(report, { ...checkMode, drift: { ...checkMode.drift, failOnDrift } })
  return report
}

const rowOf = (md: string, start: string): string => md.split('\n').find(l => l.startsWith(`| ${start}`)) ?? ''

describe('the summary in check mode', () => {
  it('the heading says what DNS serves and what was declared', () => {
    const md = renderSummary(driftedReport())
    assert.equal(md.split('\n')[0], '### ❌ Drift: DNS serves 127.0.12.99, declared 127.0.12.3')
    assert.match(md, /^`ldaps\.contoso100\.com` → `127\.0\.12\.3` · mode \*\*check\*\*/m)
  })

  it('a DNS step that failed is named beside the DNS difference, its drift findings are not', () => {
    const report = driftedReport()
    report.findings.push({
      severity: 'error',
      step: 'propagation',
      code: 'step-failed',
      title: 'Propagation failed',
      message: 'ns3.contoso100.com: no address',
      drift: true
    })
    finalizeOutcome(report, checkMode)
    assert.equal(
      renderSummary(report).split('\n')[0],
      '### ❌ Drift: DNS serves 127.0.12.99, declared 127.0.12.3; Propagation failed'
    )
  })

  it('without fail-on-drift the same heading is a warning', () => {
    assert.equal(
      renderSummary(driftedReport(false)).split('\n')[0],
      '### ⚠️ Drift: DNS serves 127.0.12.99, declared 127.0.12.3'
    )
  })

  it('the nameserver holding the newer serial and another value differs; the other matches', () => {
    const md = renderSummary(driftedReport())
    assert.equal(
      rowOf(md, 'ns1.contoso100.com'),
      '| ns1.contoso100.com (127.0.12.1) | 127.0.12.99 | ❌ differs | 3 (newest) |'
    )
    assert.equal(
      rowOf(md, 'ns2.contoso100.com'),
      '| ns2.contoso100.com (127.0.12.2) | 127.0.12.3 | ✅ matches | 2 (older) |'
    )
    assert.doesNotMatch(md, /stale|in-sync/)
  })

  it('a record the provider does not hold, nameservers unreachable or refusing', () => {
    const report = driftedReport()
    report.record = { ...report.record!, found: { values: [], ttl: undefined }, action: 'create' }
    report.propagation = {
      ...report.propagation!,
      nameservers: [
        { nameserver: 'ns1.x', address: '127.0.12.1', state: 'unreachable', answer: [], detail: 'timeout' },
        { nameserver: 'ns2.x', address: '127.0.12.2', state: 'refused', answer: [], detail: 'REFUSED' }
      ]
    }
    const md = renderSummary(report)
    assert.equal(md.split('\n')[0], '### ❌ Drift: no A record, declared 127.0.12.3')
    assert.match(rowOf(md, 'ns1.x'), /\| ❌ unreachable \| — \|$/)
    assert.match(rowOf(md, 'ns2.x'), /\| ❌ refused \| — \|$/)
    assert.match(rowOf(md, 'ldaps.contoso100.com A'), /\| none \| ❌ missing, would create/)
  })

  it('no drift: the target in the heading, every row marked', () => {
    const report = driftedReport()
    report.findings = []
    report.record = { ...report.record!, found: { values: ['127.0.12.3'], ttl: 300 }, action: 'none' }
    report.propagation = {
      ...report.propagation!,
      propagated: true,
      nameservers: report.propagation!.nameservers.map(n => ({
        ...n,
        state: 'in-sync',
        answer: ['127.0.12.3'],
        serial: 3
      }))
    }
    finalizeOutcome(report, checkMode)
    const md = renderSummary(report)
    assert.equal(md.split('\n')[0], '### ✅ No drift: `ldaps.contoso100.com` → `127.0.12.3`')
    for (const line of md.split('\n').filter(l => /^\| (?!---|Record|Nameserver)/.test(l))) {
      assert.match(line, /✅|❌|⚠️/, line)
    }
  })
})

describe('the summary heading', () => {
  it('invalid inputs with an empty domain: the inputs named, no empty code span', () => {
    const report = createReport({ domain: '', ip: '', mode: undefined, provider: undefined, now: new Date(0) })
    report.findings = ['domain', 'ip'].map(input => ({
      severity: 'error',
      step: 'inputs',
      code: 'input-invalid',
      title: `Invalid input ${input}`,
      message: `input "${input}": is required and was empty`
    }))
    finalizeOutcome(report, undefined)
    const heading = renderSummary(report).split('\n')[0]!
    assert.equal(heading, '### ❌ 2 invalid inputs: domain, ip')
  })

  it('a failed apply names the problems, outside text escaped', () => {
    const report = createReport({
      domain: 'x.test',
      ip: '192.0.2.1',
      mode: 'apply',
      provider: 'none',
      now: new Date(0)
    })
    report.findings.push({
      severity: 'error',
      step: 'certificate',
      code: 'certificate-invalid',
      title: 'Certificate <b>expired</b>',
      message: 'm'
    })
    finalizeOutcome(report, { mode: 'apply', drift: checkMode.drift })
    assert.equal(renderSummary(report).split('\n')[0], '### ❌ Failed: Certificate &lt;b&gt;expired&lt;/b&gt;')
  })
})

describe('certificates in the summary', () => {
  it('names CN first, dates in UTC to the minute, a failing row names its reason', () => {
    assert.equal(displayName('O=Contoso Test, CN=*.contoso100.com'), 'CN=*.contoso100.com, O=Contoso Test')
    assert.equal(displayDate('2027-11-30T19:40:12.000Z'), '2027-11-30 19:40 UTC')
    const report = driftedReport()
    const cert = (position: number, subject: string, issuer: string, notAfter: string) => ({
      position,
      subject,
      issuer,
      notBefore: '2025-01-01T00:00:00.000Z',
      notAfter,
      sha256: 'ab'.repeat(32),
      key: 'RSA 2048',
      signature: 'sha256WithRSAEncryption',
      source: 'served' as const,
      verdict: 'problem' as const
    })
    report.certificate = {
      trusted: false,
      host: 'ldaps.contoso100.com',
      port: 636,
      protocol: 'ldaps',
      tlsVersion: 'TLSv1.3',
      cipher: 'TLS_AES_256_GCM_SHA384',
      leaf: undefined,
      chain: [
        cert(0, 'O=Contoso, CN=ldaps.contoso100.com', 'O=Contoso, CN=Contoso CA', '2026-11-01T08:00:00.000Z'),
        cert(1, 'O=Contoso, CN=Contoso CA', 'O=Contoso, CN=Contoso CA', '2030-01-01T00:00:00.000Z')
      ],
      problems: [
        { rule: 'validity', position: 0, subject: 'O=Contoso, CN=ldaps.contoso100.com', message: 'has expired' },
        { rule: 'trust', position: 1, subject: 'O=Contoso, CN=Contoso CA', message: 'ends at an untrusted root' }
      ]
    }
    const md = renderSummary(report)
    assert.equal(
      rowOf(md, 'ldaps.contoso100.com |'),
      '| ldaps.contoso100.com | Contoso CA | 2026-11-01 08:00 UTC | ❌ expired |'
    )
    assert.equal(rowOf(md, 'Contoso CA |'), '| Contoso CA | Contoso CA | 2030-01-01 00:00 UTC | ❌ not trusted |')
    assert.match(md, /\| Certificate \| Issuer \| Expires \| Verdict \|/)
    // The rest of the chain and the counters are folded away.
    const details = md.slice(md.indexOf('<details>'), md.indexOf('</details>'))
    assert.match(details, /\*\*0\. CN=ldaps\.contoso100\.com, O=Contoso\*\*/)
    assert.match(details, /Provider calls: 1 read, 0 write/)
    assert.match(details, /DNS queries: 9/)
    assert.match(details, /❌ has expired/)
  })
})
