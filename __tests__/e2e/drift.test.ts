// Scheduled drift checks end to end: the bundled action in check mode against a real BIND pair
// (RFC 2136 provider, discovery through the primary) and a real slapd, one test per kind of drift
// the inputs can declare. Every drift sets drift: true; with fail-on-drift it fails the step,
// without it the step succeeds and only reports. Nothing is ever written in check mode.

import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { runAction, type ActionRun } from '../helpers/run-action.ts'
import { lookup, startBindPair, type BindPair } from '../helpers/bind.ts'
import { startSlapd, type Slapd } from '../helpers/slapd.ts'
import { createTestPki, type TestPki } from '../helpers/test-pki.ts'

const DOMAIN = 'ldaps.contoso100.com'
const ENDPOINT = '127.0.13.3'

let pki: TestPki
let pair: BindPair
let slapd: Slapd

before(async () => {
  pki = createTestPki()
  // A long refresh: the secondary keeps what it has for the whole file unless a test says so.
  pair = await startBindPair({
    zone: 'contoso100.com',
    primary: '127.0.13.1',
    secondary: '127.0.13.2',
    refreshSeconds: 3600,
    records: [`ldaps 300 IN A ${ENDPOINT}`]
  })
  slapd = await startSlapd({ host: ENDPOINT, chainPem: pki.leaves.good.chainPem, keyPem: pki.leaves.good.leaf.keyPem })
})

after(async () => {
  await slapd?.stop()
  await pair?.stop()
})

// Each test starts from the declared state on the primary (the secondary is never changed here).
beforeEach(async () => {
  await pair.nsupdate([`update delete ${DOMAIN}. A`, `update add ${DOMAIN}. 300 A ${ENDPOINT}`])
})

function check(inputs: Record<string, string> = {}): Promise<ActionRun> {
  const key = pair.keys.sha256
  return runAction({
    domain: DOMAIN,
    ip: ENDPOINT,
    mode: 'check',
    provider: 'rfc2136',
    'rfc2136-server': pair.primaryAddress,
    'rfc2136-tsig-key-name': key.name,
    'rfc2136-tsig-secret': key.secret,
    resolver: pair.primaryAddress,
    port: String(slapd.ldapsPort),
    'ca-certificate': pki.root.certPem,
    ...inputs
  })
}

function driftTitles(run: ActionRun): string[] {
  return run.report.findings.filter((f: { drift?: boolean }) => f.drift === true).map((f: { title: string }) => f.title)
}

function assertDrift(run: ActionRun, title: RegExp): void {
  assert.equal(run.exitCode, 1, run.stdout)
  assert.equal(run.outputs['drift'], 'true')
  assert.equal(run.outputs['record-changed'], 'false')
  assert.ok(
    driftTitles(run).some(t => title.test(t)),
    `no drift finding matching ${title}: ${driftTitles(run).join('; ')}`
  )
  assert.match(run.summary, /^### (❌|⚠️) Drift: /)
}

describe('mode check through the bundled action', () => {
  it('finds no drift when record, nameservers and certificate are as declared', async () => {
    const run = await check()
    assert.equal(run.exitCode, 0, run.stdout)
    assert.equal(run.outputs['drift'], 'false')
    assert.equal(run.outputs['certificate-trusted'], 'true')
    assert.equal(run.report.record.providerWrites, 0)
    assert.match(run.summary, /No drift/)
  })

  it('record value: the name points elsewhere', async () => {
    await pair.nsupdate([`update delete ${DOMAIN}. A`, `update add ${DOMAIN}. 300 A 127.0.13.99`])
    const run = await check()
    assertDrift(run, /DNS record drift/)
    assert.equal(run.outputs['previous-ips'], '127.0.13.99')
    // The primary holds the newest serial: its other answer is the zone's current value, not a lag.
    const nameserverDrift = run.report.findings.find((f: { title: string }) => f.title === 'Nameserver drift')
    assert.match(
      nameserverDrift?.message ?? '',
      /127\.0\.13\.1\)? answers 127\.0\.13\.99 at the newest SOA serial \d+, so the zone itself may now hold that instead of the declared 127\.0\.13\.3/,
      JSON.stringify(run.report.findings)
    )
    assert.doesNotMatch(nameserverDrift.message, /still answers 127\.0\.13\.99/)
    // Check mode wrote nothing: the primary still serves the drifted value.
    assert.deepEqual(await lookup(pair.primaryAddress, pair.port, DOMAIN, 'A'), ['127.0.13.99'])
  })

  it('record TTL differs from the declared ttl', async () => {
    const run = await check({ ttl: '3600' })
    assertDrift(run, /DNS record drift/)
    assert.match(run.stdout, /TTL 300 → 3600/)
  })

  it('a nameserver out of sync', async () => {
    // The primary and the provider hold the declared value; the secondary still serves the old one.
    const run = await check({ ip: '127.0.13.4', 'verify-certificate': 'false' })
    assertDrift(run, /DNS record drift/)
    await pair.nsupdate([`update delete ${DOMAIN}. A`, `update add ${DOMAIN}. 300 A 127.0.13.4`])
    const stale = await check({ ip: '127.0.13.4', 'verify-certificate': 'false' })
    assertDrift(stale, /[Nn]ameserver/)
    assert.ok(
      !driftTitles(stale).some(t => /DNS record drift/.test(t)),
      'the provider itself holds the declared record'
    )
    const states = Object.fromEntries(
      stale.report.propagation.nameservers.map((n: { address: string; state: string }) => [n.address, n.state])
    )
    assert.deepEqual(states, { '127.0.13.1': 'in-sync', '127.0.13.2': 'stale' })
    // The secondary is behind the primary's serial: it lags, and the message says so.
    const lagging = stale.report.findings.find((f: { title: string }) => f.title === 'Nameserver drift')
    assert.match(
      lagging?.message ?? '',
      /127\.0\.13\.2\)? still answers 127\.0\.13\.3, SOA serial \d+/,
      JSON.stringify(stale.report.findings)
    )
  })

  it('certificate no longer trusted (the CA is not among the trusted ones)', async () => {
    const run = await check({ 'ca-certificate': '' })
    assertDrift(run, /not trusted/i)
    assert.equal(run.outputs['certificate-trusted'], 'false')
  })

  it('certificate expiring within min-days-valid', async () => {
    const run = await check({ 'min-days-valid': '400' })
    assertDrift(run, /validity/i)
    assert.match(run.outputs['certificate-days-remaining']!, /^36[45]$/)
  })

  it('certificate rotated: fingerprint differs from expected-fingerprint', async () => {
    const run = await check({ 'expected-fingerprint': 'ab'.repeat(32) })
    assertDrift(run, /fingerprint/i)
  })

  it('a failing DNS provider does not hide the nameserver and certificate checks', async () => {
    // A wrong TSIG secret: BIND refuses the provider's read (BADSIG), the other steps still run.
    const run = await check({ 'rfc2136-tsig-secret': Buffer.alloc(32, 7).toString('base64'), 'min-days-valid': '400' })
    assert.equal(run.exitCode, 1, run.stdout)
    assert.equal(run.outputs['drift'], 'true')
    const titles = run.report.findings.map((f: { title: string }) => f.title)
    assert.ok(titles.includes('DNS plan failed'), titles.join('; '))
    assert.ok(
      titles.some((t: string) => /validity/i.test(t)),
      titles.join('; ')
    )
    assert.equal(run.outputs['certificate-trusted'], 'false')
    assert.equal(run.outputs['propagated'], 'true')
  })

  it('without fail-on-drift the step succeeds and only reports the drift', async () => {
    const run = await check({ 'fail-on-drift': 'false', 'min-days-valid': '400' })
    assert.equal(run.exitCode, 0, run.stdout)
    assert.equal(run.outputs['drift'], 'true')
    assert.match(run.stdout, /::warning title=Certificate validity/)
    assert.doesNotMatch(run.stdout, /::error/)
  })
})
