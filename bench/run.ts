// npm run bench: every figure of BENCHMARKS.md, measured on this machine, written to BENCHMARKS.md.
//   - cold start and bundle size (bench/cold-start.ts)
//   - no-op apply per provider, API requests and DNS queries (bench/noop.ts)
//   - the same no-op check done by hand (dig + openssl s_client) against the action in check mode
//   - propagation detection delay against a BIND pair (bench/propagation.ts)
//   - one certificate renewal against lego's --dns rfc2136 (bench/renewal.ts; lego skipped when absent)
//   - x509-limbo agreement (bench/limbo.ts)
// `npm run bench -- --quick` runs fewer repetitions (for a smoke test) and `--no-propagation`
// leaves out the slowest part, carrying the last run's propagation section over unchanged.
// `npm run bench -- propagation` measures only propagation (about 3 to 4 minutes) and rewrites only
// its section of BENCHMARKS.md and its line in the goals at a glance. `--no-renewal` and
// `npm run bench -- renewal` (about 5 minutes) do the same for the renewal comparison.

import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, release, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { runAction } from '../__tests__/helpers/run-action.ts'
import { startBindPair, type BindPair } from '../__tests__/helpers/bind.ts'
import { startSlapd } from '../__tests__/helpers/slapd.ts'
import { createTestPki } from '../__tests__/helpers/test-pki.ts'
import { measureColdStart, median } from './cold-start.ts'
import { measureNoop, type ProviderRig } from './noop.ts'
import { measureEntraOverhead, renderEntraMarkdown } from './entra.ts'
import { runPropagationBench } from './propagation.ts'
import { renderRenewalMarkdown, renewalGoalMet, runRenewalBench, type RenewalBenchResult } from './renewal.ts'
import { renderLimboMarkdown, runLimbo, summarizeLimbo } from './limbo.ts'

const HAND_MEASURED = '<!-- measured by hand: npm run bench keeps everything below this line -->'

const quick = process.argv.includes('--quick')
const log = (text: string): void => void process.stderr.write(`${text}\n`)
const ms = (value: number): string => `${value.toFixed(0)} ms`
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`

const DOMAIN = 'ldaps.contoso100.com'

/** The RFC 2136 provider against a real BIND pair, with the propagation step on. */
async function rfc2136Rig(ip: string): Promise<ProviderRig & { readonly pair: BindPair }> {
  const pair = await startBindPair({
    zone: 'contoso100.com',
    primary: '127.0.11.10',
    secondary: '127.0.11.11',
    refreshSeconds: 5,
    records: [`ldaps 300 IN A ${ip}`]
  })
  const key = pair.keys.sha256
  return {
    pair,
    name: 'rfc2136 (+ waiting on 2 nameservers)',
    inputs: {
      provider: 'rfc2136',
      'rfc2136-server': pair.primaryAddress,
      'rfc2136-tsig-key-name': key.name,
      'rfc2136-tsig-secret': key.secret,
      resolver: pair.primaryAddress,
      'wait-for-propagation': 'true'
    },
    env: {},
    close: () => pair.stop()
  }
}

/** The no-op check as people script it today: dig at every nameserver, then openssl s_client. */
async function handMadeComparison(runs: number): Promise<string> {
  const pki = createTestPki()
  const slapd = await startSlapd({
    host: '127.0.11.20',
    chainPem: pki.leaves.good.chainPem,
    keyPem: pki.leaves.good.leaf.keyPem
  })
  const pair = await startBindPair({
    zone: 'contoso100.com',
    primary: '127.0.11.21',
    secondary: '127.0.11.22',
    refreshSeconds: 5,
    records: [`ldaps 300 IN A ${slapd.host}`]
  })
  const dir = mkdtempSync(join(tmpdir(), 'bench-hand-'))
  const caFile = join(dir, 'root.pem')
  writeFileSync(caFile, pki.root.certPem)
  const script = [
    'set -e',
    ...[pair.primaryAddress, pair.secondaryAddress].map(
      ns => `test "$(dig @${ns} +norecurse +short +time=2 ${DOMAIN} A)" = "${slapd.host}"`
    ),
    `openssl s_client -connect ${slapd.host}:${slapd.ldapsPort} -servername ${DOMAIN} -verify_return_error -verify_hostname ${DOMAIN} -CAfile ${caFile} </dev/null >/dev/null 2>&1`
  ].join('\n')
  try {
    const byHand: number[] = []
    const action: number[] = []
    for (let i = 0; i < runs; i++) {
      let started = performance.now()
      const shell = spawnSync('bash', ['-c', script], { stdio: 'ignore' })
      byHand.push(performance.now() - started)
      if (shell.status !== 0) throw new Error('the hand-made check failed')
      started = performance.now()
      const run = await runAction({
        domain: DOMAIN,
        ip: slapd.host,
        provider: 'none',
        mode: 'check',
        nameservers: `${pair.primaryAddress},${pair.secondaryAddress}`,
        port: String(slapd.ldapsPort),
        'ca-certificate': pki.root.certPem
      })
      action.push(performance.now() - started)
      if (run.exitCode !== 0) throw new Error(`the action's check failed:\n${run.stdout}`)
    }
    const hand = median(byHand)
    const ours = median(action)
    return [
      '| way | median wall time | what it checks |',
      '| --- | --- | --- |',
      `| \`dig\` at each of 2 nameservers + \`openssl s_client -verify_return_error -verify_hostname\` | ${ms(hand)} | each nameserver's answer; chain to the CA, host name |`,
      `| the bundled action, \`mode: check\`, \`provider: none\`, same nameservers | ${ms(ours)} | the same, plus SOA serials, validity window and \`min-days-valid\`, key usage, key strength, a pinned fingerprint, the served chain's completeness, an LDAP root DSE read, and a job summary and \`report\` |`,
      '',
      `Ratio action / by hand: **${(ours / hand).toFixed(2)}** (${runs} runs each, alternating). The difference is mostly start-up (Node and the bundle, about 85 ms; see the cold start above), a second TLS connection limited to TLS 1.2 that reads the chain exactly as the server sends it (so a missing intermediate is caught), and the LDAP root DSE read; a workflow pays it once per run, and it replaces a hand-written script that checks less.`
    ].join('\n')
  } finally {
    await slapd.stop()
    await pair.stop()
  }
}

const propagationOptions = { runs: quick ? 6 : 40, longRuns: quick ? 6 : 40 }

function propagationGoalRow(measured: string, verdict: string): string {
  return `| propagation: median detection delay ≤ 500 ms up to 10 s and ≤ 600 ms up to 120 s, max ≤ 1200 ms, ≤ 60 queries per address per minute on waits ≥ 45 s | ${measured} | ${verdict} |`
}

const RENEWAL_HEADING = '## Certificate renewal against lego'
const renewalRounds = quick ? 1 : 3

function renewalGoalRow(result: RenewalBenchResult): string {
  const met = renewalGoalMet(result)
  const measured =
    result.legoMs === undefined
      ? `action ${(median(result.actionMs) / 1000).toFixed(1)} s; lego not installed`
      : `action ${(median(result.actionMs) / 1000).toFixed(1)} s, lego ${(median(result.legoMs) / 1000).toFixed(1)} s (median of ${result.rounds})`
  return `| renewal, order to verified: the action ≤ half of lego's \`--dns rfc2136\` issuance | ${measured} | ${met === undefined ? 'not measured' : met ? 'met' : 'not met'} |`
}

/** Measures the renewal comparison only and puts its section and goal line into the existing BENCHMARKS.md. */
async function renewalOnly(): Promise<void> {
  log('renewal against lego only (about 5 minutes) …')
  const result = await runRenewalBench(renewalRounds)
  const section = renderRenewalMarkdown(result)
  let current = readFileSync('BENCHMARKS.md', 'utf8')
  const start = current.indexOf(`${RENEWAL_HEADING}\n`)
  if (start >= 0) {
    const end = current.indexOf('\n## ', start + 1)
    current = current.slice(0, start) + section + '\n' + (end < 0 ? '' : current.slice(end))
  } else {
    const before = current.indexOf('## x509-limbo agreement')
    if (before < 0)
      throw new Error('BENCHMARKS.md has no x509-limbo section to put the renewal before; run npm run bench')
    current = current.slice(0, before) + section + '\n\n' + current.slice(before)
  }
  current = /^\| renewal, order to verified: .*$/m.test(current)
    ? current.replace(/^\| renewal, order to verified: .*$/m, renewalGoalRow(result))
    : current.replace(/^(\| propagation: .*)$/m, `$1\n${renewalGoalRow(result)}`)
  writeFileSync('BENCHMARKS.md', current)
  process.stdout.write(`${section}\n`)
}

/** Measures propagation only and puts its section and goal line into the existing BENCHMARKS.md. */
async function propagationOnly(): Promise<void> {
  log('propagation only (about 3 to 4 minutes) …')
  const bench = await runPropagationBench(propagationOptions)
  const current = readFileSync('BENCHMARKS.md', 'utf8')
  const start = current.indexOf('## Propagation detection')
  const end = current.indexOf('\n## ', start + 1)
  if (start < 0 || end < 0) throw new Error('BENCHMARKS.md has no propagation section to replace; run npm run bench')
  const section = current.slice(0, start) + bench.markdown.trimEnd() + '\n' + current.slice(end)
  const markdown = section.replace(
    /^\| propagation: .*$/m,
    propagationGoalRow(bench.summary, bench.met ? 'met' : 'not met')
  )
  writeFileSync('BENCHMARKS.md', markdown)
  process.stdout.write(bench.markdown)
}

async function main(): Promise<void> {
  const sections: string[] = []
  const gitRev = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()
  const namedVersion = spawnSync('/usr/sbin/named', ['-v'], { encoding: 'utf8' }).stdout.trim()
  sections.push(
    `# Benchmarks\n\nMeasured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC by \`npm run bench\`${quick ? ' (--quick)' : ''} at ${gitRev} on ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB), Linux ${release()}, Node ${process.version}, ${namedVersion}. Every server is local (loopback); the cloud APIs are the test stand-ins, so the figures measure this action, not the providers' latency.`
  )

  log('cold start …')
  const cold = measureColdStart(quick ? 10 : 40)
  sections.push(
    [
      '## Cold start and bundle',
      '',
      'A run that fails input validation (pure start-up cost), against `node -e 0`, median of ' + cold.runs + ' runs:',
      '',
      '| | median | goal |',
      '| --- | --- | --- |',
      `| \`node -e 0\` | ${ms(cold.bareNodeMs)} | |`,
      `| \`node dist/index.js\` (invalid input) | ${ms(cold.actionMs)} | |`,
      `| start cost above bare Node | **${ms(cold.overheadMs)}** (ratio ${cold.ratio.toFixed(2)}) | ≤ 150 ms |`,
      `| JavaScript loaded by a run with provider none, no wait, no certificate check | **${kb(cold.loadedBytesNoProvider)}** in ${cold.loadedFilesNoProvider} file(s) | ≤ 2 MB |`,
      `| the same with the certificate check (ldapts, node-forge's ASN.1 reader) | **${kb(cold.loadedBytesWithCertificate)}** in ${cold.loadedFilesWithCertificate} file(s) | ≤ 2 MB |`,
      `| all of \`dist/\` (${cold.distFiles} JavaScript files) | ${kb(cold.distBytes)} | |`,
      '',
      "Provider SDKs, the certificate step (ldapts, node-forge's ASN.1 reader) and Octokit are separate chunks loaded only by the runs that use them."
    ].join('\n')
  )

  log('no-op apply per provider …')
  const noop = await measureNoop(quick ? 2 : 7, [rfc2136Rig])
  sections.push(
    [
      '## No-op apply per provider',
      '',
      `The record already holds \`ip\` and a good certificate is served by a real slapd (LDAPS, certificate verified, root DSE read). Wall time of the whole bundled action, median of ${noop[0]!.runs} runs. API requests: every HTTP request the stand-in received (sign-in excluded: it goes to a separate token endpoint); record reads and writes: as the action's report counts them.`,
      '',
      '| provider | median wall time | API requests per run | record reads | writes | DNS queries (propagation) |',
      '| --- | --- | --- | --- | --- | --- |',
      ...noop.map(
        r =>
          `| ${r.provider} | ${ms(r.medianMs)} | ${r.apiRequestsPerRun ?? '—'} | ${r.providerReads} | ${r.providerWrites} | ${r.dnsQueries} |`
      ),
      '',
      'Goal: one read and zero writes; with Azure and `zone` + `azure-resource-group` given, at most two requests (the A/AAAA set and the CNAME check, sent in parallel). Cloudflare and Route 53 spend their extra requests on finding the zone by name (one per suffix tried); with `cloudflare-zone-id` / `route53-hosted-zone-id` given it is one request to confirm that the id names the zone that holds `domain`, then the one read. RFC 2136: one SOA walk to confirm the zone and one read; every write is zero.'
    ].join('\n')
  )

  log('Entra Domain Services stage …')
  sections.push(renderEntraMarkdown(await measureEntraOverhead(quick ? 2 : 7)))

  log('by hand vs the action …')
  sections.push(`## The same check by hand\n\n${await handMadeComparison(quick ? 3 : 10)}`)

  if (!process.argv.includes('--no-propagation')) {
    log('propagation (takes a few minutes) …')
    sections.push((await runPropagationBench(propagationOptions)).markdown)
  } else {
    // Not measured this time: the section of the last full run is carried over as it was.
    const kept = previousSection('## Propagation detection')
    if (kept !== undefined) sections.push(kept)
  }

  let renewal: RenewalBenchResult | undefined
  if (!process.argv.includes('--no-renewal')) {
    log('renewal against lego (takes a few minutes) …')
    renewal = await runRenewalBench(renewalRounds)
    sections.push(renderRenewalMarkdown(renewal))
  } else {
    const kept = previousSection(RENEWAL_HEADING)
    if (kept !== undefined) sections.push(kept)
  }

  log('x509-limbo …')
  sections.push(
    `## x509-limbo agreement\n\nThe 165 server-validation cases in __tests__/limbo/cases.json (from x509-limbo), each served over real TLS and checked with \`protocol: tls\`, its trust anchors as \`ca-certificate\` and \`min-days-valid: 0\` (see docs/certificate.md).\n\n${renderLimboMarkdown(summarizeLimbo(await runLimbo()))}`
  )

  // The goals of issue 8 and issue 6 at a glance, from the figures above.
  const noopOk = noop.every(r => r.providerWrites === 0 && r.providerReads <= (r.provider === 'azure' ? 2 : 1))
  const azure = noop.find(r => r.provider === 'azure')
  const propagationLine = /\*\*Result: ([^*]+)\*\*:? ?(.*)/.exec(sections.join('\n'))
  const goals = [
    '## Goals at a glance',
    '',
    '| goal | measured | |',
    '| --- | --- | --- |',
    `| start cost ≤ 150 ms above bare Node | ${ms(cold.overheadMs)} | ${cold.overheadMs <= 150 ? 'met' : 'missed'} |`,
    `| ≤ 2 MB of JavaScript loaded by a run without a cloud provider | ${kb(cold.loadedBytesNoProvider)} (${kb(cold.loadedBytesWithCertificate)} with the certificate check) | ${cold.loadedBytesWithCertificate <= 2 * 1024 * 1024 ? 'met' : 'missed'} |`,
    `| no-op apply: one record read, zero writes | ${noop.map(r => `${r.provider}: ${r.providerReads} read, ${r.providerWrites} write`).join('; ')} | ${noopOk ? 'met (Azure reads the A/AAAA set and the CNAME in parallel)' : 'missed'} |`,
    `| Azure with \`zone\` and \`azure-resource-group\`: ≤ 2 requests | ${azure?.apiRequestsPerRun ?? '?'} | ${(azure?.apiRequestsPerRun ?? 99) <= 2 ? 'met' : 'missed'} |`,
    ...(propagationLine ? [propagationGoalRow(propagationLine[2]!, propagationLine[1]!)] : []),
    ...(renewal !== undefined
      ? [renewalGoalRow(renewal)]
      : [/^\| renewal, order to verified: .*$/m.exec(previousGoals())?.[0]].filter(
          (row): row is string => row !== undefined
        ))
  ].join('\n')
  sections.splice(1, 0, goals)
  // Sections measured by hand (below the marker) are carried over unchanged.
  const previous = existsSync('BENCHMARKS.md') ? readFileSync('BENCHMARKS.md', 'utf8') : ''
  const handMeasured = previous.includes(HAND_MEASURED) ? previous.slice(previous.indexOf(HAND_MEASURED)) : ''
  const markdown = `${sections.join('\n\n')}\n${handMeasured ? `\n${handMeasured}` : ''}`
  writeFileSync('BENCHMARKS.md', markdown)
  process.stdout.write(markdown)
}

/** A `## ` section of the current BENCHMARKS.md, up to the next section or the hand-measured marker. */
function previousSection(heading: string): string | undefined {
  const previous = existsSync('BENCHMARKS.md') ? readFileSync('BENCHMARKS.md', 'utf8') : ''
  const start = previous.indexOf(`${heading}\n`)
  if (start < 0) return undefined
  const rest = previous.slice(start + heading.length)
  const ends = [rest.indexOf('\n## '), rest.indexOf(HAND_MEASURED)].filter(i => i >= 0)
  return (heading + rest.slice(0, ends.length > 0 ? Math.min(...ends) : undefined)).trimEnd()
}

/** The goals table of the current BENCHMARKS.md (a row not measured this time is carried over). */
function previousGoals(): string {
  return previousSection('## Goals at a glance') ?? ''
}

await (process.argv.includes('propagation')
  ? propagationOnly()
  : process.argv.includes('renewal')
    ? renewalOnly()
    : main())
