// Propagation, the pure part: what one authoritative answer means for one (nameserver, address)
// pair, when to ask again, how SOA serials compare, and when the whole set counts as propagated.
// No I/O and no clock: the step passes in answers, elapsed times and a random phase, and gets back
// the report part and the findings.

import type { Finding, NameserverReport, NameserverState, PropagationReport } from './report.ts'
import type { Mode, RecordType } from './settings.ts'
import { sameValues } from './planner.ts'

/** What one query to one pair produced: an answer, or the reason there was none. */
export type PairObservation =
  | {
      readonly kind: 'answer'
      readonly rcode: string
      readonly authoritative: boolean
      /** Addresses of the asked type owned by the domain itself. */
      readonly addresses: readonly string[]
      /** Target of a CNAME at the domain, when the answer has one. */
      readonly cname?: string | undefined
    }
  | {
      readonly kind: 'no-answer'
      /** timeout: nothing came back; refused: port closed; unreachable: no route from here. */
      readonly failure: 'timeout' | 'refused' | 'unreachable' | 'error'
      readonly detail: string
    }

export interface PairVerdict {
  readonly state: NameserverState
  readonly answer: readonly string[]
  readonly detail?: string | undefined
}

/**
 * In sync means: an authoritative NOERROR answer holding exactly the desired addresses. Anything
 * else says why not, so "still the old data" is never confused with "cannot be asked".
 */
export function evaluatePairAnswer(desired: readonly string[], observation: PairObservation): PairVerdict {
  if (observation.kind === 'no-answer') {
    return {
      state: observation.failure === 'error' ? 'error' : 'unreachable',
      answer: [],
      detail: observation.detail
    }
  }
  const { rcode, authoritative, addresses, cname } = observation
  if (rcode === 'REFUSED') return { state: 'refused', answer: [], detail: 'REFUSED (does not serve this zone)' }
  if (rcode === 'SERVFAIL') return { state: 'servfail', answer: [], detail: 'SERVFAIL (zone not loaded or expired?)' }
  if (rcode !== 'NOERROR' && rcode !== 'NXDOMAIN') return { state: 'error', answer: [], detail: rcode }
  if (!authoritative) {
    return {
      state: 'not-authoritative',
      answer: addresses,
      detail: `${rcode} without the AA bit (not authoritative for the zone)`
    }
  }
  if (cname !== undefined) return { state: 'stale', answer: addresses, detail: `CNAME to ${cname}` }
  if (rcode === 'NOERROR' && sameValues(addresses, desired)) return { state: 'in-sync', answer: addresses }
  if (addresses.length === 0) {
    return { state: 'stale', answer: [], detail: rcode === 'NXDOMAIN' ? 'NXDOMAIN (name not there yet)' : 'no record' }
  }
  return { state: 'stale', answer: addresses }
}

/** A state worth a quick retry in check mode (a lost datagram, not an answer). */
export function isTransient(observation: PairObservation): boolean {
  return observation.kind === 'no-answer' && observation.failure === 'timeout'
}

/** One stage of the poll schedule: `intervalMs` between queries while the time waited is below `untilMs`. */
export interface PollStage {
  readonly untilMs: number
  readonly intervalMs: number
}

export interface PollSchedule {
  /** In order of `untilMs`; the last stage has `untilMs: Infinity`. */
  readonly stages: readonly PollStage[]
}

/**
 * A few quick polls first (NOTIFY-driven secondaries often sync within a second), then a steady
 * interval of 0.9 s up to 10.5 s and 1.12 s after that. With the random phase of `nextPollAt`, a
 * change that lands at any moment is seen a uniformly spread part of the current interval later:
 * a median of 0.45 s up to 10 s, 0.56 s after, and never more than 1.12 s (plus the query's round
 * trip). The intervals are as short as the query budget allows: on every wait of 45 s or more,
 * at most 60 answer queries per minute per address, the immediate first check included (45 at
 * 45 s, 58 at 60 s, 111 at 120 s), plus one SOA query at the first check and one once in sync.
 * A fixed 1 s poll would spend 60 a minute for a median of 0.5 s, lego's fixed 2 s poll 30 for a
 * median of 1 s.
 */
export const DEFAULT_POLL_SCHEDULE: PollSchedule = {
  stages: [
    { untilMs: 400, intervalMs: 200 },
    { untilMs: 10_500, intervalMs: 900 },
    { untilMs: Infinity, intervalMs: 1120 }
  ]
}

/** Queries due by `elapsedMs` at the schedule's rate: the integral of 1 / interval. */
function pollsDue(elapsedMs: number, schedule: PollSchedule): number {
  let due = 0
  let from = 0
  for (const { untilMs, intervalMs } of schedule.stages) {
    const to = Math.min(untilMs, elapsedMs)
    if (to > from) due += (to - from) / intervalMs
    if (untilMs >= elapsedMs) break
    from = untilMs
  }
  return due
}

/** The inverse of `pollsDue`: the time by which `due` queries are due. */
function timeWhenDue(due: number, schedule: PollSchedule): number {
  let from = 0
  let before = 0
  for (const { untilMs, intervalMs } of schedule.stages) {
    const inStage = (untilMs - from) / intervalMs
    if (before + inStage >= due) return from + (due - before) * intervalMs
    before += inStage
    from = untilMs
  }
  throw new Error('the last poll stage must last forever (untilMs: Infinity)')
}

/**
 * When to ask a pair again that is not in sync after `elapsedMs`: the next of the times at which
 * `k + phase` queries are due (k = 1, 2, ...; the immediate first check is k = 0). `phase` in
 * [0, 1) is drawn once per run and shared by every pair, so all addresses are asked together (more
 * addresses cost no extra delay) and the poll times fall at a random point of each interval: a
 * change landing at any moment is seen a uniformly spread part of the interval later, never a
 * whole one by bad luck of timing, and runners sharing a nameserver do not poll in step.
 */
export function nextPollAt(elapsedMs: number, phase: number, schedule: PollSchedule = DEFAULT_POLL_SCHEDULE): number {
  let k = Math.max(1, Math.floor(pollsDue(elapsedMs, schedule) - phase) + 1)
  let at = timeWhenDue(k + phase, schedule)
  // Rounding can land back on `elapsedMs` itself (when it is a poll time): the next one, then.
  while (at <= elapsedMs + 1e-6) at = timeWhenDue(++k + phase, schedule)
  return at
}

/**
 * Answer queries one address receives at most on a wait of `waitMs` that it spends out of sync:
 * the immediate first check and every poll of the schedule before the end, whatever the phase.
 * (The SOA serial adds one query at the first check and one once in sync.)
 */
export function maxAnswerQueries(waitMs: number, schedule: PollSchedule = DEFAULT_POLL_SCHEDULE): number {
  return Math.max(1, Math.ceil(pollsDue(waitMs, schedule)))
}

// Fan-out bounds. The NS set and the addresses of each NS come from whoever controls the
// delegation, and every address is polled until in sync: without a bound, a zone could turn one
// run into a query flood (and a very long log). Real zones stay far below: Azure DNS, Route 53
// and Google Cloud DNS delegate to 4 names with 1-2 addresses each, Cloudflare to 2 names with 3
// IPv4 and 3 IPv6 addresses each.

/** NS names looked up: 13 is the most a 512-byte referral carries (the root zone's count). */
export const MAX_NAMESERVER_NAMES = 13
/** Addresses of one NS name: an anycast name has a few per family (Cloudflare 3 + 3); 8 leaves room. */
export const MAX_ADDRESSES_PER_NAMESERVER = 8
/** (nameserver, address) pairs polled in all: 4 names of 8 addresses each, twice a real zone's count. */
export const MAX_NAMESERVER_ADDRESSES = 32

/** A message when the nameservers found exceed a fan-out bound, else undefined. */
export function fanOutViolation(
  zone: string | undefined,
  perName: readonly { readonly nameserver: string; readonly addresses: number }[]
): string | undefined {
  const of = zone === undefined ? 'the listed nameservers' : `the nameservers of ${zone}`
  const advice = 'list the ones to check in the nameservers input'
  if (perName.length > MAX_NAMESERVER_NAMES) {
    return `Propagation: ${of} are ${perName.length} names, more than the ${MAX_NAMESERVER_NAMES} this action polls (a bound against query floods); ${advice}`
  }
  const crowded = perName.find(n => n.addresses > MAX_ADDRESSES_PER_NAMESERVER)
  if (crowded !== undefined) {
    return `Propagation: nameserver ${crowded.nameserver} has ${crowded.addresses} addresses, more than the ${MAX_ADDRESSES_PER_NAMESERVER} per name this action polls (a bound against query floods); ${advice}`
  }
  const total = perName.reduce((sum, n) => sum + n.addresses, 0)
  if (total > MAX_NAMESERVER_ADDRESSES) {
    return `Propagation: ${of} have ${total} addresses in all, more than the ${MAX_NAMESERVER_ADDRESSES} this action polls (a bound against query floods); ${advice}`
  }
  return undefined
}

/** Delays before the retries of a timed-out query in check mode (one pass, retried briefly). */
export const CHECK_MODE_RETRY_DELAYS_MS: readonly number[] = [300, 1000]

/** RFC 1982 serial number comparison: -1, 0 or 1; undefined when the distance is exactly 2^31. */
export function compareSerials(a: number, b: number): -1 | 0 | 1 | undefined {
  if (a === b) return 0
  const distance = (b - a + 2 ** 32) % 2 ** 32
  if (distance === 2 ** 31) return undefined
  return distance < 2 ** 31 ? -1 : 1
}

/** The newest serial among the pairs (RFC 1982 order), or undefined when none answered one. */
export function newestSerial(serials: readonly (number | undefined)[]): number | undefined {
  let newest: number | undefined
  for (const s of serials) {
    if (s === undefined) continue
    if (newest === undefined || compareSerials(newest, s) === -1) newest = s
  }
  return newest
}

export interface AddressFamilyCheck {
  /** Addresses left out because the runner has no route to their family at all. */
  readonly skipped: readonly string[]
  readonly family: 4 | 6 | undefined
}

/**
 * An address family the runner cannot reach at all (no IPv6 route on many runners): every pair of
 * that family failed with "unreachable" while another family has pairs. Those are skipped with a
 * warning; anything less than the whole family still has to be in sync.
 */
export function evaluateUnreachableFamilies(
  pairs: readonly { readonly address: string; readonly observation: PairObservation | undefined }[]
): AddressFamilyCheck {
  for (const family of [6, 4] as const) {
    const mine = pairs.filter(p => (p.address.includes(':') ? 6 : 4) === family)
    const others = pairs.filter(p => (p.address.includes(':') ? 6 : 4) !== family)
    if (mine.length === 0 || others.length === 0) continue
    const allUnroutable = mine.every(
      p => p.observation?.kind === 'no-answer' && p.observation.failure === 'unreachable'
    )
    if (allUnroutable) return { skipped: mine.map(p => p.address), family }
  }
  return { skipped: [], family: undefined }
}

/** Propagated: every pair that was not skipped answers in sync (and there is at least one). */
export function isPropagated(pairs: readonly Pick<NameserverReport, 'state'>[]): boolean {
  const checked = pairs.filter(p => p.state !== 'skipped')
  return checked.length > 0 && checked.every(p => p.state === 'in-sync')
}

/** A plain-text table of what each pair answers, for the timeout message and the log. */
export function renderPairTable(pairs: readonly NameserverReport[]): string {
  const rows = pairs.map(p => [
    p.nameserver,
    p.address,
    p.state,
    p.answer.length > 0
      ? p.answer.join(', ') + (p.detail !== undefined ? ` (${p.detail})` : '')
      : (p.detail ?? 'no answer'),
    p.serial === undefined ? '-' : String(p.serial)
  ])
  const header = ['nameserver', 'address', 'state', 'answer', 'SOA serial']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i]!.length)))
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()
  return [line(header), ...rows.map(line)].join('\n')
}

/** What a check compares the answers with, so a different answer is worded for what it may mean. */
export interface LaggardContext {
  readonly mode: Mode
  /** The newest SOA serial any pair answered (RFC 1982 order). */
  readonly newestSerial: number | undefined
  /** The declared value (the ip input), as the messages name it. */
  readonly declared: string
}

/**
 * One sentence per pair that is not in sync, for the failure message. A stale pair is one that
 * "still answers" an older value, except in check mode when it is at the newest SOA serial: then
 * nothing says it lags, the zone itself may hold the other value (changed since it was declared),
 * and the sentence says so.
 */
export function describeLaggards(pairs: readonly NameserverReport[], context?: LaggardContext): string {
  return pairs
    .filter(p => p.state !== 'in-sync' && p.state !== 'skipped')
    .map(p => {
      const where = p.nameserver === p.address.replace(/^\[|\]$/g, '') ? p.address : `${p.nameserver} (${p.address})`
      const serial = p.serial === undefined ? '' : `, SOA serial ${p.serial}`
      switch (p.state) {
        case 'stale': {
          const answered = p.answer.length > 0 ? p.answer.join(', ') : (p.detail ?? 'nothing')
          if (context?.mode === 'check' && p.serial !== undefined && p.serial === context.newestSerial) {
            return `${where} answers ${answered} at the newest SOA serial ${p.serial}, so the zone itself may now hold that instead of the declared ${context.declared}`
          }
          return `${where} still answers ${answered}${serial}`
        }
        case 'unreachable':
          return `${where} is unreachable: ${p.detail ?? 'no answer'}`
        case 'refused':
          return `${where} answers REFUSED (not a server of the zone)`
        case 'servfail':
          return `${where} answers SERVFAIL`
        case 'not-authoritative':
          return `${where} is not authoritative for the zone`
        default:
          return `${where}: ${p.detail ?? p.state}`
      }
    })
    .join('; ')
}

/** What the step learnt about one (nameserver, address) pair. */
export interface PairOutcome {
  readonly nameserver: string
  /** As shown: IPv6 in brackets, the port when not 53. */
  readonly address: string
  readonly skipped: boolean
  readonly verdict: PairVerdict
  readonly observation: PairObservation | undefined
  readonly serial: number | undefined
  readonly syncedAfterMs: number | undefined
  readonly queries: number
}

export interface PropagationFacts {
  readonly zone: string | undefined
  readonly source: 'discovered' | 'nameservers'
  readonly pairs: readonly PairOutcome[]
  /** Queries sent to the resolver to find the nameservers. */
  readonly discoveryQueries: number
  readonly skippedAddresses: readonly string[]
  /** The provider's own in-sync signal and when it came, when the provider has one. */
  readonly providerSignal?: { readonly inSync: boolean; readonly afterMs: number } | undefined
}

/** The report part: one row per pair, and propagated only when every checked pair (and the provider) says so. */
export function summarizePropagation(facts: PropagationFacts): PropagationReport {
  const nameservers: NameserverReport[] = facts.pairs.map(p => ({
    nameserver: p.nameserver,
    address: p.address,
    state: p.skipped ? 'skipped' : p.verdict.state,
    answer: p.verdict.answer,
    serial: p.serial,
    syncedAfterSeconds: p.syncedAfterMs === undefined ? undefined : p.syncedAfterMs / 1000,
    detail: p.skipped ? 'address family unreachable from this runner' : p.verdict.detail,
    queries: p.queries
  }))
  const providerInSync = facts.providerSignal?.inSync
  const propagated = isPropagated(nameservers) && providerInSync !== false
  const providerAfterSeconds = (facts.providerSignal?.afterMs ?? 0) / 1000
  const lastSync = Math.max(providerAfterSeconds, ...nameservers.map(n => n.syncedAfterSeconds ?? 0))
  const cname = facts.pairs.map(p => p.observation).find(o => o?.kind === 'answer' && o.cname !== undefined)
  return {
    zone: facts.zone,
    propagated,
    seconds: propagated ? lastSync : undefined,
    nameservers,
    queries: facts.discoveryQueries + facts.pairs.reduce((sum, p) => sum + p.queries, 0),
    source: facts.source,
    skippedAddresses: facts.skippedAddresses.length > 0 ? facts.skippedAddresses : undefined,
    newestSerial: newestSerial(facts.pairs.map(p => p.serial)),
    cname: cname?.kind === 'answer' ? cname.cname : undefined,
    providerInSync
  }
}

/** The warning for an address family skipped as unreachable, if any. */
export function unreachableFamilyFindings(check: AddressFamilyCheck): Finding[] {
  if (check.skipped.length === 0) return []
  const message = `This runner has no route to IPv${check.family} at all; skipped ${check.skipped.join(', ')}. Those nameserver addresses were not checked (the other ones were)`
  return [{ severity: 'warning', step: 'propagation', title: 'Address family unreachable', message }]
}

/** What was waited for, as the findings word it. */
export interface PropagationSubject {
  readonly mode: Mode
  readonly domain: string
  readonly type: RecordType
  readonly ip: string
  readonly timeoutSeconds: number
  /** The provider whose in-sync signal was required, for the timeout message. */
  readonly providerName?: string | undefined
}

/** `domain type ip`, as the messages name the record. */
export function describeTarget(subject: PropagationSubject): string {
  return `${subject.domain} ${subject.type} ${subject.ip}`
}

/** The findings of a finished step: a CNAME at the name, drift (check) or the timeout (apply). */
export function propagationFindings(subject: PropagationSubject, result: PropagationReport): Finding[] {
  const findings: Finding[] = []
  const { domain, type, mode, timeoutSeconds } = subject
  const target = describeTarget(subject)
  const ofZone = result.zone ? ` of ${result.zone}` : ''
  if (result.cname !== undefined) {
    findings.push({
      severity: 'error',
      step: 'propagation',
      title: 'CNAME at the name',
      message: `The authoritative nameservers answer ${domain} with a CNAME to ${result.cname}; an ${type} record cannot exist beside it`,
      drift: mode === 'check'
    })
  }
  if (result.propagated) return findings
  const laggards = describeLaggards(result.nameservers, {
    mode,
    newestSerial: result.newestSerial,
    declared: subject.ip
  })
  if (mode === 'check') {
    findings.push({
      severity: 'error',
      step: 'propagation',
      title: 'Nameserver drift',
      message: `Not every authoritative nameserver${ofZone} serves ${target}: ${laggards}`,
      drift: true
    })
    return findings
  }
  findings.push({
    severity: 'error',
    step: 'propagation',
    title: 'Propagation timed out',
    message:
      `After ${timeoutSeconds} s not every authoritative nameserver${ofZone} serves ${target}: ` +
      (laggards !== '' ? laggards : 'every nameserver answers it') +
      (result.providerInSync === false ? `; ${subject.providerName} did not report the change in sync` : '') +
      ` (propagation-timeout ${timeoutSeconds})`
  })
  return findings
}
