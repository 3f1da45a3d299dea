// The propagation step against real BIND 9 servers on loopback: a primary (127.0.5.1 and [::1])
// and a secondary (127.0.5.2) that transfers the zone every 2 s with NOTIFY off, a server that is
// authoritative for another zone only (127.0.5.3, answers REFUSED), a UDP black hole (127.0.5.9,
// never answers), and a second pair whose secondary never refreshes during the test (for drift).

import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { createSocket, type Socket } from 'node:dgram'
import {
  DUAL_STACK_PAIR,
  ensureLoopbackAddress,
  lookup,
  startBindPair,
  startBindServer,
  type BindPair,
  type BindServer
} from '../helpers/bind.ts'
import { defaultPropagationDeps, runPropagation, type PropagationDeps } from '../../src/steps/propagation.ts'
import { DnsNetworkError } from '../../src/adapters/dns-client.ts'
import { createReport, type Report } from '../../src/core/report.ts'
import type { HostPort, Settings } from '../../src/core/settings.ts'

let pair: BindPair
let stalePair: BindPair
let otherZone: BindServer
let hole: Socket
const lines: string[] = []
const deps: PropagationDeps = { ...defaultPropagationDeps, log: line => lines.push(line), queryTimeoutMs: 500 }

before(async () => {
  pair = await startBindPair({
    ...DUAL_STACK_PAIR,
    records: ['ldaps IN A 192.0.2.1', 'alias IN CNAME target', 'target IN A 192.0.2.99']
  })
  stalePair = await startBindPair({
    primary: '127.0.5.11',
    secondary: '127.0.5.12',
    refreshSeconds: 3600,
    records: ['ldaps IN A 192.0.2.1']
  })
  otherZone = await startBindServer({
    addresses: ['127.0.5.3'],
    zones: [{ name: 'other.test', role: 'primary', records: ['@ IN NS ns1', 'ns1 IN A 127.0.5.3'] }]
  })
  await ensureLoopbackAddress('127.0.5.9')
  hole = createSocket('udp4')
  hole.on('message', () => {})
  await new Promise<void>(resolve => hole.bind(53, '127.0.5.9', resolve))
})
after(async () => {
  hole?.close()
  await Promise.all([pair?.stop(), stalePair?.stop(), otherZone?.stop()])
})

const hp = (host: string): HostPort => ({ host, port: 53 })

function settings(o: {
  domain?: string
  ip: string
  mode?: 'apply' | 'check'
  timeoutSeconds?: number
  resolvers?: string[]
  nameservers?: string[]
  zone?: string
}): Settings {
  return {
    domain: o.domain ?? 'ldaps.example.test',
    ip: o.ip,
    recordType: o.ip.includes(':') ? 'AAAA' : 'A',
    mode: o.mode ?? 'apply',
    ttl: 60,
    zone: o.zone,
    provider: { kind: 'none' },
    propagation: {
      wait: true,
      timeoutSeconds: o.timeoutSeconds ?? 20,
      resolvers: (o.resolvers ?? ['127.0.5.1']).map(hp),
      nameservers: (o.nameservers ?? []).map(hp)
    },
    certificate: {} as Settings['certificate'],
    drift: { failOnDrift: true, openIssue: false, githubToken: '' }
  }
}

async function run(s: Settings, d: PropagationDeps = deps): Promise<Report> {
  const report = createReport({ domain: s.domain, ip: s.ip, mode: s.mode, provider: 'none', now: new Date() })
  const step = await runPropagation({ settings: s, zone: s.zone, provider: undefined, write: undefined }, d)
  report.propagation = step.part
  report.findings.push(...step.findings)
  return report
}

const row = (report: Report, address: string) => report.propagation!.nameservers.find(n => n.address === address)!

/** Changes the record at the primary until the secondary is seen still serving the old value. */
async function changeBehindSecondary(p: BindPair, name: string, type: 'A' | 'AAAA', values: string[]): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const value = values[attempt]!
    await p.nsupdate([`update delete ${name} ${type}`, `update add ${name} 60 ${type} ${value}`])
    if (!(await lookup(p.secondaryAddress, 53, name, type)).includes(value)) return
  }
  throw new Error('the secondary refreshed right after every change; cannot observe a delay')
}

describe('apply mode', () => {
  test('in sync immediately: discovery through the primary finds every NS address, one check each', async () => {
    const report = await run(settings({ ip: '192.0.2.1' }))
    const p = report.propagation!
    assert.equal(p.propagated, true, JSON.stringify(p))
    assert.equal(p.zone, 'example.test')
    assert.equal(p.source, 'discovered')
    assert.deepEqual(
      p.nameservers.map(n => [n.nameserver, n.address, n.state, n.serial]),
      [
        ['ns1.example.test', '127.0.5.1', 'in-sync', 1],
        ['ns1.example.test', '[::1]', 'in-sync', 1],
        ['ns2.example.test', '127.0.5.2', 'in-sync', 1]
      ]
    )
    assert.ok(
      p.nameservers.every(n => n.queries === 2),
      'the first (immediate) answer was enough'
    )
    assert.deepEqual(p.recursiveAnswer, ['192.0.2.1'])
    assert.deepEqual(report.findings, [])
  })

  test('in sync after the secondary refreshes: the secondary is polled until it has the new record', async () => {
    await changeBehindSecondary(pair, 'ldaps.example.test', 'A', [
      '192.0.2.2',
      '192.0.2.3',
      '192.0.2.4',
      '192.0.2.5',
      '192.0.2.6'
    ])
    const ip = (await lookup('127.0.5.1', 53, 'ldaps.example.test', 'A'))[0]!
    const report = await run(settings({ ip }))
    const p = report.propagation!
    assert.equal(p.propagated, true, JSON.stringify(p))
    const secondary = row(report, '127.0.5.2')
    assert.equal(secondary.state, 'in-sync')
    assert.ok(secondary.queries! > 2, 'the secondary was stale at first and asked again')
    assert.ok(secondary.syncedAfterSeconds! > 0)
    assert.equal(secondary.serial, row(report, '127.0.5.1').serial, 'same SOA serial once in sync')
    assert.equal(p.newestSerial, secondary.serial)
    assert.ok(row(report, '127.0.5.1').queries === 2, 'the primary had it at the first check')
  })

  test("a listed nameserver that never answers fails the step at the timeout, named with the others' answers", async () => {
    const ip = (await lookup('127.0.5.1', 53, 'ldaps.example.test', 'A'))[0]!
    const report = await run(
      settings({ ip, timeoutSeconds: 2, nameservers: ['127.0.5.1', '127.0.5.9'], resolvers: [] })
    )
    const p = report.propagation!
    assert.equal(p.propagated, false)
    assert.equal(p.source, 'nameservers')
    assert.equal(row(report, '127.0.5.1').state, 'in-sync')
    const silent = row(report, '127.0.5.9')
    assert.equal(silent.state, 'unreachable')
    assert.match(silent.detail!, /did not answer/)
    const error = report.findings.find(f => f.severity === 'error')!
    assert.equal(error.title, 'Propagation timed out')
    assert.match(error.message, /: 127\.0\.5\.9 is unreachable: did not answer within \d+ ms/)
    assert.doesNotMatch(error.message, /127\.0\.5\.1 \(/)
    assert.ok(
      lines.some(l => /127\.0\.5\.9\s+unreachable/.test(l)),
      'the log has the table'
    )
  })

  test('a server that is not authoritative for the zone is REFUSED, distinct from stale data', async () => {
    const ip = (await lookup('127.0.5.1', 53, 'ldaps.example.test', 'A'))[0]!
    const report = await run(
      settings({ ip, timeoutSeconds: 1, nameservers: ['127.0.5.1', '127.0.5.3'], resolvers: [], zone: 'example.test' })
    )
    assert.equal(report.propagation!.propagated, false)
    assert.equal(row(report, '127.0.5.3').state, 'refused')
    assert.equal(row(report, '127.0.5.3').serial, undefined)
    assert.match(report.findings[0]!.message, /: 127\.0\.5\.3 answers REFUSED \(not a server of the zone\)/)
  })

  test('nameservers given: only those are asked, and the resolver is not used for discovery', async () => {
    const ip = (await lookup('127.0.5.1', 53, 'ldaps.example.test', 'A'))[0]!
    // The resolver is the black hole: discovery through it would time out.
    const report = await run(settings({ ip, nameservers: ['127.0.5.2'], resolvers: ['127.0.5.9'], timeoutSeconds: 20 }))
    const p = report.propagation!
    assert.equal(p.propagated, true, JSON.stringify(report.findings))
    assert.deepEqual(
      p.nameservers.map(n => n.address),
      ['127.0.5.2']
    )
    assert.equal(p.zone, 'example.test', 'zone learnt from the SOA in the authoritative answer')
    assert.equal(p.recursiveAnswer, undefined, 'the black-hole resolver gave no final answer')
  })

  test('AAAA: an IPv6 record, checked on the IPv4 and IPv6 addresses of every nameserver', async () => {
    await pair.nsupdate(['update add v6.example.test 60 AAAA 2001:db8::20'])
    const report = await run(settings({ domain: 'v6.example.test', ip: '2001:db8::20' }))
    const p = report.propagation!
    assert.equal(p.propagated, true, JSON.stringify(p))
    assert.deepEqual(row(report, '[::1]').answer, ['2001:db8::20'])
    assert.equal(p.nameservers.length, 3)
  })

  test('an address family the runner cannot reach at all is skipped with a warning naming it', async () => {
    // This machine routes IPv6, so "no IPv6 route" is simulated: the query function fails every
    // IPv6 address with the error a runner without IPv6 gets (ENETUNREACH). IPv4 stays real.
    const noIpv6: PropagationDeps = {
      ...deps,
      query: async (server, name, type, options) => {
        if (server.host.includes(':'))
          throw new DnsNetworkError(server, 'unreachable', 'is unreachable from this runner (ENETUNREACH)')
        return defaultPropagationDeps.query(server, name, type, options)
      }
    }
    const ip = (await lookup('127.0.5.1', 53, 'ldaps.example.test', 'A'))[0]!
    const report = await run(settings({ ip }), noIpv6)
    const p = report.propagation!
    assert.equal(p.propagated, true)
    assert.deepEqual(p.skippedAddresses, ['::1'])
    assert.equal(row(report, '[::1]').state, 'skipped')
    const warning = report.findings.find(f => f.severity === 'warning')!
    assert.match(warning.message, /no route to IPv6 at all; skipped ::1/)
  })
})

describe("the provider's in-sync signal (Route 53 GetChange) is required as well", () => {
  // The provider side is a stand-in for the DnsProvider interface (its Route 53 implementation is
  // tested against its own local server); the nameservers are the real BIND pair.
  const unused = async (): Promise<never> => {
    throw new Error('propagation never touches TXT values')
  }
  function signalling(inSync: boolean) {
    return {
      displayName: 'Route 53 stand-in',
      stats: { reads: 0, writes: 0 },
      findZone: async () => ({ name: 'example.test' }),
      read: async () => ({ recordSet: undefined, cname: undefined }),
      write: async () => ({ changeId: 'C1' }),
      txt: {
        readTxt: unused,
        addTxtValue: unused,
        removeTxtValue: unused
      },
      waitInSync: async () => {
        await new Promise(resolve => setTimeout(resolve, 300))
        return inSync
      }
    }
  }
  async function runWith(inSync: boolean): Promise<Report> {
    const ip = (await lookup('127.0.5.1', 53, 'ldaps.example.test', 'A'))[0]!
    const s = settings({ ip, timeoutSeconds: 3 })
    const report = createReport({ domain: s.domain, ip: s.ip, mode: s.mode, provider: 'route53', now: new Date() })
    const step = await runPropagation(
      { settings: s, zone: 'example.test', provider: signalling(inSync), write: { changeId: 'C1' } },
      deps
    )
    report.propagation = step.part
    report.findings.push(...step.findings)
    return report
  }
  test('nameservers in sync and INSYNC: propagated, no sooner than the signal', async () => {
    const report = await runWith(true)
    assert.equal(report.propagation!.propagated, true)
    assert.equal(report.propagation!.providerInSync, true)
    assert.ok(report.propagation!.seconds! >= 0.3)
  })
  test('nameservers in sync but no INSYNC: not propagated, and the message says why', async () => {
    const report = await runWith(false)
    assert.equal(report.propagation!.propagated, false)
    assert.match(
      report.findings[0]!.message,
      /every nameserver answers it; Route 53 stand-in did not report the change in sync/
    )
  })
})

describe('check mode', () => {
  test('one pass: a secondary still serving the old record is drift, with its answer and serial', async () => {
    await stalePair.nsupdate(['update delete ldaps.example.test A', 'update add ldaps.example.test 60 A 192.0.2.77'])
    const report = await run(settings({ ip: '192.0.2.77', mode: 'check', resolvers: ['127.0.5.11'] }))
    const p = report.propagation!
    assert.equal(p.propagated, false)
    const secondary = row(report, '127.0.5.12')
    assert.equal(secondary.state, 'stale')
    assert.deepEqual(secondary.answer, ['192.0.2.1'])
    assert.equal(secondary.serial, 1)
    assert.equal(row(report, '127.0.5.11').serial, 2)
    assert.ok(
      p.nameservers.every(n => n.queries === 2),
      'check mode asks once'
    )
    const drift = report.findings.find(f => f.drift === true)!
    assert.equal(drift.title, 'Nameserver drift')
    assert.match(drift.message, /ns2\.example\.test \(127\.0\.5\.12\) still answers 192\.0\.2\.1, SOA serial 1/)
  })

  test('no drift when every nameserver serves the record', async () => {
    const report = await run(
      settings({ ip: '192.0.2.1', mode: 'check', resolvers: ['127.0.5.12'], nameservers: ['127.0.5.12'] })
    )
    assert.equal(report.propagation!.propagated, true)
    assert.deepEqual(report.findings, [])
  })

  test('a CNAME at the name is reported from the authoritative answers', async () => {
    const report = await run(settings({ domain: 'alias.example.test', ip: '192.0.2.99', mode: 'check' }))
    assert.equal(report.propagation!.cname, 'target.example.test')
    assert.equal(row(report, '127.0.5.1').detail, 'CNAME to target.example.test')
    assert.ok(report.findings.some(f => f.title === 'CNAME at the name' && f.drift === true))
  })
})
