// What is specific to the RFC 2136 provider, against a real BIND 9 primary on 127.0.5.1: zone
// discovery without a zone input, other types at the name kept, a TTL-only change, AAAA, a server
// on IPv6, TSIG with three algorithms, unknown keys, unsigned updates, the server-side
// prerequisites, wildcards and the UPDATE message. Create, no-op, replace, CNAME refusal, lost
// races, check mode, a wrong secret and an unknown zone are the conformance suite's
// (__tests__/providers/rfc2136.test.ts). Every result is checked with an independent UDP query.

import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type dnsPacket from 'dns-packet'
import { lookup, startBindPair, udpQuery, type BindPair } from '../helpers/bind.ts'
import { settingsFrom } from '../helpers/settings.ts'
import { upsert as upsertStep } from '../helpers/upsert.ts'
import { Rfc2136Provider } from '../../src/adapters/providers/rfc2136.ts'
import { PreconditionFailedError, type DnsProvider } from '../../src/adapters/providers/provider.ts'
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

/** Settings as a run parses them from its inputs: no zone input, so the provider discovers it. */
function settings(domain: string, ip: string, mode: 'apply' | 'check' = 'apply', ttl = 300): Settings {
  return settingsFrom({
    domain,
    ip,
    mode,
    ttl: String(ttl),
    provider: 'rfc2136',
    'rfc2136-server': PRIMARY,
    'rfc2136-tsig-key-name': pair.keys.sha256.name,
    'rfc2136-tsig-secret': pair.keys.sha256.secret,
    'wait-for-propagation': 'false',
    'verify-certificate': 'false'
  })
}

/** Plans and writes as the action does; returns the report. */
const upsert = async (p: DnsProvider, s: Settings) => (await upsertStep(p, s)).report

describe('zone discovery', () => {
  test('walks SOA up the name to the zone the server is authoritative for', async () => {
    assert.deepEqual(await provider().findZone('deep.below.ldaps.example.test', undefined), { name: ZONE })
    assert.deepEqual(await provider().findZone(ZONE, undefined), { name: ZONE })
  })
  // A given zone the server does not serve is the conformance suite's "unknown zone".
  test('checks a given zone; without one, says no zone it serves holds the name', async () => {
    assert.deepEqual(await provider().findZone('ldaps.example.test', ZONE), { name: ZONE })
    await assert.rejects(
      provider().findZone('ldaps.other.test', undefined),
      /not authoritative for any zone that holds ldaps\.other\.test/
    )
  })
})

describe('upsert', () => {
  // Create, no-op and the replace's reported values are the conformance suite's; what is RFC 2136's
  // own is that a replace deletes only the A set.
  test('replace: other types at the name stay', async () => {
    await upsert(provider(), settings('existing.example.test', '192.0.2.11'))
    assert.deepEqual(await lookup(PRIMARY, 53, 'existing.example.test', 'A'), ['192.0.2.11'])
    const other = await udpQuery(PRIMARY, 53, 'existing.example.test', 'CNAME')
    assert.equal(other.rcode, 'NOERROR', 'the name still exists with its TXT record')
  })

  test('a TTL-only change is a replace', async () => {
    await pair.nsupdate(['update add ttl.example.test 120 A 192.0.2.10'])
    const p = provider()
    const report = await upsert(p, settings('ttl.example.test', '192.0.2.10', 'apply', 600))
    assert.equal(report.record?.action, 'replace')
    const again = await provider().read({ name: ZONE }, 'ttl.example.test', 'A')
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
  // A wrong secret (BADSIG, naming server, key and algorithm) is the conformance suite's refused credential.
  test('an unknown key is BADKEY, and a known key under another algorithm is refused', async () => {
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
  // The plan refusing a CNAME before any write is the conformance suite's; here, the server's own guard.
  test('a create sent blindly at a CNAME is stopped by its "no CNAME" prerequisite on the server', async () => {
    const p = provider()
    await assert.rejects(
      p.write(
        { name: ZONE },
        { kind: 'create', desired: { name: 'alias.example.test', type: 'A', ttl: 60, values: ['192.0.2.40'] } }
      ),
      PreconditionFailedError
    )
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
  // The step re-reading and re-planning after a lost race, and check mode's drift with zero
  // writes, are the conformance suite's.
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
