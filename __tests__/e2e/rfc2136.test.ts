// The bundled action (dist/index.js, run as a runner does) with provider rfc2136 against a real
// BIND 9 pair: the primary on 127.0.5.1 (and [::1]) takes TSIG-signed updates, the secondary on
// 127.0.5.2 transfers the zone every 2 s with NOTIFY off. Build first: npm run build.

import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, connect } from 'node:net'
import { ensureLoopbackAddress, lookup, startBindPair, udpQuery, type BindPair } from '../helpers/bind.ts'
import { runAction } from '../helpers/run-action.ts'

let pair: BindPair

before(async () => {
  pair = await startBindPair({
    primary: '127.0.5.1',
    secondary: '127.0.5.2',
    primaryV6: '::1',
    refreshSeconds: 2,
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

  test('no-op: the same inputs again write nothing', async () => {
    const run = await runAction(inputs())
    assert.equal(run.exitCode, 0, run.stdout)
    assert.equal(run.outputs['record-changed'], 'false')
    assert.equal(run.report.record.action, 'none')
    assert.equal(run.report.record.providerWrites, 0)
    assert.equal(run.outputs['propagated'], 'true')
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

  test('wrong key: fails naming the server and the key, and writes nothing', async () => {
    const run = await runAction(inputs({ ip: '192.0.2.12', 'rfc2136-tsig-secret': pair.keys.sha512.secret }))
    assert.equal(run.exitCode, 1)
    assert.match(
      run.stdout,
      /::error title=[^:]*::RFC 2136: 127\.0\.5\.1 rejected .*"update-key" \(hmac-sha256\).*BADSIG/
    )
    assert.equal(run.outputs['record-changed'], 'false')
    assert.deepEqual(await lookup('127.0.5.1', 53, 'ldaps.example.test', 'A'), ['192.0.2.11'])
  })

  test('CNAME at the name: fails before any write and leaves the CNAME', async () => {
    const run = await runAction(inputs({ domain: 'alias.example.test' }))
    assert.equal(run.exitCode, 1)
    assert.match(run.stdout, /alias\.example\.test is a CNAME to target\.example\.test/)
    assert.equal(run.report.record.providerWrites, 0)
    const answer = await udpQuery('127.0.5.1', 53, 'alias.example.test', 'A')
    assert.deepEqual(
      answer.answers?.map(a => [a.name, a.type]),
      [
        ['alias.example.test', 'CNAME'],
        ['target.example.test', 'A']
      ],
      'still the CNAME, and no A record beside it'
    )
  })

  test('race: another writer changes the record between read and write; the action re-reads and wins cleanly', async () => {
    // A transparent TCP proxy in front of the primary holds the action's first UPDATE until a
    // second writer (nsupdate, straight to the primary) has changed the record. No mock: the
    // action's signed messages reach the real server unchanged, just later.
    await ensureLoopbackAddress('127.0.5.20')
    let interfered = 0
    const proxy = createServer(client => {
      const upstream = connect(53, '127.0.5.1')
      upstream.on('data', d => client.write(d))
      upstream.on('error', () => client.destroy())
      client.on('error', () => upstream.destroy())
      let pending = Buffer.alloc(0)
      let chain = Promise.resolve()
      client.on('data', chunk => {
        pending = Buffer.concat([pending, chunk])
        while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
          const frame = pending.subarray(0, 2 + pending.readUInt16BE(0))
          pending = pending.subarray(frame.length)
          const isUpdate = ((frame[4]! >> 3) & 0xf) === 5
          chain = chain.then(async () => {
            if (isUpdate && interfered++ === 0) {
              await pair.nsupdate([
                'update delete ldaps.example.test A',
                'update add ldaps.example.test 300 A 192.0.2.66'
              ])
            }
            upstream.write(frame)
          })
        }
      })
    })
    await new Promise<void>(resolve => proxy.listen(53, '127.0.5.20', resolve))
    try {
      const run = await runAction(inputs({ ip: '192.0.2.14', 'rfc2136-server': '127.0.5.20' }))
      assert.equal(run.exitCode, 0, run.stdout)
      assert.match(run.stdout, /::warning title=[^:]*::The record changed between read and write/)
      assert.equal(run.report.record.providerWrites, 2)
      assert.deepEqual(run.report.record.found.values, ['192.0.2.66'], 'the re-read saw the other writer')
      assert.equal(run.outputs['previous-ips'], '192.0.2.66')
      assert.deepEqual(await both('ldaps.example.test'), [['192.0.2.14'], ['192.0.2.14']])
    } finally {
      await new Promise(resolve => proxy.close(resolve))
    }
    // Back to the value the following tests expect.
    await pair.nsupdate(['update delete ldaps.example.test A', 'update add ldaps.example.test 300 A 192.0.2.11'])
    for (let i = 0; i < 100 && (await lookup('127.0.5.2', 53, 'ldaps.example.test', 'A'))[0] !== '192.0.2.11'; i++) {
      await new Promise(resolve => setTimeout(resolve, 100))
    }
  })

  test('AAAA: an IPv6 address writes an AAAA record, checked on [::1] too', async () => {
    const run = await runAction(inputs({ domain: 'v6.example.test', ip: '2001:db8::30' }))
    assert.equal(run.exitCode, 0, run.stdout)
    assert.equal(run.outputs['propagated'], 'true')
    assert.deepEqual(await both('v6.example.test', 'AAAA'), [['2001:db8::30'], ['2001:db8::30']])
    assert.ok(run.report.propagation.nameservers.some((n: any) => n.address === '[::1]' && n.state === 'in-sync'))
  })

  test('check mode: drift is reported and nothing is written', async () => {
    const run = await runAction(inputs({ mode: 'check', ip: '192.0.2.13' }))
    assert.equal(run.exitCode, 1, 'fail-on-drift defaults to true')
    assert.equal(run.outputs['drift'], 'true')
    assert.equal(run.report.record.providerWrites, 0)
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
