// The pure part of propagation: classifying one answer, the poll schedule, serial arithmetic,
// skipping an unreachable address family, and the timeout table.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import {
  fanOutViolation,
  MAX_ADDRESSES_PER_NAMESERVER,
  MAX_NAMESERVER_ADDRESSES,
  MAX_NAMESERVER_NAMES,
  compareSerials,
  DEFAULT_POLL_SCHEDULE,
  describeLaggards,
  evaluatePairAnswer,
  evaluateUnreachableFamilies,
  isPropagated,
  isTransient,
  newestSerial,
  maxAnswerQueries,
  nextPollAt,
  propagationFindings,
  summarizePropagation,
  unreachableFamilyFindings,
  type PairOutcome,
  renderPairTable,
  type PairObservation
} from '../../src/core/propagation.ts'
import type { NameserverReport } from '../../src/core/report.ts'

const answer = (o: Partial<Extract<PairObservation, { kind: 'answer' }>>): PairObservation => ({
  kind: 'answer',
  rcode: 'NOERROR',
  authoritative: true,
  addresses: [],
  ...o
})

test('each kind of answer gets its own state', () => {
  const desired = ['192.0.2.7']
  const cases: [PairObservation, string, string | undefined][] = [
    [answer({ addresses: ['192.0.2.7'] }), 'in-sync', undefined],
    [answer({ addresses: ['192.0.2.7', '192.0.2.7'] }), 'in-sync', undefined],
    [answer({ addresses: ['192.0.2.7', '192.0.2.8'] }), 'stale', undefined],
    [answer({ addresses: ['192.0.2.1'] }), 'stale', undefined],
    [answer({ rcode: 'NXDOMAIN' }), 'stale', 'NXDOMAIN (name not there yet)'],
    [answer({}), 'stale', 'no record'],
    [answer({ cname: 'elsewhere.test', addresses: ['192.0.2.7'] }), 'stale', 'CNAME to elsewhere.test'],
    [answer({ authoritative: false, addresses: ['192.0.2.7'] }), 'not-authoritative', undefined],
    [answer({ rcode: 'REFUSED' }), 'refused', undefined],
    [answer({ rcode: 'SERVFAIL' }), 'servfail', undefined],
    [answer({ rcode: 'FORMERR' }), 'error', 'FORMERR'],
    [{ kind: 'no-answer', failure: 'timeout', detail: 'did not answer' }, 'unreachable', 'did not answer'],
    [{ kind: 'no-answer', failure: 'refused', detail: 'port closed' }, 'unreachable', 'port closed'],
    [{ kind: 'no-answer', failure: 'error', detail: 'bad packet' }, 'error', 'bad packet']
  ]
  for (const [observation, state, detail] of cases) {
    const verdict = evaluatePairAnswer(desired, observation)
    assert.equal(verdict.state, state, JSON.stringify(observation))
    if (detail !== undefined) assert.equal(verdict.detail, detail)
  }
  assert.equal(isTransient({ kind: 'no-answer', failure: 'timeout', detail: '' }), true)
  assert.equal(isTransient({ kind: 'no-answer', failure: 'refused', detail: '' }), false)
  assert.equal(isTransient(answer({})), false)
})

// The schedule, computed from the policy with a simulated clock: these are its arithmetic, not
// timing measurements (the measured delays are in BENCHMARKS.md, from `npm run bench`).

/** Poll times (ms after the immediate first check at 0) before `untilMs` for one phase. */
function pollTimes(phase: number, untilMs: number, schedule = DEFAULT_POLL_SCHEDULE): number[] {
  const times: number[] = []
  for (let t = nextPollAt(0, phase, schedule); t < untilMs; t = nextPollAt(t, phase, schedule)) times.push(t)
  return times
}
const phases = Array.from({ length: 200 }, (_, i) => i / 200)

test('the next poll is always later than now, and the same for every pair that shares the phase', () => {
  fc.assert(
    fc.property(
      fc.double({ min: 0, max: 3_600_000, noNaN: true }),
      fc.double({ min: 0, max: 0.999999, noNaN: true }),
      (elapsed, phase) => {
        const next = nextPollAt(elapsed, phase)
        return next > elapsed && next === nextPollAt(elapsed, phase) && next - elapsed <= 1120 + 1e-6
      }
    )
  )
})

test('gaps: quick at first, at most 900 ms up to 10.5 s and 1120 ms after, never above 1.2 s', () => {
  for (const phase of phases) {
    const times = [0, ...pollTimes(phase, 300_000)]
    for (let i = 1; i < times.length; i++) {
      const gap = times[i]! - times[i - 1]!
      assert.ok(gap > 0 && gap <= 1200, `gap ${gap} ms at ${times[i]} ms, phase ${phase}`)
      assert.ok(gap <= (times[i]! <= 10_400 ? 900 : 1120) + 1e-6, `gap ${gap} ms at ${times[i]} ms, phase ${phase}`)
    }
    assert.ok(times[1]! <= 400, 'the first poll after the immediate check comes within 0.4 s')
  }
})

test('every wait of 45 s or more costs at most 60 answer queries per minute per address', () => {
  for (const phase of [...phases, 0.999999]) {
    const times = pollTimes(phase, 600_000)
    let polls = 0
    for (let waitMs = 45_000; waitMs <= 600_000; waitMs += 50) {
      while (polls < times.length && times[polls]! < waitMs) polls++
      // The immediate first check and the polls (the SOA serial adds one query at the first
      // check and one once in sync, whatever the length of the wait).
      const queries = 1 + polls
      assert.ok(queries <= waitMs / 1000, `${queries} queries in a ${waitMs / 1000} s wait, phase ${phase}`)
      assert.ok(queries <= maxAnswerQueries(waitMs), `the bound is an upper bound at ${waitMs} ms`)
    }
  }
  assert.equal(maxAnswerQueries(45_000), 45)
  assert.ok(maxAnswerQueries(60_000) <= 60)
  assert.ok(maxAnswerQueries(120_000) <= 120)
})

test('over a uniformly spread phase, the median delay after a change is at most 0.46 s up to 10 s and 0.57 s up to 120 s', () => {
  const delaysAt = (lagMs: number): number[] =>
    Array.from({ length: 1000 }, (_, i) => nextPollAt(lagMs, (i + 0.5) / 1000) - lagMs).sort((a, b) => a - b)
  for (let lag = 0; lag <= 120_000; lag += lag < 12_000 ? 37 : 613) {
    const delays = delaysAt(lag)
    const median = (delays[499]! + delays[500]!) / 2
    assert.ok(median <= (lag <= 10_000 ? 460 : 570), `median ${median} ms at a lag of ${lag} ms`)
    assert.ok(delays[999]! <= 1120 + 1e-6, `max ${delays[999]} ms at a lag of ${lag} ms`)
  }
})

test('a schedule whose last stage ends is refused', () => {
  assert.throws(() => nextPollAt(5_000, 0.5, { stages: [{ untilMs: 1000, intervalMs: 100 }] }), /last poll stage/)
})

test('SOA serials compare in RFC 1982 arithmetic, across the wrap', () => {
  assert.equal(compareSerials(1, 2), -1)
  assert.equal(compareSerials(2, 1), 1)
  assert.equal(compareSerials(5, 5), 0)
  assert.equal(compareSerials(4294967295, 0), -1)
  assert.equal(compareSerials(0, 4294967295), 1)
  assert.equal(compareSerials(0, 2 ** 31), undefined)
  assert.equal(newestSerial([3, undefined, 4294967290, 5]), 5)
  assert.equal(newestSerial([undefined]), undefined)
})

test('a whole address family without a route is skipped; a partial one is not', () => {
  const down: PairObservation = { kind: 'no-answer', failure: 'unreachable', detail: 'ENETUNREACH' }
  const up = answer({ addresses: ['192.0.2.7'] })
  assert.deepEqual(
    evaluateUnreachableFamilies([
      { address: '192.0.2.53', observation: up },
      { address: '2001:db8::53', observation: down },
      { address: '2001:db8::54', observation: down }
    ]),
    { skipped: ['2001:db8::53', '2001:db8::54'], family: 6 }
  )
  assert.deepEqual(
    evaluateUnreachableFamilies([
      { address: '192.0.2.53', observation: up },
      { address: '2001:db8::53', observation: down },
      { address: '2001:db8::54', observation: up }
    ]).skipped,
    []
  )
  // Only one family: nothing else was checked, so nothing is skipped (and it fails).
  assert.deepEqual(evaluateUnreachableFamilies([{ address: '2001:db8::53', observation: down }]).skipped, [])
  // A timeout is not "no route": it still has to answer.
  assert.deepEqual(
    evaluateUnreachableFamilies([
      { address: '192.0.2.53', observation: up },
      { address: '2001:db8::53', observation: { kind: 'no-answer', failure: 'timeout', detail: '' } }
    ]).skipped,
    []
  )
})

test('propagated needs every checked pair in sync, and at least one', () => {
  assert.equal(isPropagated([{ state: 'in-sync' }, { state: 'skipped' }]), true)
  assert.equal(isPropagated([{ state: 'in-sync' }, { state: 'stale' }]), false)
  assert.equal(isPropagated([{ state: 'skipped' }]), false)
  assert.equal(isPropagated([]), false)
})

test('the timeout table and message name every nameserver, address, answer and serial', () => {
  const rows: NameserverReport[] = [
    { nameserver: 'ns1.example.test', address: '127.0.5.1', state: 'in-sync', answer: ['192.0.2.7'], serial: 7 },
    { nameserver: 'ns2.example.test', address: '127.0.5.2', state: 'stale', answer: ['192.0.2.1'], serial: 6 },
    {
      nameserver: 'ns3.example.test',
      address: '127.0.5.9',
      state: 'unreachable',
      answer: [],
      detail: '127.0.5.9 did not answer within 1500 ms'
    }
  ]
  const table = renderPairTable(rows)
  assert.match(table, /ns2\.example\.test\s+127\.0\.5\.2\s+stale\s+192\.0\.2\.1\s+6/)
  assert.match(
    table,
    /ns3\.example\.test\s+127\.0\.5\.9\s+unreachable\s+127\.0\.5\.9 did not answer within 1500 ms\s+-/
  )
  const message = describeLaggards(rows)
  assert.doesNotMatch(message, /ns1/)
  assert.match(message, /ns2\.example\.test \(127\.0\.5\.2\) still answers 192\.0\.2\.1, SOA serial 6/)
  assert.match(message, /ns3\.example\.test \(127\.0\.5\.9\) is unreachable/)
})

const pair = (o: Partial<PairOutcome> & Pick<PairOutcome, 'address'>): PairOutcome => ({
  nameserver: `ns.${o.address}`,
  skipped: false,
  verdict: { state: 'in-sync', answer: ['192.0.2.7'] },
  observation: answer({ addresses: ['192.0.2.7'] }),
  serial: 7,
  syncedAfterMs: undefined,
  queries: 2,
  ...o
})
const facts = { zone: 'example.test', source: 'discovered' as const, discoveryQueries: 4, skippedAddresses: [] }
const subject = { mode: 'apply' as const, domain: 'ldaps.example.test', type: 'A' as const, ip: '192.0.2.7' }

test('the summary: one row per pair, the last time in sync, all queries, the newest serial', () => {
  const result = summarizePropagation({
    ...facts,
    pairs: [
      pair({ address: '127.0.5.1', syncedAfterMs: 0 }),
      pair({ address: '127.0.5.2', syncedAfterMs: 2500, serial: 8, queries: 9 }),
      pair({
        address: '[2001:db8::53]',
        skipped: true,
        verdict: { state: 'unreachable', answer: [], detail: 'ENETUNREACH' },
        serial: undefined
      })
    ],
    skippedAddresses: ['2001:db8::53']
  })
  assert.equal(result.propagated, true)
  assert.equal(result.seconds, 2.5)
  assert.equal(result.queries, 4 + 2 + 9 + 2)
  assert.equal(result.newestSerial, 8)
  assert.deepEqual(result.skippedAddresses, ['2001:db8::53'])
  assert.deepEqual(
    result.nameservers.map(n => [n.address, n.state, n.syncedAfterSeconds, n.detail]),
    [
      ['127.0.5.1', 'in-sync', 0, undefined],
      ['127.0.5.2', 'in-sync', 2.5, undefined],
      ['[2001:db8::53]', 'skipped', undefined, 'address family unreachable from this runner']
    ]
  )
  assert.equal(result.providerInSync, undefined)
  assert.deepEqual(propagationFindings({ ...subject, timeoutSeconds: 300 }, result), [])
})

test("the provider's signal: later than the nameservers sets the time; not in sync fails the wait and says so", () => {
  const pairs = [pair({ address: '127.0.5.1', syncedAfterMs: 1000 })]
  const late = summarizePropagation({ ...facts, pairs, providerSignal: { inSync: true, afterMs: 4000 } })
  assert.equal(late.propagated, true)
  assert.equal(late.seconds, 4)
  const never = summarizePropagation({ ...facts, pairs, providerSignal: { inSync: false, afterMs: 9000 } })
  assert.equal(never.propagated, false)
  assert.equal(never.seconds, undefined)
  const [finding] = propagationFindings({ ...subject, timeoutSeconds: 9, providerName: 'Route 53' }, never)
  assert.equal(finding!.title, 'Propagation timed out')
  assert.equal(
    finding!.message,
    'After 9 s not every authoritative nameserver of example.test serves ldaps.example.test A 192.0.2.7: every nameserver answers it; Route 53 did not report the change in sync (propagation-timeout 9)'
  )
})

test('findings: a timeout names the laggard; check mode calls it drift; a CNAME comes first', () => {
  const stale = pair({
    address: '127.0.5.2',
    nameserver: 'ns2.example.test',
    verdict: { state: 'stale', answer: ['192.0.2.1'] },
    observation: answer({ addresses: ['192.0.2.1'] }),
    serial: 6
  })
  const result = summarizePropagation({ ...facts, pairs: [pair({ address: '127.0.5.1' }), stale] })
  assert.equal(result.propagated, false)
  assert.deepEqual(propagationFindings({ ...subject, timeoutSeconds: 300 }, result), [
    {
      severity: 'error',
      step: 'propagation',
      title: 'Propagation timed out',
      message:
        'After 300 s not every authoritative nameserver of example.test serves ldaps.example.test A 192.0.2.7: ns2.example.test (127.0.5.2) still answers 192.0.2.1, SOA serial 6 (propagation-timeout 300)'
    }
  ])
  const check = propagationFindings({ ...subject, mode: 'check', timeoutSeconds: 300 }, { ...result, zone: undefined })
  assert.deepEqual(check, [
    {
      severity: 'error',
      step: 'propagation',
      title: 'Nameserver drift',
      message:
        'Not every authoritative nameserver serves ldaps.example.test A 192.0.2.7: ns2.example.test (127.0.5.2) still answers 192.0.2.1, SOA serial 6',
      drift: true
    }
  ])
  const aliased = pair({
    address: '127.0.5.3',
    verdict: { state: 'stale', answer: [], detail: 'CNAME to target.example.test' },
    observation: answer({ cname: 'target.example.test' })
  })
  const withCname = summarizePropagation({ ...facts, pairs: [aliased] })
  assert.equal(withCname.cname, 'target.example.test')
  const findings = propagationFindings({ ...subject, mode: 'check', timeoutSeconds: 300 }, withCname)
  assert.deepEqual(
    findings.map(f => [f.title, f.drift]),
    [
      ['CNAME at the name', true],
      ['Nameserver drift', true]
    ]
  )
  assert.equal(
    findings[0]!.message,
    'The authoritative nameservers answer ldaps.example.test with a CNAME to target.example.test; an A record cannot exist beside it'
  )
})

test('an unreachable address family gives one warning naming the skipped addresses', () => {
  assert.deepEqual(unreachableFamilyFindings({ skipped: [], family: undefined }), [])
  assert.deepEqual(unreachableFamilyFindings({ skipped: ['::1', '2001:db8::53'], family: 6 }), [
    {
      severity: 'warning',
      step: 'propagation',
      title: 'Address family unreachable',
      message:
        'This runner has no route to IPv6 at all; skipped ::1, 2001:db8::53. Those nameserver addresses were not checked (the other ones were)'
    }
  ])
})

test('check mode: a nameserver at the newest SOA serial that answers another value is not said to lag', () => {
  const other = (address: string, serial: number) =>
    pair({
      address,
      nameserver: `ns-${serial}.example.test`,
      verdict: { state: 'stale', answer: ['192.0.2.1'] },
      observation: answer({ addresses: ['192.0.2.1'] }),
      serial
    })
  const result = summarizePropagation({ ...facts, pairs: [other('127.0.5.1', 8), other('127.0.5.2', 7)] })
  const [check] = propagationFindings({ ...subject, mode: 'check', timeoutSeconds: 300 }, result)
  assert.equal(
    check!.message,
    'Not every authoritative nameserver of example.test serves ldaps.example.test A 192.0.2.7: ' +
      'ns-8.example.test (127.0.5.1) answers 192.0.2.1 at the newest SOA serial 8, so the zone itself may now hold that instead of the declared 192.0.2.7; ' +
      'ns-7.example.test (127.0.5.2) still answers 192.0.2.1, SOA serial 7'
  )
  // In apply mode the record was just written: a different answer is one not yet updated.
  const [timeout] = propagationFindings({ ...subject, timeoutSeconds: 300 }, result)
  assert.match(timeout!.message, /ns-8\.example\.test \(127\.0\.5\.1\) still answers 192\.0\.2\.1, SOA serial 8/)
})

test('fan-out bounds: NS names, addresses per name, addresses in all; at the bound is fine', () => {
  const names = (count: number, addresses: number) =>
    Array.from({ length: count }, (_, i) => ({ nameserver: `ns${i + 1}.example.test`, addresses }))
  assert.equal(fanOutViolation('example.test', names(MAX_NAMESERVER_NAMES, 1)), undefined)
  assert.match(
    fanOutViolation('example.test', names(MAX_NAMESERVER_NAMES + 1, 1)) ?? '',
    /are 14 names, more than the 13/
  )
  assert.equal(fanOutViolation('example.test', names(1, MAX_ADDRESSES_PER_NAMESERVER)), undefined)
  assert.match(
    fanOutViolation('example.test', names(1, MAX_ADDRESSES_PER_NAMESERVER + 1)) ?? '',
    /nameserver ns1\.example\.test has 9 addresses, more than the 8 per name/
  )
  assert.equal(fanOutViolation('example.test', names(4, MAX_NAMESERVER_ADDRESSES / 4)), undefined)
  assert.match(
    fanOutViolation(undefined, names(5, 7)) ?? '',
    /the listed nameservers have 35 addresses in all, more than the 32/
  )
})
