// DNS faults through the bundled action, against real BIND 9 servers on 127.0.14.x: a nameserver
// that is down, one that answers REFUSED (not authoritative for the zone), one that serves stale
// data forever, and an answer too large for UDP that must be fetched again over TCP. Each is
// reported per nameserver address, distinct from the others, and never waited on silently.

import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { runAction, type ActionRun } from '../helpers/run-action.ts'
import { startBindPair, startBindServer, type BindPair, type BindServer } from '../helpers/bind.ts'

const ZONE = 'contoso100.com'
const DOMAIN = `ldaps.${ZONE}`
const WIDE = `wide.${ZONE}`
const DOWN = '127.0.14.9'
// 100 addresses for one name: about 1.6 KB, more than the 1232-byte EDNS buffer the client offers.
const WIDE_RECORDS = Array.from({ length: 100 }, (_, i) => `wide 300 IN A 127.0.15.${i + 1}`)

let pair: BindPair
let other: BindServer

before(async () => {
  // The secondary refreshes once an hour: whatever the primary gets later stays stale there.
  pair = await startBindPair({
    zone: ZONE,
    primary: '127.0.14.1',
    secondary: '127.0.14.2',
    refreshSeconds: 3600,
    records: ['ldaps 300 IN A 127.0.14.100', ...WIDE_RECORDS]
  })
  other = await startBindServer({
    addresses: ['127.0.14.3'],
    zones: [{ name: 'fabrikam.test', role: 'primary', records: ['@ IN NS ns1', 'ns1 IN A 127.0.14.3'] }]
  })
})

after(async () => {
  await other?.stop()
  await pair?.stop()
})

function states(run: ActionRun): Record<string, string> {
  return Object.fromEntries(
    run.report.propagation.nameservers.map((n: { address: string; state: string }) => [n.address, n.state])
  )
}

/** A check-mode run that only reads what the nameservers answer for domain (no provider, no probe). */
function checkRun(domain: string, ip: string, nameservers: string): Promise<ActionRun> {
  return runAction({ domain, ip, provider: 'none', mode: 'check', nameservers, 'verify-certificate': 'false' })
}

describe('DNS faults', () => {
  it('a nameserver that is down is named as unreachable; the step fails at the timeout, the others in sync', async () => {
    const run = await runAction({
      domain: DOMAIN,
      ip: '127.0.14.100',
      provider: 'none',
      nameservers: `${pair.primaryAddress},${DOWN}`,
      'propagation-timeout': '3',
      'verify-certificate': 'false'
    })
    assert.equal(run.exitCode, 1, run.stdout)
    assert.equal(run.outputs['propagated'], 'false')
    assert.deepEqual(states(run), { [pair.primaryAddress]: 'in-sync', [DOWN]: 'unreachable' })
    assert.match(run.stdout, new RegExp(`::error[^\\n]*${DOWN.replace(/\./g, '\\.')}`))
  })

  it('a server that is not authoritative answers REFUSED and is reported as such, not as old data', async () => {
    const run = await checkRun(DOMAIN, '127.0.14.100', `${pair.primaryAddress},127.0.14.3`)
    assert.equal(run.exitCode, 1, run.stdout)
    assert.equal(run.outputs['drift'], 'true')
    assert.equal(states(run)['127.0.14.3'], 'refused')
    assert.equal(states(run)[pair.primaryAddress], 'in-sync')
  })

  it('a nameserver that serves stale data forever times out with what it answers and its SOA serial', async () => {
    const key = pair.keys.sha256
    const run = await runAction({
      domain: DOMAIN,
      ip: '127.0.14.101',
      provider: 'rfc2136',
      'rfc2136-server': pair.primaryAddress,
      'rfc2136-tsig-key-name': key.name,
      'rfc2136-tsig-secret': key.secret,
      resolver: pair.primaryAddress,
      'propagation-timeout': '3',
      'verify-certificate': 'false'
    })
    assert.equal(run.exitCode, 1, run.stdout)
    assert.equal(run.outputs['record-changed'], 'true')
    assert.equal(run.outputs['propagated'], 'false')
    const secondary = run.report.propagation.nameservers.find(
      (n: { address: string }) => n.address === pair.secondaryAddress
    )
    assert.equal(secondary.state, 'stale')
    assert.deepEqual(secondary.answer, ['127.0.14.100'])
    assert.equal(typeof secondary.serial, 'number')
    assert.equal(states(run)[pair.primaryAddress], 'in-sync')
    assert.match(run.summary, /127\.0\.14\.2\) \| 127\.0\.14\.100 \| (❌|⚠️) differs/)
  })

  it('an answer truncated over UDP is fetched again over TCP and judged whole', async () => {
    const run = await checkRun(WIDE, '127.0.15.1', pair.primaryAddress)
    // The name holds 100 addresses, not exactly ip: drift, with every address seen (only TCP has them all).
    assert.equal(run.exitCode, 1, run.stdout)
    const [answer] = run.report.propagation.nameservers
    assert.equal(answer.state, 'stale')
    assert.equal(answer.answer.length, 100)
  })
})
