// Step 3: wait until every authoritative nameserver serves the record (apply), or read each one
// once and report drift (check).
//
// The authoritative servers are found through the resolver (SOA walk from the parent of the
// domain up, then the zone's NS set, then A and AAAA of every NS), unless `nameservers` lists
// them. The domain itself is never asked of a caching resolver before success, so no negative
// answer gets cached there. Each (nameserver, address) pair is then asked directly (RD=0) on an
// adaptive schedule: at once, then at short intervals growing with the time waited.

import * as github from '../adapters/github.ts'
import { isIP } from 'node:net'
import {
  CHECK_MODE_RETRY_DELAYS_MS,
  DEFAULT_POLL_SCHEDULE,
  describeLaggards,
  evaluatePairAnswer,
  evaluateUnreachableFamilies,
  isPropagated,
  isTransient,
  newestSerial,
  planNextPollDelay,
  renderPairTable,
  type PairObservation,
  type PairVerdict,
  type PollSchedule
} from '../core/propagation.ts'
import type { NameserverReport, PropagationReport, Report } from '../core/report.ts'
import type { HostPort, RecordType, Settings } from '../core/settings.ts'
import {
  addressesIn,
  dataName,
  DnsNetworkError,
  formatServer,
  queryDns,
  queryRecursive,
  soaSerial,
  systemResolvers,
  type DnsResponse,
  type QueryOptions,
  type QueryType,
  zoneFromSoaAnswer
} from '../adapters/dns-client.ts'
import type { DnsProvider, WriteResult } from '../adapters/providers/provider.ts'

export interface PropagationContext {
  readonly settings: Settings
  readonly report: Report
  /** The zone the provider found, when a provider was used. */
  readonly zone: string | undefined
  readonly provider: DnsProvider | undefined
  /** The write's result; undefined when nothing was written. */
  readonly write: WriteResult | undefined
}

/** What the step needs from the world, so benchmarks and tests can count and time it. */
export interface PropagationDeps {
  readonly log: (line: string) => void
  /** Monotonic milliseconds. */
  readonly now: () => number
  readonly sleep: (ms: number) => Promise<void>
  readonly random: () => number
  readonly query: (server: HostPort, name: string, type: QueryType, options: QueryOptions) => Promise<DnsResponse>
  readonly schedule: PollSchedule
  /** Per-query timeout. */
  readonly queryTimeoutMs: number
}

export const defaultPropagationDeps: PropagationDeps = {
  log: line => github.info(line),
  now: () => performance.now(),
  sleep: ms => new Promise(resolve => setTimeout(resolve, ms)),
  random: Math.random,
  query: queryDns,
  schedule: DEFAULT_POLL_SCHEDULE,
  queryTimeoutMs: 1500
}

export class PropagationError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PropagationError'
  }
}

export async function checkPropagation(context: PropagationContext): Promise<void> {
  await runPropagation(context, defaultPropagationDeps)
}

interface Target {
  readonly nameserver: string
  readonly server: HostPort
}

interface Pair {
  readonly target: Target
  observation: PairObservation | undefined
  verdict: PairVerdict
  serial: number | undefined
  syncedAfterMs: number | undefined
  queries: number
  skipped: boolean
}

/** Runs the step and fills `report.propagation`; findings carry the failures. */
export async function runPropagation(context: PropagationContext, deps: PropagationDeps): Promise<PropagationReport> {
  const { settings, report } = context
  const start = deps.now()
  const deadline = start + settings.propagation.timeoutSeconds * 1000
  const desired = [settings.ip]
  const type = settings.recordType
  const resolvers = settings.propagation.resolvers.length > 0 ? settings.propagation.resolvers : systemResolvers()
  const source = settings.propagation.nameservers.length > 0 ? 'nameservers' : 'discovered'

  let zone = context.zone ?? settings.zone
  let targets: Target[]
  let discoveryQueries = 0
  const recursive = async (name: string, qtype: QueryType): Promise<DnsResponse> => {
    discoveryQueries++
    return queryRecursive(resolvers, name, qtype, { timeoutMs: deps.queryTimeoutMs })
  }
  if (source === 'nameservers') {
    targets = await resolveListedNameservers(settings.propagation.nameservers, recursive)
  } else {
    zone ??= await findZoneApex(settings.domain, recursive, resolvers)
    targets = await discoverNameservers(zone, recursive, resolvers)
  }
  deps.log(
    `${source === 'nameservers' ? 'Checking the listed' : `Zone ${zone}: checking its`} authoritative nameservers: ${targets.map(t => `${t.nameserver} (${formatServer(t.server)})`).join(', ')}`
  )

  const pairs: Pair[] = targets.map(target => ({
    target,
    observation: undefined,
    verdict: { state: 'error', answer: [], detail: 'not asked yet' },
    serial: undefined,
    syncedAfterMs: undefined,
    queries: 0,
    skipped: false
  }))

  const remaining = (): number => Math.max(1, Math.min(deps.queryTimeoutMs, deadline - deps.now()))
  const observe = async (pair: Pair): Promise<PairVerdict> => {
    pair.queries++
    let observation: PairObservation
    try {
      const response = await deps.query(pair.target.server, settings.domain, type, { timeoutMs: remaining() })
      observation = toObservation(response, settings.domain, type)
    } catch (error) {
      if (!(error instanceof DnsNetworkError)) throw error
      observation = { kind: 'no-answer', failure: error.failure, detail: error.detail }
    }
    pair.observation = observation
    pair.verdict = evaluatePairAnswer(desired, observation)
    if (pair.verdict.state === 'in-sync' && pair.syncedAfterMs === undefined) pair.syncedAfterMs = deps.now() - start
    return pair.verdict
  }
  const readSerial = async (pair: Pair): Promise<void> => {
    pair.queries++
    try {
      const response = await deps.query(pair.target.server, zone ?? settings.domain, 'SOA', { timeoutMs: remaining() })
      const soa = [...response.answers, ...response.authorities].find(r => r.type === 'SOA')
      if (response.authoritative && soa !== undefined) {
        pair.serial = soaSerial(soa)
        zone ??= soa.name
      }
    } catch (error) {
      if (!(error instanceof DnsNetworkError)) throw error
    }
  }

  // The provider's own signal runs alongside, never instead.
  const providerSync =
    settings.mode !== 'check' && context.provider?.waitInSync !== undefined && context.write?.changeId !== undefined
      ? waitForProvider(context.provider, context.write, deadline - deps.now()).then(inSync => ({
          inSync,
          afterMs: deps.now() - start
        }))
      : undefined

  // First round for every pair at once: the answer and the SOA serial.
  await Promise.all(pairs.map(pair => Promise.all([observe(pair), readSerial(pair)])))
  if (settings.mode === 'check') {
    for (const delay of CHECK_MODE_RETRY_DELAYS_MS) {
      const retry = pairs.filter(p => p.observation !== undefined && isTransient(p.observation))
      if (retry.length === 0) break
      await deps.sleep(delay)
      await Promise.all(
        retry.map(pair => Promise.all([observe(pair), pair.serial === undefined ? readSerial(pair) : undefined]))
      )
    }
  }

  const families = evaluateUnreachableFamilies(
    pairs.map(p => ({ address: p.target.server.host, observation: p.observation }))
  )
  for (const pair of pairs) {
    if (families.skipped.includes(pair.target.server.host)) pair.skipped = true
  }
  if (families.skipped.length > 0) {
    const message = `This runner has no route to IPv${families.family} at all; skipped ${families.skipped.join(', ')}. Those nameserver addresses were not checked (the other ones were)`
    report.findings.push({ severity: 'warning', step: 'propagation', title: 'Address family unreachable', message })
  }

  if (settings.mode !== 'check') {
    await Promise.all(
      pairs.map(async pair => {
        while (!pair.skipped && pair.verdict.state !== 'in-sync') {
          const delay = planNextPollDelay(deps.now() - start, deps.random, deps.schedule)
          if (deps.now() + delay >= deadline) return
          await deps.sleep(delay)
          const verdict = await observe(pair)
          if (verdict.state === 'in-sync') await readSerial(pair)
        }
      })
    )
  }

  const nameservers: NameserverReport[] = pairs.map(p => ({
    nameserver: p.target.nameserver,
    address: formatServer(p.target.server),
    state: p.skipped ? 'skipped' : p.verdict.state,
    answer: p.verdict.answer,
    serial: p.serial,
    syncedAfterSeconds: p.syncedAfterMs === undefined ? undefined : p.syncedAfterMs / 1000,
    detail: p.skipped ? 'address family unreachable from this runner' : p.verdict.detail,
    queries: p.queries
  }))
  let propagated = isPropagated(nameservers)
  let providerInSync: boolean | undefined
  let providerAfterSeconds = 0
  if (providerSync !== undefined && settings.mode !== 'check') {
    const signal = await providerSync
    providerInSync = signal.inSync
    providerAfterSeconds = signal.afterMs / 1000
    if (!providerInSync) propagated = false
  }
  const lastSync = Math.max(providerAfterSeconds, ...nameservers.map(n => n.syncedAfterSeconds ?? 0))
  const cname = pairs.map(p => p.observation).find(o => o?.kind === 'answer' && o.cname !== undefined)
  const result: PropagationReport = {
    zone,
    propagated,
    seconds: propagated ? lastSync : undefined,
    nameservers,
    queries: discoveryQueries + pairs.reduce((sum, p) => sum + p.queries, 0),
    source,
    skippedAddresses: families.skipped.length > 0 ? families.skipped : undefined,
    newestSerial: newestSerial(pairs.map(p => p.serial)),
    cname: cname?.kind === 'answer' ? cname.cname : undefined,
    providerInSync
  }
  report.propagation = result
  deps.log(renderPairTable(nameservers))

  const target = `${settings.domain} ${type} ${settings.ip}`
  if (result.cname !== undefined) {
    report.findings.push({
      severity: 'error',
      step: 'propagation',
      title: 'CNAME at the name',
      message: `The authoritative nameservers answer ${settings.domain} with a CNAME to ${result.cname}; an ${type} record cannot exist beside it`,
      drift: settings.mode === 'check'
    })
  }
  if (settings.mode === 'check') {
    if (!propagated) {
      report.findings.push({
        severity: 'error',
        step: 'propagation',
        title: 'Nameserver drift',
        message: `Not every authoritative nameserver${zone ? ` of ${zone}` : ''} serves ${target}: ${describeLaggards(nameservers)}`,
        drift: true
      })
    } else {
      deps.log(`Every authoritative nameserver serves ${target}.`)
    }
    return result
  }
  if (!propagated) {
    const laggards = describeLaggards(nameservers)
    report.findings.push({
      severity: 'error',
      step: 'propagation',
      title: 'Propagation timed out',
      message:
        `After ${settings.propagation.timeoutSeconds} s not every authoritative nameserver${zone ? ` of ${zone}` : ''} serves ${target}: ` +
        (laggards !== '' ? laggards : 'every nameserver answers it') +
        (providerInSync === false ? `; ${context.provider?.displayName} did not report the change in sync` : '') +
        ` (propagation-timeout ${settings.propagation.timeoutSeconds})`
    })
    return result
  }
  deps.log(
    `Propagated: every authoritative nameserver address serves ${target} after ${result.seconds!.toFixed(2)} s (${result.queries} DNS queries).`
  )
  // For information only, now that the record is everywhere: what a resolver answers.
  if (settings.propagation.resolvers.length > 0 || source === 'discovered') {
    try {
      const response = await queryRecursive(resolvers, settings.domain, type, { timeoutMs: deps.queryTimeoutMs })
      const recursiveAnswer = addressesIn(response.answers, settings.domain, type)
      report.propagation = { ...result, recursiveAnswer }
      deps.log(
        `Resolver ${resolvers.map(formatServer).join(', ')} answers ${recursiveAnswer.join(', ') || 'nothing'} (it may hold an older answer until its TTL runs out).`
      )
    } catch (error) {
      deps.log(`The resolver did not answer the final lookup: ${(error as Error).message}`)
    }
  }
  return report.propagation
}

function toObservation(response: DnsResponse, domain: string, type: RecordType): PairObservation {
  const cname = response.answers.find(a => a.type === 'CNAME' && a.name === domain)
  return {
    kind: 'answer',
    rcode: response.rcode,
    authoritative: response.authoritative,
    addresses: addressesIn(response.answers, domain, type),
    cname: cname === undefined ? undefined : dataName(cname)
  }
}

async function waitForProvider(provider: DnsProvider, write: WriteResult, budgetMs: number): Promise<boolean> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), Math.max(0, budgetMs))
  try {
    return await provider.waitInSync!(write, controller.signal)
  } catch {
    return false
  } finally {
    clearTimeout(timer)
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
): Promise<Target[]> {
  let response: DnsResponse
  try {
    response = await recursive(zone, 'NS')
  } catch (error) {
    throw new PropagationError(
      `Propagation: ${describeResolvers(resolvers)} did not answer the NS query for ${zone}: ${(error as Error).message}`
    )
  }
  const names = [...new Set(response.answers.filter(a => a.type === 'NS' && a.name === zone).map(dataName))].sort()
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

async function addressesOf(name: string, recursive: Recursive): Promise<Target[]> {
  const [v4, v6] = await Promise.all(
    (['A', 'AAAA'] as const).map(async t => {
      try {
        return addressesIn((await recursive(name, t)).answers, name, t)
      } catch {
        return []
      }
    })
  )
  return [...v4!, ...v6!].map(host => ({ nameserver: name, server: { host, port: 53 } }))
}

/** `nameservers` given: IP literals as they are, host names resolved to all their addresses. */
async function resolveListedNameservers(list: readonly HostPort[], recursive: Recursive): Promise<Target[]> {
  const targets: Target[] = []
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
