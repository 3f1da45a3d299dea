// Bounds through the bundled action (npm run build first), against real servers on 127.0.31.x:
//
//  - fan-out: a real BIND 9 serving zones whose delegation is too wide (14 NS names), too crowded
//    (one NS name with 9 addresses) or too big in all (5 names of 7 addresses): the run fails with
//    a message naming the bound, and not one of those addresses is polled (none of them listens);
//  - discovery inside propagation-timeout: four resolvers that never answer (UDP sockets here, the
//    only faithful stand-in for a resolver that drops queries): with propagation-timeout 2 the
//    action stops asking once the 2 s are spent instead of trying each for its full query timeout.

import assert from 'node:assert/strict'
import { createSocket, type Socket } from 'node:dgram'
import { after, before, describe, it } from 'node:test'
import { requireBundle } from '../helpers/stand-ins.ts'
import { ensureLoopbackAddress, startBindServer, type BindServer } from '../helpers/bind.ts'
import { runAction, type ActionRun } from '../helpers/run-action.ts'
import {
  MAX_ADDRESSES_PER_NAMESERVER,
  MAX_NAMESERVER_ADDRESSES,
  MAX_NAMESERVER_NAMES
} from '../../src/core/propagation.ts'

const DNS_HOST = '127.0.31.1'
const HOLES = ['127.0.31.50', '127.0.31.51', '127.0.31.52', '127.0.31.53']

/** `count` A records for `name`, at addresses 127.0.31.100 upwards (nothing listens there). */
const addresses = (name: string, count: number, from = 100): string[] =>
  Array.from({ length: count }, (_, i) => `${name} IN A 127.0.31.${from + i}`)

function zone(name: string, records: string[]) {
  return { name, role: 'primary' as const, records }
}

const errorMessages = (run: ActionRun): string[] =>
  (run.report?.findings ?? [])
    .filter((f: { severity: string }) => f.severity === 'error')
    .map((f: { message: string }) => f.message)

describe('fan-out and discovery bounds through the bundled action', () => {
  let bind: BindServer
  const holes: Socket[] = []
  const received = new Map<string, number>()

  before(async () => {
    requireBundle()
    const names = Array.from({ length: MAX_NAMESERVER_NAMES + 1 }, (_, i) => `ns${i + 1}`)
    const five = ['ns1', 'ns2', 'ns3', 'ns4', 'ns5']
    bind = await startBindServer({
      addresses: [DNS_HOST],
      zones: [
        zone('wide.test', [...names.map(n => `@ IN NS ${n}`), ...names.map(n => `${n} IN A 127.0.31.100`)]),
        zone('crowded.test', ['@ IN NS ns1', ...addresses('ns1', MAX_ADDRESSES_PER_NAMESERVER + 1)]),
        zone('big.test', [...five.map(n => `@ IN NS ${n}`), ...five.flatMap((n, i) => addresses(n, 7, 100 + i * 7))])
      ]
    })
    for (const host of HOLES) {
      await ensureLoopbackAddress(host)
      const hole = createSocket('udp4')
      hole.on('message', () => received.set(host, (received.get(host) ?? 0) + 1))
      await new Promise<void>(resolve => hole.bind(53, host, resolve))
      holes.push(hole)
    }
  })
  after(async () => {
    for (const hole of holes) hole.close()
    await bind?.stop()
  })

  const check = (domain: string, extra: Record<string, string> = {}) =>
    runAction({
      domain,
      ip: '192.0.2.10',
      provider: 'none',
      mode: 'check',
      resolver: DNS_HOST,
      'verify-certificate': 'false',
      ...extra
    })

  it(`more than ${MAX_NAMESERVER_NAMES} NS names: refused, naming the bound`, async () => {
    const run = await check('ldaps.wide.test')
    assert.equal(run.exitCode, 1, run.stdout)
    assert.match(
      errorMessages(run).join('\n'),
      new RegExp(
        `Propagation: the nameservers of wide\\.test are ${MAX_NAMESERVER_NAMES + 1} names, more than the ${MAX_NAMESERVER_NAMES} this action polls`
      )
    )
    assert.equal(run.report.propagation?.nameservers ?? undefined, undefined, 'nothing was polled')
  })

  it(`an NS name with more than ${MAX_ADDRESSES_PER_NAMESERVER} addresses: refused, naming it`, async () => {
    const run = await check('ldaps.crowded.test')
    assert.equal(run.exitCode, 1, run.stdout)
    assert.match(
      errorMessages(run).join('\n'),
      new RegExp(
        `nameserver ns1\\.crowded\\.test has ${MAX_ADDRESSES_PER_NAMESERVER + 1} addresses, more than the ${MAX_ADDRESSES_PER_NAMESERVER} per name`
      )
    )
  })

  it(`more than ${MAX_NAMESERVER_ADDRESSES} addresses in all: refused`, async () => {
    const run = await check('ldaps.big.test')
    assert.equal(run.exitCode, 1, run.stdout)
    assert.match(
      errorMessages(run).join('\n'),
      new RegExp(`the nameservers of big\\.test have 35 addresses in all, more than the ${MAX_NAMESERVER_ADDRESSES}`)
    )
  })

  it('propagation-timeout bounds nameserver discovery: no resolver is asked once it is spent', async () => {
    received.clear()
    const run = await check('ldaps.contoso100.com', { resolver: HOLES.join(', '), 'propagation-timeout': '2' })
    assert.equal(run.exitCode, 1, run.stdout)
    assert.match(
      errorMessages(run).join('\n'),
      /Propagation: finding the authoritative nameservers of ldaps\.contoso100\.com did not finish within propagation-timeout \(2 s\); it was asking 127\.0\.31\.50, 127\.0\.31\.51, 127\.0\.31\.52, 127\.0\.31\.53 for SOA of contoso100\.com/
    )
    // Each query waits up to 1.5 s: the first resolver takes 1.5 s, the second the 0.5 s left,
    // the other two are never asked (without the bound, all four were, for 6 s).
    const asked = HOLES.filter(h => (received.get(h) ?? 0) > 0)
    assert.deepEqual(asked, HOLES.slice(0, 2), JSON.stringify([...received]))
  })
})
