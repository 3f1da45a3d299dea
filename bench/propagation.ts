// Benchmark (not a test): how soon after the secondary really serves a change does each waiting
// strategy say "propagated", and how many DNS queries does it send per nameserver address?
//
// Against a real BIND 9 pair on loopback (secondary refreshing every few seconds, NOTIFY off):
// each run writes a new address through the RFC 2136 provider while an independent probe asks the
// secondary every 10 ms; the moment the probe first sees the new address is the truth. Strategies:
//   adaptive    this action's propagation step (discovery through the primary, then polling);
//   fixed-2s    lego's default: ask every nameserver every 2 s;
//   fixed-sleep certbot's way: sleep a fixed time, then assume it is done.
// A second scenario waits 60 s for a change that never arrives (a secondary that does not refresh)
// and counts the queries each polling strategy sends per address.
//
// Run: node bench/propagation.ts [--runs N] [--refresh S] [--out docs/propagation-bench.md]

import { writeFileSync } from 'node:fs'
import { cpus, release, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'
import { lookup, startBindPair, type BindPair } from '../__tests__/helpers/bind.ts'
import { Rfc2136Provider } from '../src/adapters/providers/rfc2136.ts'
import { queryDns } from '../src/adapters/dns-client.ts'
import { defaultPropagationDeps, runPropagation, type PropagationDeps } from '../src/steps/propagation.ts'
import { createReport } from '../src/core/report.ts'
import type { HostPort, Settings } from '../src/core/settings.ts'

const PRIMARY = '127.0.5.31'
const SECONDARY = '127.0.5.32'
const STALE_PRIMARY = '127.0.5.33'
const STALE_SECONDARY = '127.0.5.34'
const NAME = 'ldaps.example.test'
const FIXED_POLL_MS = 2000
const FIXED_SLEEP_MS = 10_000
const PROBE_INTERVAL_MS = 10

type Strategy = 'adaptive' | 'fixed-2s' | 'fixed-sleep'

interface RunResult {
  readonly strategy: Strategy
  /** Reported minus actually served at the secondary, ms; negative means reported too early. */
  readonly delayMs: number
  /** Propagation time as the secondary really served it, ms after the write. */
  readonly actualMs: number
  /** Queries per nameserver address (max over addresses). */
  readonly queriesPerAddress: number
}

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))
const hp = (host: string): HostPort => ({ host, port: 53 })

function settingsFor(ip: string, resolver: string, timeoutSeconds: number): Settings {
  return {
    domain: NAME,
    ip,
    recordType: 'A',
    mode: 'apply',
    ttl: 60,
    zone: undefined,
    provider: { kind: 'none' },
    propagation: { wait: true, timeoutSeconds, resolvers: [hp(resolver)], nameservers: [] },
    certificate: {} as Settings['certificate'],
    drift: { failOnDrift: true, openIssue: false, githubToken: '' }
  }
}

/** Asks the secondary every PROBE_INTERVAL_MS; resolves with the time it first serves `ip`. */
function probeUntilServed(address: string, ip: string, signal: AbortSignal): Promise<number> {
  return (async () => {
    while (!signal.aborted) {
      const sentAt = performance.now()
      const answer = await lookup(address, 53, NAME, 'A').catch(() => [])
      if (answer.length === 1 && answer[0] === ip) return sentAt
      await sleep(PROBE_INTERVAL_MS)
    }
    return Number.NaN
  })()
}

async function waitUntilServed(address: string, ip: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if ((await lookup(address, 53, NAME, 'A').catch(() => []))[0] === ip) return
    await sleep(50)
  }
  throw new Error(`${address} never served ${ip}`)
}

function countingDeps(counts: Map<string, number>): PropagationDeps {
  return {
    ...defaultPropagationDeps,
    log: () => {},
    query: (server, name, type, options) => {
      counts.set(server.host, (counts.get(server.host) ?? 0) + 1)
      return defaultPropagationDeps.query(server, name, type, options)
    }
  }
}

/** lego's loop: every nameserver every 2 s until all answer with the new address. */
async function fixedPoll(
  addresses: readonly string[],
  ip: string,
  timeoutMs: number,
  counts: Map<string, number>
): Promise<boolean> {
  const deadline = performance.now() + timeoutMs
  while (true) {
    const answers = await Promise.all(
      addresses.map(async address => {
        counts.set(address, (counts.get(address) ?? 0) + 1)
        const response = await queryDns(hp(address), NAME, 'A', { timeoutMs: 1500 }).catch(() => undefined)
        return response?.answers.filter(a => a.type === 'A').map(a => String(a.data)) ?? []
      })
    )
    if (answers.every(a => a.length === 1 && a[0] === ip)) return true
    if (performance.now() + FIXED_POLL_MS >= deadline) return false
    await sleep(FIXED_POLL_MS)
  }
}

async function oneRun(
  pair: BindPair,
  provider: Rfc2136Provider,
  strategy: Strategy,
  ip: string,
  refreshMs: number
): Promise<RunResult> {
  const zone = { name: pair.zone }
  const current = await provider.read(zone, NAME, 'A')
  await waitUntilServed(SECONDARY, current.recordSet!.values[0]!)
  // The secondary has just refreshed; write at a random moment of its refresh cycle, as a real
  // change would, so the arrival time is not tied to the run's own rhythm.
  await sleep(Math.random() * refreshMs)
  const controller = new AbortController()
  const served = probeUntilServed(SECONDARY, ip, controller.signal)
  await provider.write(zone, {
    kind: 'replace',
    expected: current.recordSet!,
    desired: { name: NAME, type: 'A', ttl: 60, values: [ip] }
  })
  const writtenAt = performance.now()
  const counts = new Map<string, number>()
  let reportedAt: number
  if (strategy === 'adaptive') {
    const settings = settingsFor(ip, PRIMARY, 60)
    const report = createReport({ domain: NAME, ip, mode: 'apply', provider: 'rfc2136', now: new Date() })
    await runPropagation({ settings, report, zone: undefined, provider: undefined, write: {} }, countingDeps(counts))
    reportedAt = performance.now()
    if (!report.propagation?.propagated)
      throw new Error(`adaptive run did not propagate: ${JSON.stringify(report.findings)}`)
  } else if (strategy === 'fixed-2s') {
    if (!(await fixedPoll([PRIMARY, SECONDARY], ip, 60_000, counts))) throw new Error('fixed poll timed out')
    reportedAt = performance.now()
  } else {
    await sleep(FIXED_SLEEP_MS)
    reportedAt = performance.now()
  }
  const servedAt = await Promise.race([served, sleep(30_000).then(() => Number.NaN)])
  controller.abort()
  return {
    strategy,
    delayMs: reportedAt - servedAt,
    actualMs: servedAt - writtenAt,
    queriesPerAddress: Math.max(0, ...[PRIMARY, SECONDARY].map(a => counts.get(a) ?? 0))
  }
}

/** Both polling strategies waiting 60 s for a change the secondary never picks up. */
async function sixtySecondWait(): Promise<{ adaptive: Record<string, number>; fixed: Record<string, number> }> {
  const pair = await startBindPair({
    primary: STALE_PRIMARY,
    secondary: STALE_SECONDARY,
    refreshSeconds: 3600,
    records: [`ldaps IN A 192.0.2.1`]
  })
  try {
    await pair.nsupdate([`update delete ${NAME} A`, `update add ${NAME} 60 A 192.0.2.2`])
    const adaptiveCounts = new Map<string, number>()
    const fixedCounts = new Map<string, number>()
    const settings = settingsFor('192.0.2.2', STALE_PRIMARY, 60)
    const report = createReport({ domain: NAME, ip: '192.0.2.2', mode: 'apply', provider: 'rfc2136', now: new Date() })
    await Promise.all([
      runPropagation(
        { settings, report, zone: undefined, provider: undefined, write: {} },
        countingDeps(adaptiveCounts)
      ),
      fixedPoll([STALE_PRIMARY, STALE_SECONDARY], '192.0.2.2', 60_000, fixedCounts)
    ])
    return { adaptive: Object.fromEntries(adaptiveCounts), fixed: Object.fromEntries(fixedCounts) }
  } finally {
    await pair.stop()
  }
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))]!
}

export interface BenchOptions {
  readonly runs: number
  readonly refreshSeconds: number
  readonly out: string | undefined
}

export async function runPropagationBench(options: BenchOptions): Promise<string> {
  const pair = await startBindPair({
    primary: PRIMARY,
    secondary: SECONDARY,
    refreshSeconds: options.refreshSeconds,
    records: ['ldaps IN A 192.0.2.1']
  })
  const results: RunResult[] = []
  try {
    const provider = new Rfc2136Provider({ kind: 'rfc2136', server: hp(PRIMARY), tsig: pair.keys.sha256 })
    let n = 0
    for (let i = 0; i < options.runs; i++) {
      for (const strategy of ['adaptive', 'fixed-2s', 'fixed-sleep'] as const) {
        const ip = `198.51.100.${(n++ % 250) + 1}`
        const result = await oneRun(pair, provider, strategy, ip, options.refreshSeconds * 1000)
        results.push(result)
        process.stderr.write(
          `${strategy.padEnd(11)} run ${i + 1}: served after ${result.actualMs.toFixed(0)} ms, reported ${result.delayMs.toFixed(0)} ms later, ${result.queriesPerAddress} queries/address\n`
        )
      }
    }
  } finally {
    await pair.stop()
  }
  process.stderr.write('60 s wait for a change that never arrives...\n')
  const sixty = await sixtySecondWait()

  const rows = (['adaptive', 'fixed-2s', 'fixed-sleep'] as const).map(strategy => {
    const mine = results.filter(r => r.strategy === strategy)
    const delays = mine.map(r => r.delayMs)
    // Within the probe's own resolution a negative delay is a tie, not an early report.
    const early = delays.filter(d => d < -PROBE_INTERVAL_MS).length
    return `| ${strategy} | ${mine.length} | ${percentile(delays, 0.5).toFixed(0)} | ${percentile(delays, 0.9).toFixed(0)} | ${Math.max(...delays).toFixed(0)} | ${early} | ${(mine.reduce((s, r) => s + r.queriesPerAddress, 0) / mine.length).toFixed(1)} |`
  })
  const actual = results.map(r => r.actualMs)
  const adaptiveMedian = percentile(
    results.filter(r => r.strategy === 'adaptive').map(r => r.delayMs),
    0.5
  )
  const adaptiveSixty = Math.max(...Object.values(sixty.adaptive))
  const met = adaptiveMedian <= 500 && adaptiveSixty < 40
  const verdict = `**Result: ${met ? 'met' : 'not met'}**: adaptive median detection delay ${adaptiveMedian.toFixed(0)} ms, and at most ${adaptiveSixty} queries per nameserver address over the 60 s wait.`
  const cpu = cpus()[0]?.model ?? 'unknown CPU'
  const markdown = `# Propagation benchmark

Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpu} (${cpus().length} CPUs, ${Math.round(totalmem() / 2 ** 30)} GiB), Linux ${release()}, Node ${process.version}, BIND 9.18 (\`named\`) on loopback. Reproduce with \`node bench/propagation.ts --runs ${options.runs} --refresh ${options.refreshSeconds}\`.

Setup: a primary and a secondary; the secondary transfers the zone every ${options.refreshSeconds} s (SOA refresh, NOTIFY off, BIND applies up to 25 % jitter), so a change reaches it at a random moment within a few seconds. Each run waits until the secondary has the previous change, waits a random part of the refresh interval (so the write falls at a random moment of the secondary's refresh cycle), then replaces the A record through the RFC 2136 provider; an independent probe asks the secondary every ${PROBE_INTERVAL_MS} ms, and its first query that sees the new address marks the moment the secondary actually serves it (±${PROBE_INTERVAL_MS} ms). The secondary really served the change ${percentile(actual, 0.5).toFixed(0)} ms after the write in the median run (${Math.min(...actual).toFixed(0)} to ${Math.max(...actual).toFixed(0)} ms).

**Detection delay** is the time from that moment to the strategy reporting "propagated" (negative: it reported before the secondary had the record, i.e. wrongly; a few milliseconds below zero only mean the strategy's query landed between two probe queries). **Queries per address** counts every DNS query the strategy sent to one nameserver address (the adaptive step's count includes its SOA queries; its discovery queries through the resolver are not counted here).

| strategy | runs | median delay (ms) | p90 delay (ms) | max delay (ms) | reported too early | queries per address (mean) |
| --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

- adaptive: this action's propagation step (\`src/steps/propagation.ts\`): first check at once, then intervals of 250 ms growing to 15 % of the time already waited, up to 5 s, ±10 % jitter.
- fixed-2s: lego's default, every nameserver every 2 s.
- fixed-sleep: certbot's way, sleep ${FIXED_SLEEP_MS / 1000} s and assume the change is out.

**A 60 s wait for a change that never arrives** (a secondary that does not refresh in that time), DNS queries sent per nameserver address:

| strategy | primary ${STALE_PRIMARY} | secondary ${STALE_SECONDARY} |
| --- | --- | --- |
| adaptive | ${sixty.adaptive[STALE_PRIMARY] ?? 0} | ${sixty.adaptive[STALE_SECONDARY] ?? 0} |
| fixed-2s | ${sixty.fixed[STALE_PRIMARY] ?? 0} | ${sixty.fixed[STALE_SECONDARY] ?? 0} |

(The adaptive step stops asking the primary once it is in sync; it asks the stale secondary until the timeout.)

Goal from issue 6: median detection delay ≤ 500 ms with fewer than 40 queries per nameserver address over a 60 s wait.
${verdict}
`
  if (options.out !== undefined) writeFileSync(options.out, markdown)
  return markdown
}

function parseArgs(argv: readonly string[]): BenchOptions {
  const get = (flag: string): string | undefined => {
    const i = argv.indexOf(flag)
    return i >= 0 ? argv[i + 1] : undefined
  }
  return {
    runs: Number(get('--runs') ?? 15),
    refreshSeconds: Number(get('--refresh') ?? 5),
    out: get('--out') ?? 'docs/propagation-bench.md'
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const markdown = await runPropagationBench(parseArgs(process.argv.slice(2)))
  process.stdout.write(markdown)
}
