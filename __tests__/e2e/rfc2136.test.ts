// The bundled action (dist/index.js, run as a runner does) with provider rfc2136 against a real
// BIND 9 pair: the primary on 127.0.5.1 (and [::1]) takes TSIG-signed updates, the secondary on
// 127.0.5.2 transfers the zone every 2 s with NOTIFY off. Build first: npm run build. What every
// provider owes (outputs of create, no-op, replace; CNAME refusal; a wrong secret; check mode's
// zero writes; lost races) is the conformance suite's (__tests__/providers/rfc2136.test.ts); here,
// propagation to both nameservers, other key algorithms, AAAA over [::1] and wildcards.

import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { DUAL_STACK_PAIR, lookup, startBindPair, udpQuery, type BindPair } from '../helpers/bind.ts'
import { runAction } from '../helpers/run-action.ts'

let pair: BindPair

before(async () => {
  pair = await startBindPair({
    ...DUAL_STACK_PAIR,
    records: [
      'alias IN CNAME target',
      'target IN A 192.0.2.99',
      '*.wild 3600 IN A 192.0.2.77',
      '*.wildcname IN CNAME target'
    ]
  })
})
after(async () => {
  await pair?.stop()
})

function inputs(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    domain: 'ldaps.example.test',
    ip: '192.0.2.10',
    provider: 'rfc2136',
    'rfc2136-server': '127.0.5.1',
    'rfc2136-tsig-key-name': pair.keys.sha256.name,
    'rfc2136-tsig-secret': pair.keys.sha256.secret,
    resolver: '127.0.5.1',
    'propagation-timeout': '30',
    'verify-certificate': 'false',
    ...overrides
  }
}

async function both(name: string, type: 'A' | 'AAAA' = 'A'): Promise<[string[], string[]]> {
  return [await lookup('127.0.5.1', 53, name, type), await lookup('127.0.5.2', 53, name, type)]
}

describe('provider rfc2136, end to end', () => {
  test('create: writes the record and waits until both nameservers serve it', async () => {
    const run = await runAction(inputs())
    assert.equal(run.exitCode, 0, run.stdout)
    assert.equal(run.outputs['record-changed'], 'true')
    assert.equal(run.outputs['previous-ips'], '')
    assert.equal(run.outputs['zone'], 'example.test')
    assert.equal(run.outputs['nameservers'], 'ns1.example.test,ns2.example.test')
    assert.equal(run.outputs['propagated'], 'true')
    assert.ok(Number(run.outputs['propagation-seconds']) >= 0)
    assert.deepEqual(await both('ldaps.example.test'), [['192.0.2.10'], ['192.0.2.10']])
    assert.equal(run.report.propagation.nameservers.length, 3)
    assert.match(run.summary, /\| ns2\.example\.test \(127\.0\.5\.2\) \| 192\.0\.2\.10 \| ✅ matches/)
    assert.equal(run.report.record.providerWrites, 1)
  })

  test('replace: the new address everywhere, the old one in previous-ips', async () => {
    const run = await runAction(
      inputs({
        ip: '192.0.2.11',
        'rfc2136-tsig-key-name': pair.keys.sha512.name,
        'rfc2136-tsig-secret': pair.keys.sha512.secret,
        'rfc2136-tsig-algorithm': 'hmac-sha512'
      })
    )
    assert.equal(run.exitCode, 0, run.stdout)
    assert.equal(run.outputs['record-changed'], 'true')
    assert.equal(run.outputs['previous-ips'], '192.0.2.10')
    assert.equal(run.outputs['propagated'], 'true')
    assert.deepEqual(await both('ldaps.example.test'), [['192.0.2.11'], ['192.0.2.11']])
  })

  test('AAAA: an IPv6 address writes an AAAA record, checked on [::1] too', async () => {
    const run = await runAction(inputs({ domain: 'v6.example.test', ip: '2001:db8::30' }))
    assert.equal(run.exitCode, 0, run.stdout)
    assert.equal(run.outputs['propagated'], 'true')
    assert.deepEqual(await both('v6.example.test', 'AAAA'), [['2001:db8::30'], ['2001:db8::30']])
    assert.ok(run.report.propagation.nameservers.some((n: any) => n.address === '[::1]' && n.state === 'in-sync'))
  })

  test('check mode: the nameservers still serving the old address are drift', async () => {
    const run = await runAction(inputs({ mode: 'check', ip: '192.0.2.13' }))
    assert.equal(run.exitCode, 1, 'fail-on-drift defaults to true')
    assert.ok(run.report.findings.some((f: any) => f.title === 'Nameserver drift'))
    assert.deepEqual(await both('ldaps.example.test'), [['192.0.2.11'], ['192.0.2.11']])
  })

  test('check mode without drift passes', async () => {
    const run = await runAction(inputs({ mode: 'check', ip: '192.0.2.11' }))
    assert.equal(run.exitCode, 0, run.stdout)
    assert.equal(run.outputs['drift'], 'false')
    assert.equal(run.outputs['propagated'], 'true')
  })

  test('wildcard A: check reports no record at the name with what the wildcard answers; apply creates it', async () => {
    const domain = 'ldaps.wild.example.test'
    const checked = await runAction(inputs({ domain, ip: '192.0.2.77', ttl: '300', mode: 'check' }))
    assert.equal(checked.exitCode, 1, checked.stdout)
    assert.equal(checked.outputs['drift'], 'true')
    assert.equal(checked.report.record.providerWrites, 0)
    const drift = (checked.report.findings as { title: string; message: string }[]).find(
      f => f.title === 'DNS record drift'
    )
    assert.ok(drift, checked.stdout)
    assert.match(drift.message, /no A record at ldaps\.wild\.example\.test; the zone's wildcard answers 192\.0\.2\.77/)
    assert.doesNotMatch(drift.message, /TTL/)

    const applied = await runAction(inputs({ domain, ip: '192.0.2.77', ttl: '300' }))
    assert.equal(applied.exitCode, 0, applied.stdout)
    assert.doesNotMatch(applied.stdout, /changed under us|changed between read and write/)
    assert.equal(applied.report.record.action, 'create')
    assert.equal(applied.report.record.providerWrites, 1)
    assert.equal(applied.outputs['record-changed'], 'true')
    assert.equal(applied.outputs['previous-ips'], '')
    const own = await udpQuery('127.0.5.1', 53, domain, 'A')
    assert.deepEqual(
      own.answers?.map(a => (a as { ttl?: number }).ttl),
      [300],
      'the name holds its own record (TTL 300; the wildcard has 3600)'
    )

    const again = await runAction(inputs({ domain, ip: '192.0.2.77', ttl: '300', mode: 'check' }))
    assert.equal(again.exitCode, 0, again.stdout)
    assert.equal(again.outputs['drift'], 'false')
  })

  test('wildcard CNAME: not a CNAME at the name; apply creates the A record', async () => {
    const domain = 'ldaps.wildcname.example.test'
    const run = await runAction(inputs({ domain, ip: '192.0.2.89' }))
    assert.equal(run.exitCode, 0, run.stdout)
    assert.doesNotMatch(run.stdout, /is a CNAME to/)
    assert.equal(run.report.record.action, 'create')
    assert.equal(run.outputs['propagated'], 'true')
    assert.deepEqual(await both(domain), [['192.0.2.89'], ['192.0.2.89']])
  })
})
