// The pure part of propagation: classifying one answer, the poll schedule, serial arithmetic,
// skipping an unreachable address family, and the timeout table.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import {
  compareSerials,
  DEFAULT_POLL_SCHEDULE,
  describeLaggards,
  evaluatePairAnswer,
  evaluateUnreachableFamilies,
  isPropagated,
  isTransient,
  newestSerial,
  planNextPollDelay,
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

test('the schedule starts short, grows with the time waited, and stops at the cap', () => {
  const mid = () => 0.5
  assert.equal(planNextPollDelay(0, mid), DEFAULT_POLL_SCHEDULE.initialMs)
  assert.equal(planNextPollDelay(10_000, mid), 10_000 * DEFAULT_POLL_SCHEDULE.growth)
  assert.equal(planNextPollDelay(3_600_000, mid), DEFAULT_POLL_SCHEDULE.capMs)
  assert.ok(planNextPollDelay(5_000, mid) < planNextPollDelay(20_000, mid))
})

test('jitter keeps every delay within its spread of the base interval', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 3_600_000 }),
      fc.double({ min: 0, max: 0.999999, noNaN: true }),
      (elapsed, r) => {
        const { initialMs, capMs, jitter } = DEFAULT_POLL_SCHEDULE
        const delay = planNextPollDelay(elapsed, () => r)
        return delay >= Math.floor(initialMs * (1 - jitter)) && delay <= Math.ceil(capMs * (1 + jitter))
      }
    )
  )
})

test('a 60 s wait under the default schedule stays under 40 queries per address', () => {
  // Simulated clock: this is the schedule's arithmetic, not a timing measurement.
  for (const r of [0, 0.5, 0.999]) {
    let t = 0
    let queries = 1 // the immediate first check
    while (true) {
      const delay = planNextPollDelay(t, () => r)
      if (t + delay >= 60_000) break
      t += delay
      queries++
    }
    assert.ok(queries + 2 < 40, `${queries} polls plus 2 SOA queries with random ${r}`)
  }
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
