// Benchmark (not a test): how soon after an authoritative server starts serving a change does each
// waiting strategy say "propagated", at lags of 0.5 to 90 s, and how many DNS queries does it
// send per nameserver address per minute?
//
// One real BIND 9 server on two loopback addresses. Each run has its own name and starts both
// strategies at once; after the set lag the run replaces the name's A record through the RFC 2136
// provider, and an independent probe asks the server every 5 ms from that moment: its first query
// that sees the new address marks when the server really serves it. Strategies:
//   adaptive  this action's propagation step (src/steps/propagation.ts, both addresses listed as
//             `nameservers`), its poll schedule and phase as in a real run;
//   fixed-2s  lego's default: ask every nameserver at once, then every 2 s. Its first interval
//             starts at a random point of its 2 s cycle, as a real change lands at a random point
//             of it (at a fixed lag a fixed phase would make it look either perfect or 2 s late).
// The runs of one lag run in parallel (one BIND, names of their own, starts spread over 2 s), so
// long lags cost their length once, not once per run. The adaptive step's phase is stratified over
// the runs (run i of n draws it in [i/n, (i+1)/n)): marginally uniform as in a real run, so the
// medians estimate the schedule's median with far less noise than independent draws would.
//
// Run: node bench/propagation.ts [--runs N] [--long-runs N]   (prints the markdown section)

import { cpus, release, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'
import { createTsigKey, lookup, startBindServer } from '../__tests__/helpers/bind.ts'
import { Rfc2136Provider } from '../src/adapters/providers/rfc2136.ts'
import { queryDns } from '../src/adapters/dns-client.ts'
import { defaultPropagationDeps, runPropagation, type PropagationDeps } from '../src/steps/propagation.ts'
import type { HostPort, Settings } from '../src/core/settings.ts'

const ADDRESSES = ['127.0.11.31', '127.0.11.32'] as const
const ZONE = 'bench.test'
const OLD_IP = '192.0.2.1'
const NEW_IP = '198.51.100.7'
const FIXED_POLL_MS = 2000
const PROBE_INTERVAL_MS = 5
const SPREAD_MS = 2000
export const LAGS_MS = [500, 5000, 20_000, 45_000, 90_000] as const

type Strategy = 'adaptive' | 'fixed-2s'

interface Detection {
  /** Reported minus really served, ms; negative means reported too early. */
  readonly delayMs: number
  /** Answer queries to the busiest address over the whole wait, and per minute of it. */
  readonly queriesPerAddress: number
  readonly perMinute: number
  /** The same with the SOA queries. */
  readonly allQueriesPerAddress: number
}

interface RunResult {
  readonly lagMs: number
  /** Served minus the start of the wait, ms (the lag plus the update's own time). */
  readonly servedAfterMs: number
  readonly results: Record<Strategy, Detection>
}

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))
const hp = (host: string): HostPort => ({ host, port: 53 })

function settingsFor(name: string, timeoutSeconds: number): Settings {
  return {
    domain: name,
    ip: NEW_IP,
    recordType: 'A',
    mode: 'apply',
    ttl: 60,
    zone: ZONE,
    provider: { kind: 'none' },
    propagation: { wait: true, timeoutSeconds, resolvers: [], nameservers: ADDRESSES.map(hp) },
    certificate: {} as Settings['certificate'],
    drift: { failOnDrift: true, openIssue: false, githubToken: '' }
  }
}

/** Asks the server every PROBE_INTERVAL_MS; resolves with the send time of the first query that sees NEW_IP. */
async function probeUntilServed(name: string): Promise<number> {
  for (let i = 0; i < 10_000; i++) {
    const sentAt = performance.now()
    const answer = await lookup(ADDRESSES[0], 53, name, 'A').catch(() => [])
    if (answer.length === 1 && answer[0] === NEW_IP) return sentAt
    await sleep(PROBE_INTERVAL_MS)
  }
  throw new Error(`${name} never served ${NEW_IP}`)
}

/** lego's loop: every nameserver at once, then every 2 s (from a random point of the cycle). */
async function fixedPoll(name: string, phase: number, timeoutMs: number, counts: Map<string, number>): Promise<void> {
  const start = performance.now()
  for (let k = 0; performance.now() - start < timeoutMs; k++) {
    const answers = await Promise.all(
      ADDRESSES.map(async address => {
        counts.set(address, (counts.get(address) ?? 0) + 1)
        const response = await queryDns(hp(address), name, 'A', { timeoutMs: 1500 }).catch(() => undefined)
        return response?.answers.filter(a => a.type === 'A').map(a => String(a.data)) ?? []
      })
    )
    if (answers.every(a => a.length === 1 && a[0] === NEW_IP)) return
    await sleep(Math.max(0, start + (k + phase) * FIXED_POLL_MS - performance.now()))
  }
  throw new Error('the fixed poll timed out')
}

function countingDeps(counts: Map<string, number>, all: Map<string, number>, phase: number): PropagationDeps {
  return {
    ...defaultPropagationDeps,
    log: () => {},
    random: () => phase,
    query: (server, name, type, options) => {
      if (type !== 'SOA') counts.set(server.host, (counts.get(server.host) ?? 0) + 1)
      all.set(server.host, (all.get(server.host) ?? 0) + 1)
      return defaultPropagationDeps.query(server, name, type, options)
    }
  }
}

function detection(
  reportedAt: number,
  servedAt: number,
  start: number,
  counts: Map<string, number>,
  all: Map<string, number> = counts
): Detection {
  const queriesPerAddress = Math.max(0, ...counts.values())
  return {
    delayMs: reportedAt - servedAt,
    queriesPerAddress,
    allQueriesPerAddress: Math.max(0, ...all.values()),
    perMinute: queriesPerAddress / ((reportedAt - start) / 60_000)
  }
}

async function oneRun(provider: Rfc2136Provider, name: string, lagMs: number, phase: number): Promise<RunResult> {
  const zone = { name: ZONE }
  const current = await provider.read(zone, name, 'A')
  const adaptiveCounts = new Map<string, number>()
  const adaptiveAll = new Map<string, number>()
  const fixedCounts = new Map<string, number>()
  const start = performance.now()
  const timeoutSeconds = Math.ceil(lagMs / 1000) + 30
  const adaptive = (async () => {
    const settings = settingsFor(name, timeoutSeconds)
    const context = { settings, zone: ZONE, provider: undefined, write: {} }
    const step = await runPropagation(context, countingDeps(adaptiveCounts, adaptiveAll, phase))
    if (!step.part.propagated) throw new Error(`adaptive did not propagate: ${JSON.stringify(step.findings)}`)
    return performance.now()
  })()
  const fixed = fixedPoll(name, Math.random(), timeoutSeconds * 1000, fixedCounts).then(() => performance.now())
  await sleep(start + lagMs - performance.now())
  const served = probeUntilServed(name)
  await provider.write(zone, {
    kind: 'replace',
    expected: current.recordSet!,
    desired: { name, type: 'A', ttl: 60, values: [NEW_IP] }
  })
  const servedAt = await served
  const [adaptiveAt, fixedAt] = await Promise.all([adaptive, fixed])
  return {
    lagMs,
    servedAfterMs: servedAt - start,
    results: {
      adaptive: detection(adaptiveAt, servedAt, start, adaptiveCounts, adaptiveAll),
      'fixed-2s': detection(fixedAt, servedAt, start, fixedCounts)
    }
  }
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (sorted.length - 1) * p
  const low = Math.floor(at)
  return sorted[low]! + (sorted[Math.min(low + 1, sorted.length - 1)]! - sorted[low]!) * (at - low)
}

export interface BenchOptions {
  /** Runs per lag up to 20 s, and at 45 and 90 s. */
  readonly runs: number
  readonly longRuns: number
}

export interface PropagationBench {
  readonly markdown: string
  readonly met: boolean
  /** One line for the goals at a glance. */
  readonly summary: string
}

export async function runPropagationBench(options: BenchOptions): Promise<PropagationBench> {
  const runsAt = (lagMs: number): number => (lagMs >= 45_000 ? options.longRuns : options.runs)
  const total = LAGS_MS.reduce((sum, lag) => sum + runsAt(lag), 0)
  const key = createTsigKey('bench-key')
  const server = await startBindServer({
    addresses: [...ADDRESSES],
    keys: [key],
    zones: [
      {
        name: ZONE,
        role: 'primary',
        updateKeys: [key],
        records: [
          '@ IN NS ns1',
          `ns1 IN A ${ADDRESSES[0]}`,
          ...Array.from({ length: total }, (_, i) => `r${i} IN A ${OLD_IP}`)
        ]
      }
    ]
  })
  const results: RunResult[] = []
  try {
    const provider = new Rfc2136Provider({ kind: 'rfc2136', server: hp(ADDRESSES[0]), tsig: key })
    let next = 0
    for (const lagMs of LAGS_MS) {
      const n = runsAt(lagMs)
      process.stderr.write(`propagation: lag ${lagMs / 1000} s, ${n} runs in parallel ...\n`)
      const batch = await Promise.all(
        Array.from({ length: n }, async (_, i) => {
          const name = `r${next++}.${ZONE}`
          await sleep(Math.random() * SPREAD_MS)
          return oneRun(provider, name, lagMs, (i + Math.random()) / n)
        })
      )
      results.push(...batch)
    }
  } finally {
    await server.stop()
  }
  return render(results, options)
}

function render(results: readonly RunResult[], options: BenchOptions): PropagationBench {
  const ms = (v: number): string => v.toFixed(0)
  const rows: string[] = []
  let met = true
  const goalNotes: string[] = []
  for (const lagMs of LAGS_MS) {
    const mine = results.filter(r => r.lagMs === lagMs)
    const cells = (['adaptive', 'fixed-2s'] as const).map(strategy => {
      const d = mine.map(r => r.results[strategy])
      const delays = d.map(x => x.delayMs)
      const early = delays.filter(v => v < -PROBE_INTERVAL_MS).length
      return {
        median: percentile(delays, 0.5),
        p90: percentile(delays, 0.9),
        max: Math.max(...delays),
        early,
        queries: Math.max(...d.map(x => x.queriesPerAddress)),
        all: Math.max(...d.map(x => x.allQueriesPerAddress)),
        perMinute: Math.max(...d.map(x => x.perMinute))
      }
    })
    const [a, f] = cells as [(typeof cells)[0], (typeof cells)[0]]
    const medianGoal = lagMs <= 10_000 ? 500 : 600
    const ok = a.median <= medianGoal && a.max <= 1200 && a.early === 0 && (lagMs < 45_000 || a.perMinute <= 60)
    if (!ok) met = false
    goalNotes.push(`${lagMs / 1000} s: ${ms(a.median)} ms`)
    rows.push(
      `| ${lagMs / 1000} s | ${mine.length} | **${ms(a.median)}** | ${ms(a.p90)} | ${ms(a.max)} | ${a.early} | ${a.queries} | ${a.perMinute.toFixed(0)} | ${a.all} | ${ms(f.median)} | ${ms(f.max)} | ${f.perMinute.toFixed(0)} | ≤ ${medianGoal} median, ≤ 1200 max${lagMs >= 45_000 ? ', ≤ 60/min' : ''}: ${ok ? 'met' : 'missed'} |`
    )
  }
  const served = results.map(r => r.servedAfterMs - r.lagMs)
  const maxAll = Math.max(...results.map(r => r.results.adaptive.delayMs))
  const summary = `adaptive median detection delay ${goalNotes.join(', ')}; max ${ms(maxAll)} ms; at most ${Math.max(...results.filter(r => r.lagMs >= 45_000).map(r => r.results.adaptive.perMinute)).toFixed(0)} answer queries per address per minute on the 45 and 90 s waits`
  const cpu = cpus()[0]?.model ?? 'unknown CPU'
  const markdown = `## Propagation detection

Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpu} (${cpus().length} CPUs, ${Math.round(totalmem() / 2 ** 30)} GiB), Linux ${release()}, Node ${process.version}, BIND 9 (\`named\`) on loopback. Reproduce this section alone with \`npm run bench -- propagation\` (${options.runs} runs per lag up to 20 s, ${options.longRuns} at 45 and 90 s; it rewrites only this section and its line in the goals above).

Setup: one authoritative BIND server on two addresses (${ADDRESSES.join(', ')}), both listed as \`nameservers\`. Each run starts the wait, and after the set **lag** replaces its own name's A record through the RFC 2136 provider; an independent probe asks the server every ${PROBE_INTERVAL_MS} ms from then on, and its first query that sees the new address marks the moment the server really serves it (the update itself took a median of ${ms(percentile(served, 0.5))} ms more). The runs of one lag run in parallel, their starts spread over ${SPREAD_MS / 1000} s. **Detection delay** is the time from that moment to the strategy reporting "propagated" (negative beyond the probe's ${PROBE_INTERVAL_MS} ms: reported too early, i.e. wrongly). **Answer queries per address** counts the queries for the record a strategy sent to the busiest address over the wait (the maximum over the runs), the immediate first check included; per minute divides it by the wait (start to report); **with SOA** adds the adaptive step's two SOA serial queries (one at the first check, one once in sync).

| lag | runs | adaptive median delay (ms) | p90 | max | too early | answer queries per address | per minute | with SOA | lego 2 s median delay (ms) | max | per minute | goal |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

- adaptive: this action's propagation step (\`src/steps/propagation.ts\`), the schedule of \`DEFAULT_POLL_SCHEDULE\` in \`src/core/propagation.ts\`: the first check at once, then intervals of 0.2 s up to 0.4 s, 0.9 s up to 10.5 s and 1.12 s after, at a random phase drawn once per run and shared by every address (so both addresses are asked together). Its phase is stratified over the runs of a lag (run i of n in [i/n, (i+1)/n)), so the medians estimate the schedule's own median, not the luck of ${options.longRuns} draws.
- fixed-2s: lego's default, every nameserver at once, then every 2 s, from a random point of its 2 s cycle.

Goals from issue 12: median detection delay ≤ 500 ms at lags up to 10 s and ≤ 600 ms at any lag up to 120 s, never more than 1200 ms, at most 60 queries per nameserver address per minute on any wait of 45 s or more (counted as answer queries: the SOA serial adds a fixed two per address and run, whatever the wait).
**Result: ${met ? 'met' : 'not met'}**: ${summary}.
`
  return { markdown, met, summary }
}

function parseArgs(argv: readonly string[]): BenchOptions {
  const get = (flag: string): string | undefined => {
    const i = argv.indexOf(flag)
    return i >= 0 ? argv[i + 1] : undefined
  }
  return { runs: Number(get('--runs') ?? 40), longRuns: Number(get('--long-runs') ?? 40) }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const bench = await runPropagationBench(parseArgs(process.argv.slice(2)))
  process.stdout.write(bench.markdown)
}
