// The RFC 2136 provider against a real BIND 9 primary on 127.0.5.1: zone discovery, create,
// no-op, replace, AAAA, TSIG with three algorithms, wrong keys, a CNAME that must never be
// replaced, a concurrent writer, and check mode. Every result is checked with an independent
// UDP query to the server, not through the provider.

import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type dnsPacket from 'dns-packet'
import { lookup, startBindPair, type BindPair } from '../helpers/bind.ts'
import { Rfc2136Provider, type Rfc2136Settings } from '../../src/adapters/providers/rfc2136.ts'
import { PreconditionFailedError, ProviderError, type DnsProvider } from '../../src/adapters/providers/provider.ts'
import { planDnsChange, writeDnsChange } from '../../src/steps/dns-record.ts'
import { createReport } from '../../src/core/report.ts'
import type { Settings, TsigAlgorithm } from '../../src/core/settings.ts'

const PRIMARY = '127.0.5.1'
const ZONE = 'example.test'
let pair: BindPair

before(async () => {
  pair = await startBindPair({
    zone: ZONE,
    primary: PRIMARY,
    primaryV6: '::1',
    withSecondary: false,
    records: [
      'existing IN A 192.0.2.1',
      'existing IN TXT "keep me"',
      'alias IN CNAME target',
      'target IN A 192.0.2.99',
      // Wildcards below their own labels, so the names of the other tests stay unaffected.
      '*.wild 3600 IN A 192.0.2.77',
      'explicit.wild IN A 192.0.2.78',
      '*.wildcname IN CNAME target'
    ]
  })
})
after(async () => {
  await pair?.stop()
})

function provider(
  key: { name: string; secret: string; algorithm: TsigAlgorithm } | 'unsigned' = pair.keys.sha256
): Rfc2136Provider {
  return new Rfc2136Provider({
    kind: 'rfc2136',
    server: { host: PRIMARY, port: 53 },
    tsig: key === 'unsigned' ? undefined : key
  })
}

function settings(domain: string, ip: string, mode: 'apply' | 'check' = 'apply', ttl = 300): Settings {
  return {
    domain,
    ip,
    recordType: ip.includes(':') ? 'AAAA' : 'A',
    mode,
    ttl,
    zone: undefined,
    provider: { kind: 'rfc2136', server: { host: PRIMARY, port: 53 }, tsig: pair.keys.sha256 } as Rfc2136Settings,
    propagation: { wait: false, timeoutSeconds: 10, resolvers: [], nameservers: [] },
    certificate: {} as Settings['certificate'],
    drift: { failOnDrift: true, openIssue: false, githubToken: '' }
  }
}

/** Plans and writes as the action does; returns the report. */
async function upsert(p: DnsProvider, s: Settings) {
  const report = createReport({ domain: s.domain, ip: s.ip, mode: s.mode, provider: 'rfc2136', now: new Date() })
  const planned = await planDnsChange(s, p, report)
  if (s.mode === 'apply') await writeDnsChange(p, planned, report)
  return report
}

describe('zone discovery', () => {
  test('walks SOA up the name to the zone the server is authoritative for', async () => {
    assert.deepEqual(await provider().findZone('deep.below.ldaps.example.test', undefined), { name: ZONE })
    assert.deepEqual(await provider().findZone(ZONE, undefined), { name: ZONE })
  })
  test('checks a given zone, and names the server when it is not authoritative', async () => {
    assert.deepEqual(await provider().findZone('ldaps.example.test', ZONE), { name: ZONE })
    await assert.rejects(provider().findZone('ldaps.other.test', 'other.test'), (e: Error) => {
      assert.ok(e instanceof ProviderError)
      assert.match(e.message, /127\.0\.5\.1/)
      assert.match(e.message, /other\.test/)
      return true
    })
    await assert.rejects(
      provider().findZone('ldaps.other.test', undefined),
      /not authoritative for any zone that holds ldaps\.other\.test/
    )
  })
})

describe('upsert', () => {
  test('create: writes the A record once, conditional on no record and no CNAME', async () => {
    const p = provider()
    const report = await upsert(p, settings('create.example.test', '192.0.2.10', 'apply', 120))
    assert.equal(report.record?.action, 'create')
    assert.equal(report.record?.changed, true)
    assert.equal(p.stats.writes, 1)
    assert.deepEqual(await lookup(PRIMARY, 53, 'create.example.test', 'A'), ['192.0.2.10'])
  })

  test('no-op: the same record again makes zero writes', async () => {
    const p = provider()
    const report = await upsert(p, settings('create.example.test', '192.0.2.10', 'apply', 120))
    assert.equal(report.record?.action, 'none')
    assert.equal(report.record?.changed, false)
    assert.equal(p.stats.writes, 0)
    assert.equal(p.stats.reads, 1)
  })

  test('replace: the old value goes, other types at the name stay, previous values are reported', async () => {
    const p = provider()
    const report = await upsert(p, settings('existing.example.test', '192.0.2.11'))
    assert.equal(report.record?.action, 'replace')
    assert.deepEqual(report.record?.found?.values, ['192.0.2.1'])
    assert.deepEqual(await lookup(PRIMARY, 53, 'existing.example.test', 'A'), ['192.0.2.11'])
    const { udpQuery } = await import('../helpers/bind.ts')
    const txt = await udpQuery(PRIMARY, 53, 'existing.example.test', 'CNAME')
    assert.equal(txt.rcode, 'NOERROR', 'the name still exists with its other records')
  })

  test('a TTL-only change is a replace', async () => {
    const p = provider()
    const report = await upsert(p, settings('create.example.test', '192.0.2.10', 'apply', 600))
    assert.equal(report.record?.action, 'replace')
    const again = await provider().read({ name: ZONE }, 'create.example.test', 'A')
    assert.equal(again.recordSet?.ttl, 600)
  })

  test('AAAA: creates and then leaves an IPv6 record alone', async () => {
    const p = provider()
    await upsert(p, settings('v6.example.test', '2001:db8::10'))
    assert.deepEqual(await lookup(PRIMARY, 53, 'v6.example.test', 'AAAA'), ['2001:db8::10'])
    const again = provider()
    const report = await upsert(again, settings('v6.example.test', '2001:db8::10'))
    assert.equal(report.record?.action, 'none')
    assert.equal(again.stats.writes, 0)
    assert.deepEqual(await lookup(PRIMARY, 53, 'v6.example.test', 'A'), [], 'no A record was added')
  })

  test('a server on an IPv6 address works the same', async () => {
    const p = new Rfc2136Provider({ kind: 'rfc2136', server: { host: '::1', port: 53 }, tsig: pair.keys.sha256 })
    assert.equal(p.displayName, 'RFC 2136 server [::1]')
    const zone = await p.findZone('over-v6.example.test', undefined)
    await p.write(zone, {
      kind: 'create',
      desired: { name: 'over-v6.example.test', type: 'A', ttl: 60, values: ['192.0.2.80'] }
    })
    assert.deepEqual(await lookup(PRIMARY, 53, 'over-v6.example.test', 'A'), ['192.0.2.80'])
  })

  test('hmac-sha1 and hmac-sha512 keys sign and verify as well', async () => {
    for (const [key, ip] of [
      [pair.keys.sha1, '192.0.2.21'],
      [pair.keys.sha512, '192.0.2.22']
    ] as const) {
      const p = provider(key)
      await upsert(p, settings('algorithms.example.test', ip))
      assert.deepEqual(await lookup(PRIMARY, 53, 'algorithms.example.test', 'A'), [ip], key.algorithm)
    }
  })
})

describe('refusals', () => {
  test('a wrong secret is BADSIG, an unknown key BADKEY, each naming server, key and zone', async () => {
    const wrongSecret = provider({ ...pair.keys.sha256, secret: pair.keys.sha512.secret.slice(0, 44) })
    await assert.rejects(wrongSecret.findZone('ldaps.example.test', ZONE), (e: Error) => {
      assert.ok(e instanceof ProviderError)
      assert.match(e.message, /127\.0\.5\.1 rejected/)
      assert.match(e.message, /BADSIG/)
      assert.match(e.message, /"update-key" \(hmac-sha256\)/)
      assert.match(e.message, /example\.test/)
      return true
    })
    await assert.rejects(
      provider({ ...pair.keys.sha256, name: 'no-such-key' }).findZone('ldaps.example.test', ZONE),
      /BADKEY/
    )
    // A key the server knows under another algorithm is not the same key.
    await assert.rejects(
      provider({ ...pair.keys.sha256, algorithm: 'hmac-sha512' }).findZone('ldaps.example.test', ZONE),
      /BADKEY|BADSIG/
    )
    assert.deepEqual(await lookup(PRIMARY, 53, 'ldaps.example.test', 'A'), [], 'nothing was written')
  })

  test('an unsigned update is refused with a hint to set the key', async () => {
    const p = provider('unsigned')
    await assert.rejects(upsert(p, settings('unsigned.example.test', '192.0.2.30')), /REFUSED.*rfc2136-tsig-key-name/)
    assert.deepEqual(await lookup(PRIMARY, 53, 'unsigned.example.test', 'A'), [])
  })
})

describe('conflicts and races', () => {
  test('a CNAME at the name is a conflict found before any write, and is never replaced', async () => {
    const p = provider()
    await assert.rejects(upsert(p, settings('alias.example.test', '192.0.2.40')), /CNAME to target\.example\.test/)
    assert.equal(p.stats.writes, 0)
    // Even a create sent blindly is stopped by its "no CNAME" prerequisite on the server.
    await assert.rejects(
      p.write(
        { name: ZONE },
        { kind: 'create', desired: { name: 'alias.example.test', type: 'A', ttl: 60, values: ['192.0.2.40'] } }
      ),
      PreconditionFailedError
    )
    const { udpQuery } = await import('../helpers/bind.ts')
    const cname = await udpQuery(PRIMARY, 53, 'alias.example.test', 'CNAME')
    assert.equal(cname.answers?.[0]?.type, 'CNAME')
  })

  test('a replace whose old value changed underneath fails its prerequisite and writes nothing', async () => {
    const p = provider()
    await upsert(p, settings('race.example.test', '192.0.2.50'))
    const read = await p.read({ name: ZONE }, 'race.example.test', 'A')
    await pair.nsupdate(['update delete race.example.test A', 'update add race.example.test 300 A 192.0.2.51'])
    await assert.rejects(
      p.write(
        { name: ZONE },
        {
          kind: 'replace',
          expected: read.recordSet!,
          desired: { name: 'race.example.test', type: 'A', ttl: 300, values: ['192.0.2.52'] }
        }
      ),
      (e: Error) => e instanceof PreconditionFailedError && /NXRRSET/.test(e.message)
    )
    assert.deepEqual(await lookup(PRIMARY, 53, 'race.example.test', 'A'), ['192.0.2.51'])
    // And a create when someone created the set meanwhile: YXRRSET.
    await assert.rejects(
      p.write(
        { name: ZONE },
        { kind: 'create', desired: { name: 'race.example.test', type: 'A', ttl: 300, values: ['192.0.2.52'] } }
      ),
      (e: Error) => e instanceof PreconditionFailedError && /YXRRSET/.test(e.message)
    )
  })

  test('the step re-reads and re-plans after losing a race, and ends with the desired record', async () => {
    const real = provider()
    let interfered = 0
    // A second writer changes the record between our read and our first write.
    const racing: DnsProvider = {
      displayName: real.displayName,
      stats: real.stats,
      findZone: (d, z) => real.findZone(d, z),
      read: (z, n, t) => real.read(z, n, t),
      async write(z, change) {
        if (interfered++ === 0) {
          await pair.nsupdate(['update delete race2.example.test A', 'update add race2.example.test 300 A 192.0.2.61'])
        }
        return real.write(z, change)
      }
    }
    await upsert(provider(), settings('race2.example.test', '192.0.2.60'))
    const report = await upsert(racing, settings('race2.example.test', '192.0.2.62'))
    assert.equal(real.stats.writes, 2, 'first write lost the race, second one won')
    assert.equal(real.stats.reads, 2)
    assert.deepEqual(report.record?.found?.values, ['192.0.2.61'], 'the re-read saw the other writer')
    assert.deepEqual(await lookup(PRIMARY, 53, 'race2.example.test', 'A'), ['192.0.2.62'])
  })

  test('check mode reads only, and reports drift', async () => {
    const p = provider()
    const report = await upsert(p, settings('existing.example.test', '192.0.2.70', 'check'))
    assert.equal(p.stats.writes, 0)
    assert.ok(report.findings.some(f => f.drift === true && /192\.0\.2\.11 → 192\.0\.2\.70/.test(f.message)))
    assert.deepEqual(await lookup(PRIMARY, 53, 'existing.example.test', 'A'), ['192.0.2.11'])
  })
})

describe('wildcards (RFC 4592): a synthesised answer is not a record at the name', () => {
  test('the read tells the wildcard answer from a record of the name, through the prerequisite-only update', async () => {
    const p = provider()
    const synthesised = await p.read({ name: ZONE }, 'ldaps.wild.example.test', 'A')
    assert.deepEqual(synthesised, {
      recordSet: undefined,
      cname: undefined,
      wildcard: { type: 'A', values: ['192.0.2.77'] }
    })
    const own = await p.read({ name: ZONE }, 'explicit.wild.example.test', 'A')
    assert.deepEqual(own.recordSet?.values, ['192.0.2.78'])
    assert.equal(own.wildcard, undefined)
    assert.equal(p.stats.reads, 2)
    assert.equal(p.stats.writes, 0)
    // The wildcard's own name is a record like any other (the asterisk label, not a synthesis).
    const star = await p.read({ name: ZONE }, '*.wild.example.test', 'A')
    assert.deepEqual(star.recordSet?.values, ['192.0.2.77'])
  })

  test('check mode: no record at the name is drift, worded with what the wildcard answers', async () => {
    const p = provider()
    // The declared address is what the wildcard answers, with another TTL: before, this read as
    // a TTL drift of a record that does not exist.
    const report = await upsert(p, settings('check.wild.example.test', '192.0.2.77', 'check', 300))
    assert.equal(p.stats.writes, 0)
    assert.equal(report.record?.action, 'create')
    assert.deepEqual(report.record?.found?.values, [])
    const drift = report.findings.find(f => f.drift === true)
    assert.ok(drift, JSON.stringify(report.findings))
    assert.match(drift.message, /no A record at check\.wild\.example\.test; the zone's wildcard answers 192\.0\.2\.77$/)
    assert.doesNotMatch(drift.message, /TTL/)
  })

  test('apply creates the explicit record (the same address as the wildcard), then leaves it alone', async () => {
    const p = provider()
    const report = await upsert(p, settings('ldaps.wild.example.test', '192.0.2.77', 'apply', 300))
    assert.equal(report.record?.action, 'create')
    assert.equal(report.record?.changed, true)
    assert.equal(p.stats.writes, 1, 'one write: no "changed under us" loop')
    const { udpQuery } = await import('../helpers/bind.ts')
    const at = await udpQuery(PRIMARY, 53, 'ldaps.wild.example.test', 'A')
    const sibling = await udpQuery(PRIMARY, 53, 'someone-else.wild.example.test', 'A')
    assert.deepEqual(
      at.answers?.map(a => [a.name, (a as dnsPacket.StringAnswer).ttl, (a as dnsPacket.StringAnswer).data]),
      [['ldaps.wild.example.test', 300, '192.0.2.77']],
      "the name now holds its own record (TTL 300, not the wildcard's 3600)"
    )
    assert.deepEqual(
      sibling.answers?.map(a => [(a as dnsPacket.StringAnswer).ttl, (a as dnsPacket.StringAnswer).data]),
      [[3600, '192.0.2.77']],
      'the wildcard stays'
    )
    const again = provider()
    const second = await upsert(again, settings('ldaps.wild.example.test', '192.0.2.77', 'apply', 300))
    assert.equal(second.record?.action, 'none')
    assert.equal(again.stats.writes, 0)
  })

  test('a wildcard CNAME is no CNAME at the name: apply creates the A record, check says what answers', async () => {
    const checked = await upsert(provider(), settings('ldaps.wildcname.example.test', '192.0.2.88', 'check'))
    assert.ok(!checked.findings.some(f => f.title === 'CNAME at the name'), JSON.stringify(checked.findings))
    assert.ok(
      checked.findings.some(f => /the zone's wildcard answers CNAME target\.example\.test$/.test(f.message)),
      JSON.stringify(checked.findings)
    )
    const p = provider()
    const report = await upsert(p, settings('ldaps.wildcname.example.test', '192.0.2.88'))
    assert.equal(report.record?.action, 'create')
    assert.equal(p.stats.writes, 1)
    assert.deepEqual(await lookup(PRIMARY, 53, 'ldaps.wildcname.example.test', 'A'), ['192.0.2.88'])
    // A real CNAME still is one (the conflict test above); and the wildcard still answers elsewhere.
    const { udpQuery } = await import('../helpers/bind.ts')
    const other = await udpQuery(PRIMARY, 53, 'x.wildcname.example.test', 'A')
    assert.equal(other.answers?.[0]?.type, 'CNAME')
  })

  test('a server that refuses the prerequisite-only update (no key): a random sibling name tells them apart', async () => {
    const p = provider('unsigned')
    const synthesised = await p.read({ name: ZONE }, 'nokey.wild.example.test', 'A')
    assert.deepEqual(synthesised.wildcard, { type: 'A', values: ['192.0.2.77'] })
    assert.equal(synthesised.recordSet, undefined)
    const own = await p.read({ name: ZONE }, 'explicit.wild.example.test', 'A')
    assert.deepEqual(own.recordSet?.values, ['192.0.2.78'])
    const cname = await p.read({ name: ZONE }, 'nokey.wildcname.example.test', 'A')
    assert.deepEqual(cname, {
      recordSet: undefined,
      cname: undefined,
      wildcard: { type: 'CNAME', values: ['target.example.test'] }
    })
    assert.match((await p.read({ name: ZONE }, 'alias.example.test', 'A')).cname ?? '', /^target\.example\.test$/)
  })

  test('the prerequisite-only update changes nothing: the serial stays', async () => {
    const { udpQuery } = await import('../helpers/bind.ts')
    const serial = async () =>
      ((await udpQuery(PRIMARY, 53, ZONE, 'SOA')).answers?.[0] as dnsPacket.SoaAnswer).data.serial
    const before = await serial()
    await provider().read({ name: ZONE }, 'existing.example.test', 'A')
    await provider().read({ name: ZONE }, 'serial.wild.example.test', 'A')
    assert.equal(await serial(), before)
  })
})

/** Reads the records of a message that uses no name compression (as ours), rdata as hex. */
function readRecords(message: Buffer): { counts: number[]; records: [string, number, number, number, string][] } {
  const counts = [4, 6, 8, 10].map(o => message.readUInt16BE(o))
  let offset = 12
  const readName = (): string => {
    const labels: string[] = []
    while (message[offset] !== 0) {
      labels.push(message.toString('latin1', offset + 1, offset + 1 + message[offset]!))
      offset += 1 + message[offset]!
    }
    offset++
    return labels.join('.')
  }
  readName()
  offset += 4
  const records: [string, number, number, number, string][] = []
  for (let i = 0; i < counts[1]! + counts[2]! + counts[3]!; i++) {
    const name = readName()
    const [type, klass, ttl, length] = [
      message.readUInt16BE(offset),
      message.readUInt16BE(offset + 2),
      message.readUInt32BE(offset + 4),
      message.readUInt16BE(offset + 8)
    ]
    records.push([name, type, klass, ttl, message.toString('hex', offset + 10, offset + 10 + length)])
    offset += 10 + length
  }
  assert.equal(offset, message.length)
  return { counts, records }
}

describe('the UPDATE message', () => {
  test('states the old set as value-dependent prerequisites, and replaces only that type', async () => {
    const { planUpdateMessage } = await import('../../src/adapters/providers/rfc2136.ts')
    const message = planUpdateMessage(7, 'example.test', {
      kind: 'replace',
      expected: { name: 'ldaps.example.test', type: 'A', ttl: 300, values: ['192.0.2.1', '192.0.2.2'] },
      desired: { name: 'ldaps.example.test', type: 'A', ttl: 60, values: ['192.0.2.3'] }
    })
    assert.equal((message.readUInt16BE(2) >> 11) & 0xf, 5, 'opcode UPDATE')
    const { counts, records } = readRecords(message)
    assert.deepEqual(counts, [1, 3, 2, 0], 'zone, 3 prerequisites, 2 updates')
    const n = 'ldaps.example.test'
    assert.deepEqual(records, [
      [n, 5, 254, 0, ''], // prerequisite: no CNAME (class NONE)
      [n, 1, 1, 0, 'c0000201'], // prerequisite: the old set exactly (value dependent, TTL 0)
      [n, 1, 1, 0, 'c0000202'],
      [n, 1, 255, 0, ''], // update: delete the A set (class ANY)
      [n, 1, 1, 60, 'c0000203'] // update: add the new record
    ])
  })

  test('a create requires that neither the set nor a CNAME exists', async () => {
    const { planUpdateMessage } = await import('../../src/adapters/providers/rfc2136.ts')
    const message = planUpdateMessage(8, 'example.test', {
      kind: 'create',
      desired: { name: 'v6.example.test', type: 'AAAA', ttl: 60, values: ['2001:db8::1'] }
    })
    const { counts, records } = readRecords(message)
    assert.deepEqual(counts, [1, 2, 1, 0])
    assert.deepEqual(records, [
      ['v6.example.test', 5, 254, 0, ''],
      ['v6.example.test', 28, 254, 0, ''],
      ['v6.example.test', 28, 1, 60, '20010db8000000000000000000000001']
    ])
  })
})
