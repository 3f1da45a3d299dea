// Step 3: wait until every authoritative nameserver serves the record (apply), or read each one
// once and report drift (check). The nameservers and the queries are adapters/nameservers.ts; the
// schedule, the verdicts, the report part and the findings are core/propagation.ts.

import * as github from '../adapters/github.ts'
import * as policy from '../core/propagation.ts'
import type { Finding, PropagationReport, StepResult } from '../core/report.ts'
import { planRun, type RunPlan } from '../core/run-plan.ts'
import type { Settings } from '../core/settings.ts'
import { formatServer, queryDns, systemResolvers } from '../adapters/dns-client.ts'
import { askResolver, findAuthoritativeServers, PairWatch, type PairWatchOptions } from '../adapters/nameservers.ts'
import type { DnsProvider, WriteResult } from '../adapters/providers/provider.ts'

export { PropagationError } from '../adapters/nameservers.ts'

export interface PropagationContext {
  readonly settings: Settings
  /** Wait until in sync (apply) or read once (check); from the settings when not given. */
  readonly plan?: RunPlan | undefined
  readonly zone: string | undefined // the zone the provider found, when a provider was used
  readonly provider: DnsProvider | undefined
  readonly write: WriteResult | undefined // undefined when nothing was written
}

/** What the step needs from the world (clock, sleep, queries), so benchmarks and tests can count and time it. */
export interface PropagationDeps extends Pick<PairWatchOptions, 'now' | 'sleep' | 'query' | 'queryTimeoutMs'> {
  readonly log: (line: string) => void
  /** Draws the schedule's phase, once per run. */
  readonly random: () => number
  readonly schedule: policy.PollSchedule
}

export const defaultPropagationDeps: PropagationDeps = {
  ...{ log: line => github.info(line), now: () => performance.now(), random: Math.random, query: queryDns },
  sleep: ms => new Promise(resolve => setTimeout(resolve, ms)),
  ...{ schedule: policy.DEFAULT_POLL_SCHEDULE, queryTimeoutMs: 1500 }
}

export function checkPropagation(context: PropagationContext): Promise<StepResult<PropagationReport>> {
  return runPropagation(context, defaultPropagationDeps)
}

/** Runs the step: the propagation part of the report, and findings that carry the failures. */
export async function runPropagation(
  context: PropagationContext,
  deps: PropagationDeps
): Promise<StepResult<PropagationReport>> {
  const { settings, provider } = context
  const findings: Finding[] = []
  const { domain, recordType: type, ip, propagation: options } = settings
  // Check mode wrote nothing: each nameserver is read once, with no waiting.
  const readOnce = !(context.plan ?? planRun(settings)).writesRecord
  const start = deps.now()
  const deadline = start + options.timeoutSeconds * 1000
  const resolvers = options.resolvers.length > 0 ? options.resolvers : systemResolvers()
  const zone = context.zone ?? settings.zone
  const timeoutMs = deps.queryTimeoutMs
  const servers = await findAuthoritativeServers({
    ...{ domain, zone, listed: options.nameservers, resolvers, timeoutMs },
    ...{ now: deps.now, deadline, timeoutSeconds: options.timeoutSeconds }
  })
  const listing = servers.targets.map(t => `${t.nameserver} (${formatServer(t.server)})`).join(', ')
  const scope = servers.source === 'nameservers' ? 'Checking the listed' : `Zone ${servers.zone}: checking its`
  deps.log(`${scope} authoritative nameservers: ${listing}`)
  const watch = new PairWatch(servers.targets, { ...deps, ...servers, domain, type, desired: [ip], start, deadline })
  // The provider's own signal (Route 53 INSYNC) runs alongside, never instead.
  const signal = readOnce ? undefined : waitForProvider(context, () => deps.now() - start, deadline - deps.now())
  await watch.firstRound()
  if (readOnce) await watch.retryTransient(policy.CHECK_MODE_RETRY_DELAYS_MS)
  const families = policy.evaluateUnreachableFamilies(watch.observations())
  watch.skip(families.skipped)
  findings.push(...policy.unreachableFamilyFindings(families))
  if (!readOnce) await watch.pollUntilInSync(deps.schedule, deps.random())
  const result = policy.summarizePropagation({
    ...{ zone: watch.zone, source: servers.source, pairs: watch.outcomes(), discoveryQueries: servers.queries },
    ...{ skippedAddresses: families.skipped, providerSignal: await signal }
  })
  deps.log(policy.renderPairTable(result.nameservers))
  const subject = { ...settings, type, timeoutSeconds: options.timeoutSeconds, providerName: provider?.displayName }
  findings.push(...policy.propagationFindings(subject, result))
  const target = policy.describeTarget(subject)
  if (result.propagated && readOnce) deps.log(`Every authoritative nameserver serves ${target}.`)
  if (!result.propagated || readOnce) return { part: result, findings }
  deps.log(
    `Propagated: every authoritative nameserver address serves ${target} after ${result.seconds!.toFixed(2)} s (${result.queries} DNS queries).`
  )
  // For information only, now that the record is everywhere: what a resolver answers.
  if (options.resolvers.length === 0 && servers.source !== 'discovered') return { part: result, findings }
  let part: PropagationReport = result
  try {
    const recursiveAnswer = await askResolver(resolvers, domain, type, timeoutMs)
    part = { ...result, recursiveAnswer }
    deps.log(
      `Resolver ${resolvers.map(formatServer).join(', ')} answers ${recursiveAnswer.join(', ') || 'nothing'} (it may hold an older answer until its TTL runs out).`
    )
  } catch (error) {
    deps.log(`The resolver did not answer the final lookup: ${(error as Error).message}`)
  }
  return { part, findings }
}

/** The provider's in-sync wait, if it has one, given up at the deadline (a failure: not in sync). */
async function waitForProvider({ provider, write }: PropagationContext, elapsed: () => number, budgetMs: number) {
  if (provider?.waitInSync === undefined || write?.changeId === undefined) return undefined
  const timeout = AbortSignal.timeout(Math.max(0, Math.round(budgetMs)))
  const inSync = await provider.waitInSync(write, timeout).catch(() => false)
  return { inSync, afterMs: elapsed() }
}
