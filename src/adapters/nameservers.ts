// The authoritative nameservers of a zone, and asking one of them about the record: the DNS side
// of the propagation step.
//
// Discovery goes through the resolver (SOA walk from the parent of the domain up, then the zone's
// NS set, then A and AAAA of every NS), unless `nameservers` lists them. The domain itself is
// never asked of a caching resolver, so no negative answer gets cached there before the record is
// out. Each (nameserver, address) pair is then asked directly (RD=0) through an injected query
// function, so benchmarks and tests can count and time the queries.

import { isIP } from 'node:net'
import {
  evaluatePairAnswer,
  fanOutViolation,
  isTransient,
  nextPollAt,
  type PairObservation,
  type PairOutcome,
  type PairVerdict,
  type PollSchedule
} from '../core/propagation.ts'
import type { HostPort, RecordType } from '../core/settings.ts'
import {
  addressesIn,
  dataName,
  DnsNetworkError,
  formatServer,
  queryRecursive,
  soaSerial,
  type DnsResponse,
  type QueryOptions,
  type QueryType,
  zoneFromSoaAnswer
} from './dns-client.ts'

export class PropagationError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PropagationError'
  }
}

/** One address of one authoritative nameserver. */
export interface NameserverTarget {
  readonly nameserver: string
  readonly server: HostPort
}

export interface AuthoritativeServers {
  /** The zone, when known: given, found by the provider, or found by the SOA walk. */
  readonly zone: string | undefined
  readonly targets: readonly NameserverTarget[]
  readonly source: 'discovered' | 'nameservers'
  /** Queries sent to the resolvers. */
  readonly queries: number
}

export interface DiscoveryRequest {
  readonly domain: string
  readonly zone: string | undefined
  /** `nameservers`: checked instead of discovering them. */
  readonly listed: readonly HostPort[]
  readonly resolvers: readonly HostPort[]
  readonly timeoutMs: number
  /** Monotonic milliseconds, and when discovery gives up (propagation-timeout bounds it too). */
  readonly now: () => number
  readonly deadline: number
  /** propagation-timeout, for the message. */
  readonly timeoutSeconds: number
}

export type Query = (server: HostPort, name: string, type: QueryType, options: QueryOptions) => Promise<DnsResponse>

/** The listed nameservers (host names resolved), or the zone's NS set found through the resolvers. */
export async function findAuthoritativeServers(request: DiscoveryRequest): Promise<AuthoritativeServers> {
  let queries = 0
  const { now, deadline } = request
  const outOfTime = (asking: string): DiscoveryTimeout =>
    new DiscoveryTimeout(
      `Propagation: finding the authoritative nameservers of ${request.domain} did not finish within propagation-timeout (${request.timeoutSeconds} s); it was asking ${describeResolvers(request.resolvers)} for ${asking}. Set zone or nameservers, or raise propagation-timeout`
    )
  const recursive: Recursive = async (name, type) => {
    if (now() >= deadline) throw outOfTime(`${type} of ${name}`)
    queries++
    try {
      return await queryRecursive(request.resolvers, name, type, {
        timeoutMs: request.timeoutMs,
        remainingMs: () => deadline - now()
      })
    } catch (error) {
      if (now() >= deadline) throw outOfTime(`${type} of ${name}`)
      throw error
    }
  }
  if (request.listed.length > 0) {
    const targets = await resolveListedNameservers(request.listed, recursive)
    checkFanOut(undefined, targets)
    return { zone: request.zone, targets, source: 'nameservers', queries }
  }
  const zone = request.zone ?? (await findZoneApex(request.domain, recursive, request.resolvers))
  const targets = await discoverNameservers(zone, recursive, request.resolvers)
  checkFanOut(zone, targets)
  return { zone, targets, source: 'discovered', queries }
}

/** Discovery ran out of propagation-timeout: never swallowed as "no answer" on the way up. */
export class DiscoveryTimeout extends PropagationError {}

/** Throws when the targets exceed a fan-out bound (core/propagation.ts), before any is polled. */
function checkFanOut(zone: string | undefined, targets: readonly NameserverTarget[]): void {
  const counts = new Map<string, number>()
  for (const t of targets) counts.set(t.nameserver, (counts.get(t.nameserver) ?? 0) + 1)
  const violation = fanOutViolation(
    zone,
    [...counts].map(([nameserver, addresses]) => ({ nameserver, addresses }))
  )
  if (violation !== undefined) throw new PropagationError(violation)
}

/** One question for `domain` to one pair: its answer, or why there was none. */
export async function askPair(
  query: Query,
  server: HostPort,
  domain: string,
  type: RecordType,
  timeoutMs: number
): Promise<PairObservation> {
  try {
    const response = await query(server, domain, type, { timeoutMs })
    const cname = response.answers.find(a => a.type === 'CNAME' && a.name === domain)
    return {
      kind: 'answer',
      rcode: response.rcode,
      authoritative: response.authoritative,
      addresses: addressesIn(response.answers, domain, type),
      cname: cname === undefined ? undefined : dataName(cname)
    }
  } catch (error) {
    if (!(error instanceof DnsNetworkError)) throw error
    return { kind: 'no-answer', failure: error.failure, detail: error.detail }
  }
}

/** The pair's SOA serial for `zone` (and the zone's name), when it answers authoritatively. */
export async function askSerial(
  query: Query,
  server: HostPort,
  zone: string,
  timeoutMs: number
): Promise<{ readonly serial: number | undefined; readonly zone: string } | undefined> {
  try {
    const response = await query(server, zone, 'SOA', { timeoutMs })
    const soa = [...response.answers, ...response.authorities].find(r => r.type === 'SOA')
    return response.authoritative && soa !== undefined ? { serial: soaSerial(soa), zone: soa.name } : undefined
  } catch (error) {
    if (!(error instanceof DnsNetworkError)) throw error
    return undefined
  }
}

/** What a resolver answers for the record (asked only once it is everywhere, for information). */
export async function askResolver(
  resolvers: readonly HostPort[],
  domain: string,
  type: RecordType,
  timeoutMs: number
): Promise<string[]> {
  const response = await queryRecursive(resolvers, domain, type, { timeoutMs })
  return addressesIn(response.answers, domain, type)
}

export interface PairWatchOptions {
  readonly query: Query
  /** Monotonic milliseconds. */
  readonly now: () => number
  readonly sleep: (ms: number) => Promise<void>
  readonly queryTimeoutMs: number
  readonly domain: string
  readonly type: RecordType
  readonly desired: readonly string[]
  /** Where the SOA serial is asked; learnt from the first authoritative SOA when undefined. */
  readonly zone: string | undefined
  /** When the step started (times in sync are counted from it) and when it gives up. */
  readonly start: number
  readonly deadline: number
}

type PairState = { -readonly [K in keyof PairOutcome]: PairOutcome[K] }

/**
 * Every (nameserver, address) pair and what it answered so far: asked all at once, retried, or
 * polled on the schedule until in sync; each pair's SOA serial read at the first check and again
 * once it is in sync.
 */
export class PairWatch {
  zone: string | undefined
  private readonly pairs: { readonly server: HostPort; readonly state: PairState }[]
  private readonly options: PairWatchOptions

  constructor(targets: readonly NameserverTarget[], options: PairWatchOptions) {
    this.options = options
    this.zone = options.zone
    const notAsked: PairVerdict = { state: 'error', answer: [], detail: 'not asked yet' }
    this.pairs = targets.map(t => ({
      server: t.server,
      state: {
        ...{ nameserver: t.nameserver, address: formatServer(t.server), skipped: false, verdict: notAsked },
        ...{ observation: undefined, serial: undefined, syncedAfterMs: undefined, queries: 0 }
      }
    }))
  }

  outcomes(): PairOutcome[] {
    return this.pairs.map(p => ({ ...p.state }))
  }

  /** For the address-family rule: each address and its last observation. */
  observations(): { readonly address: string; readonly observation: PairObservation | undefined }[] {
    return this.pairs.map(p => ({ address: p.server.host, observation: p.state.observation }))
  }

  skip(addresses: readonly string[]): void {
    for (const pair of this.pairs) pair.state.skipped = addresses.includes(pair.server.host)
  }

  /** The answer and the SOA serial of every pair, all at once. */
  async firstRound(): Promise<void> {
    await Promise.all(this.pairs.map(pair => Promise.all([this.observe(pair), this.readSerial(pair)])))
  }

  /** Asks again, after each delay, the pairs whose last query got no answer in time. */
  async retryTransient(delays: readonly number[]): Promise<void> {
    for (const delay of delays) {
      const retry = this.pairs.filter(p => p.state.observation !== undefined && isTransient(p.state.observation))
      if (retry.length === 0) break
      await this.options.sleep(delay)
      await Promise.all(
        retry.map(p => Promise.all([this.observe(p), p.state.serial === undefined ? this.readSerial(p) : undefined]))
      )
    }
  }

  /** Polls every pair not skipped on the schedule (one phase for all) until in sync or the deadline. */
  async pollUntilInSync(schedule: PollSchedule, phase: number): Promise<void> {
    const { now, sleep, start, deadline } = this.options
    await Promise.all(
      this.pairs.map(async pair => {
        // From the last poll time, not from now: a timer that fires a little early must not make
        // the same poll time come round twice.
        let last = 0
        while (!pair.state.skipped && pair.state.verdict.state !== 'in-sync') {
          last = nextPollAt(Math.max(last, now() - start), phase, schedule)
          const at = start + last
          if (at >= deadline) return
          await sleep(Math.max(0, at - now()))
          if ((await this.observe(pair)).state === 'in-sync') await this.readSerial(pair)
        }
      })
    )
  }

  private remaining(): number {
    const { queryTimeoutMs, deadline, now } = this.options
    return Math.max(1, Math.min(queryTimeoutMs, deadline - now()))
  }

  private async observe(pair: { readonly server: HostPort; readonly state: PairState }): Promise<PairVerdict> {
    const { query, domain, type, desired, now, start } = this.options
    const state = pair.state
    state.queries++
    state.observation = await askPair(query, pair.server, domain, type, this.remaining())
    state.verdict = evaluatePairAnswer(desired, state.observation)
    if (state.verdict.state === 'in-sync' && state.syncedAfterMs === undefined) state.syncedAfterMs = now() - start
    return state.verdict
  }

  private async readSerial(pair: { readonly server: HostPort; readonly state: PairState }): Promise<void> {
    pair.state.queries++
    const soa = await askSerial(this.options.query, pair.server, this.zone ?? this.options.domain, this.remaining())
    if (soa === undefined) return
    pair.state.serial = soa.serial
    this.zone ??= soa.zone
  }
}

type Recursive = (name: string, type: QueryType) => Promise<DnsResponse>

function describeResolvers(resolvers: readonly HostPort[]): string {
  return resolvers.length === 0 ? 'the system resolver' : resolvers.map(formatServer).join(', ')
}

/**
 * The zone apex, by asking for SOA from the parent of the domain upwards: the first name that has
 * an SOA (in the answer, or named by the SOA in the authority section) is the apex. The domain
 * itself is not asked, so a resolver cannot cache "no such name" for it before the record is out.
 */
export async function findZoneApex(
  domain: string,
  recursive: Recursive,
  resolvers: readonly HostPort[]
): Promise<string> {
  const labels = domain.split('.')
  for (let i = 1; i < labels.length; i++) {
    const candidate = labels.slice(i).join('.')
    let response: DnsResponse
    try {
      response = await recursive(candidate, 'SOA')
    } catch (error) {
      if (error instanceof DiscoveryTimeout) throw error
      throw new PropagationError(
        `Propagation: cannot find the zone of ${domain}: ${describeResolvers(resolvers)} did not answer the SOA query for ${candidate} (${(error as Error).message}); set resolver, zone or nameservers`
      )
    }
    const zone = zoneFromSoaAnswer(candidate, response)
    if (zone !== undefined) return zone
  }
  throw new PropagationError(
    `Propagation: no zone above ${domain} has an SOA record at ${describeResolvers(resolvers)}; set zone or nameservers`
  )
}

/** The zone's NS set and every A and AAAA address of each NS. */
export async function discoverNameservers(
  zone: string,
  recursive: Recursive,
  resolvers: readonly HostPort[]
): Promise<NameserverTarget[]> {
  let response: DnsResponse
  try {
    response = await recursive(zone, 'NS')
  } catch (error) {
    if (error instanceof DiscoveryTimeout) throw error
    throw new PropagationError(
      `Propagation: ${describeResolvers(resolvers)} did not answer the NS query for ${zone}: ${(error as Error).message}`
    )
  }
  const names = [...new Set(response.answers.filter(a => a.type === 'NS' && a.name === zone).map(dataName))].sort()
  // Bounded before a single address is looked up: each name costs two queries.
  const tooMany = fanOutViolation(
    zone,
    names.map(nameserver => ({ nameserver, addresses: 0 }))
  )
  if (tooMany !== undefined) throw new PropagationError(tooMany)
  if (names.length === 0) {
    throw new PropagationError(
      `Propagation: ${describeResolvers(resolvers)} returned no NS records for zone ${zone} (${response.rcode}); is the zone delegated? Set nameservers to check specific servers`
    )
  }
  const perName = await Promise.all(names.map(name => addressesOf(name, recursive)))
  const targets = perName.flat()
  if (targets.length === 0) {
    throw new PropagationError(
      `Propagation: none of the nameservers of ${zone} (${names.join(', ')}) has an A or AAAA record at ${describeResolvers(resolvers)}`
    )
  }
  return targets
}

async function addressesOf(name: string, recursive: Recursive): Promise<NameserverTarget[]> {
  const [v4, v6] = await Promise.all(
    (['A', 'AAAA'] as const).map(async t => {
      try {
        return addressesIn((await recursive(name, t)).answers, name, t)
      } catch (error) {
        if (error instanceof DiscoveryTimeout) throw error
        return []
      }
    })
  )
  return [...v4!, ...v6!].map(host => ({ nameserver: name, server: { host, port: 53 } }))
}

/** `nameservers` given: IP literals as they are, host names resolved to all their addresses. */
async function resolveListedNameservers(list: readonly HostPort[], recursive: Recursive): Promise<NameserverTarget[]> {
  const targets: NameserverTarget[] = []
  for (const entry of list) {
    if (isIP(entry.host) !== 0) {
      targets.push({ nameserver: entry.host, server: entry })
      continue
    }
    const found = await addressesOf(entry.host, recursive)
    if (found.length === 0) {
      throw new PropagationError(`Propagation: the listed nameserver ${entry.host} has no A or AAAA record`)
    }
    targets.push(...found.map(t => ({ nameserver: t.nameserver, server: { host: t.server.host, port: entry.port } })))
  }
  return targets
}
