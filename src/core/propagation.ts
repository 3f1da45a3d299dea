// Propagation, the pure part: what one authoritative answer means for one (nameserver, address)
// pair, when to ask again, how SOA serials compare, and when the whole set counts as propagated.
// No I/O and no clock: the step passes in answers, elapsed times and a random source.

import type { NameserverReport, NameserverState } from './report.ts'

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

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = [...new Set(a)].sort()
  const right = [...new Set(b)].sort()
  return left.length === right.length && left.every((v, i) => v === right[i])
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
  if (rcode === 'NOERROR' && sameSet(addresses, desired)) return { state: 'in-sync', answer: addresses }
  if (addresses.length === 0) {
    return { state: 'stale', answer: [], detail: rcode === 'NXDOMAIN' ? 'NXDOMAIN (name not there yet)' : 'no record' }
  }
  return { state: 'stale', answer: addresses }
}

/** A state worth a quick retry in check mode (a lost datagram, not an answer). */
export function isTransient(observation: PairObservation): boolean {
  return observation.kind === 'no-answer' && observation.failure === 'timeout'
}

export interface PollSchedule {
  /** Shortest interval between two queries to one pair. */
  readonly initialMs: number
  /** The interval grows with the time already waited: this fraction of it. */
  readonly growth: number
  /** Longest interval. */
  readonly capMs: number
  /** Random spread, as a fraction of the interval (0.2 = ±20 %). */
  readonly jitter: number
}

/**
 * Short intervals first, where most changes land (NOTIFY-driven secondaries and provider fleets
 * sync within seconds), then intervals proportional to the time already waited, up to a cap: so
 * the detection delay stays a small fraction of the propagation time (15 % of it at most, half
 * that on average), and a 60 s wait costs about 34 answer queries per address (37 at most with
 * the jitter), where a fixed 0.5 s poll would cost 120 and lego's fixed 2 s poll 30 with a mean
 * delay of 1 s.
 */
export const DEFAULT_POLL_SCHEDULE: PollSchedule = { initialMs: 250, growth: 0.15, capMs: 5000, jitter: 0.1 }

/** Milliseconds until the next query to a pair that is not in sync after `elapsedMs`. */
export function planNextPollDelay(
  elapsedMs: number,
  random: () => number,
  schedule: PollSchedule = DEFAULT_POLL_SCHEDULE
): number {
  const base = Math.min(schedule.capMs, Math.max(schedule.initialMs, elapsedMs * schedule.growth))
  const spread = 1 + schedule.jitter * (2 * random() - 1)
  return Math.round(base * spread)
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

/** One sentence per pair that is not in sync, for the failure message. */
export function describeLaggards(pairs: readonly NameserverReport[]): string {
  return pairs
    .filter(p => p.state !== 'in-sync' && p.state !== 'skipped')
    .map(p => {
      const where = p.nameserver === p.address.replace(/^\[|\]$/g, '') ? p.address : `${p.nameserver} (${p.address})`
      const serial = p.serial === undefined ? '' : `, SOA serial ${p.serial}`
      switch (p.state) {
        case 'stale':
          return `${where} still answers ${p.answer.length > 0 ? p.answer.join(', ') : (p.detail ?? 'nothing')}${serial}`
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
