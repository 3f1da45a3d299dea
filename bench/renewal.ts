// One certificate renewal, order to verified: the bundled action (renew: acme, provider rfc2136)
// against lego's `--dns rfc2136` issuance, on the same Pebble and the same BIND primary with a
// secondary that lags (it transfers the zone every few seconds, NOTIFY off). Pebble validates
// DNS-01 at the primary; both tools must wait until every authoritative nameserver answers:
// - the action watches the primary and the secondary directly (its propagation step), then
//   uploads the PFX through the ARM stand-in, waits for the long-running operation and for both
//   "domain controllers" to serve the new leaf, and verifies it;
// - lego resolves through `--dns.resolvers` (the lagging secondary) and then polls each NS of the
//   zone (ns1/ns2, mapped to the two addresses by an /etc/hosts bind-mounted for lego alone), at
//   its default 2 s interval, then asks Pebble to validate and downloads the certificate. Its
//   rfc2136 provider solves challenges that share a name one after the other, pausing
//   RFC2136_SEQUENCE_INTERVAL (default 60 s) in between; a second lego row sets it to 1 s.
// Goal (issue 20): the action's median ≤ half of lego's. lego is skipped with a message when it
// is not installed (Debian: apt-get install lego); `node bench/renewal.ts` runs this part alone.
//
// Loopback range of this bench: 127.0.70.0–127.0.74.255.

import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { generateKeyPairSync, X509Certificate } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction } from '../__tests__/helpers/run-action.ts'
import { startBindPair, type BindPair } from '../__tests__/helpers/bind.ts'
import { startPebble, type Pebble } from '../__tests__/helpers/pebble.ts'
import { startDcPair, type DcPair } from '../__tests__/helpers/dc-pair.ts'
import { createTestPki } from '../__tests__/helpers/test-pki.ts'
import {
  CLIENT_SECRET,
  SECRET_CLIENT,
  SUBSCRIPTION,
  TENANT,
  startAzureWorld,
  type AzureWorld
} from '../__tests__/helpers/azure-world.ts'
import { createEntraDsArm, subnetIdOf } from '../__tests__/helpers/entra-ds-arm.ts'
import { median } from './cold-start.ts'

const ZONE = 'contoso100.com'
const PRIMARY = '127.0.70.1'
const SECONDARY = '127.0.70.2'
const PEBBLE_HOST = '127.0.70.20'
const DC_HOST = '127.0.70.30'
/** SOA refresh of the secondary: how far it may lag behind the primary (BIND jitters below it). */
const LAG_SECONDS = 5
/** The managed domain installs the uploaded certificate on one DC, then on the other. */
const INSTALL_DELAYS_MS: readonly [number, number] = [200, 700]
const SUBNET = subnetIdOf(SUBSCRIPTION, 'rg-aadds-network', 'aadds-vnet', 'aadds-subnet')
const LEGO = process.env['LEGO_PATH'] ?? 'lego'

export interface RenewalBenchResult {
  readonly rounds: number
  readonly actionMs: readonly number[]
  /** Start of the action's run to Pebble logging the certificate issued (watched every 25 ms). */
  readonly actionIssuedMs: readonly number[]
  /** Undefined when lego is not installed. */
  readonly legoMs: readonly number[] | undefined
  /** lego with RFC2136_SEQUENCE_INTERVAL=1: only its propagation wait, not the pause between challenges. */
  readonly legoNoPauseMs: readonly number[] | undefined
  /** lego's own log lines about what it waited for (first round with defaults). */
  readonly legoWaits: readonly string[]
  readonly legoVersion: string | undefined
  readonly skipped: string | undefined
}

function opensslSha1(pem: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-renewal-thumb-'))
  const file = join(dir, 'leaf.pem')
  writeFileSync(file, pem)
  const out = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha1', '-in', file], { encoding: 'utf8' })
  rmSync(dir, { recursive: true, force: true })
  return out.trim().replace(/^.*=/, '').replace(/:/g, '').toUpperCase()
}

/** lego's version line, or undefined when it is not on PATH. */
function legoVersion(): string | undefined {
  const probe = spawnSync(LEGO, ['--version'], { encoding: 'utf8' })
  if (probe.status !== 0) return undefined
  // Debian's build calls itself "lego version dev"; its package knows the release.
  const packaged = spawnSync('dpkg-query', ['-W', '-f=${Version}', 'lego'], { encoding: 'utf8' })
  return packaged.status === 0 && packaged.stdout.trim() !== ''
    ? `lego ${packaged.stdout.trim()} (Debian)`
    : probe.stdout.trim()
}

interface Rig {
  readonly world: AzureWorld
  readonly entraArm: ReturnType<typeof createEntraDsArm>
  readonly bind: BindPair
  readonly pebble: Pebble
  readonly dcs: DcPair
  readonly pebbleRoot: string
  readonly caBundle: string
  readonly dir: string
  /** The certificate the managed domain holds before each round: 10 days left of 365, so due. */
  readonly old: ReturnType<typeof createTestPki>['leaves']['expiring10']
  close(): Promise<void>
}

async function startRig(): Promise<Rig> {
  const pki = createTestPki()
  const entraArm = createEntraDsArm()
  const started: { close(): Promise<void> }[] = []
  const close = async (): Promise<void> => {
    for (const part of started.reverse()) await part.close()
  }
  try {
    const world = await startAzureWorld(
      { arm: '127.0.70.40', entra: '127.0.70.41', github: '127.0.70.42' },
      { extensions: [entraArm.extension] }
    )
    started.push(world)
    entraArm.url = world.arm.url
    const bind = await startBindPair({
      zone: ZONE,
      primary: PRIMARY,
      secondary: SECONDARY,
      refreshSeconds: LAG_SECONDS
    })
    started.push({ close: () => bind.stop() })
    const pebble = await startPebble({ address: PEBBLE_HOST, dnsServer: `${PRIMARY}:53` })
    started.push({ close: () => pebble.stop() })
    const old = pki.leaves.expiring10
    const dcs = await startDcPair(DC_HOST, { chainPem: old.chainPem, keyPem: old.leaf.keyPem })
    started.push(dcs)
    const dir = mkdtempSync(join(tmpdir(), 'bench-renewal-'))
    started.push({ close: async () => rmSync(dir, { recursive: true, force: true }) })
    const caBundle = join(dir, 'ca.pem')
    writeFileSync(caBundle, readFileSync(world.pki.caFile, 'utf8') + readFileSync(pebble.caFile, 'utf8'))
    return { world, entraArm, bind, pebble, dcs, pebbleRoot: await pebble.rootPem(), caBundle, dir, old, close }
  } catch (error) {
    await close()
    throw error
  }
}

/** One renewal by the bundled action: order, DNS-01 on every nameserver, upload, served, verified. */
async function actionRound(rig: Rig): Promise<{ ms: number; issuedMs: number }> {
  const { world, entraArm, bind, pebble, dcs } = rig
  const accountKeyPem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString()
  // Each round starts from the old certificate, so each renews.
  const old = rig.old
  const oldCert = new X509Certificate(old.leaf.certPem)
  entraArm.reset()
  entraArm.addManagedDomain({
    subscription: SUBSCRIPTION,
    resourceGroup: 'rg-aadds',
    name: ZONE,
    domainName: ZONE,
    ldaps: 'Enabled',
    externalAccess: 'Enabled',
    certificateThumbprint: opensslSha1(old.leaf.certPem),
    publicCertificate: oldCert.raw.toString('base64'),
    certificateNotAfter: new Date(oldCert.validTo).toISOString(),
    replicaSets: [{ location: 'West US', subnetId: SUBNET, externalAccessIpAddress: '20.30.40.50' }]
  })
  entraArm.addSubnet(SUBNET, '10.0.0.0/24')
  dcs.install({ chainPem: old.chainPem, keyPem: old.leaf.keyPem }, [0, 0])
  await new Promise(resolve => setTimeout(resolve, 50))
  entraArm.onInstalled = pair => dcs.install(pair, INSTALL_DELAYS_MS)
  // Pebble logs each certificate it issues: the moment the order is done, before the upload.
  const logged = pebble.log().length
  const started = performance.now()
  let issuedMs = Number.NaN
  const watch = setInterval(() => {
    if (Number.isNaN(issuedMs) && pebble.log().slice(logged).includes('Issued certificate serial'))
      issuedMs = performance.now() - started
  }, 25)
  const run = await runAction(
    {
      provider: 'rfc2136',
      'rfc2136-server': PRIMARY,
      'rfc2136-tsig-key-name': bind.keys.sha256.name,
      'rfc2136-tsig-secret': bind.keys.sha256.secret,
      resolver: PRIMARY,
      'propagation-timeout': '60',
      'entra-domain-name': ZONE,
      'entra-nsg-check': 'off',
      'azure-subscription-id': SUBSCRIPTION,
      'azure-client-id': SECRET_CLIENT,
      'azure-tenant-id': TENANT,
      'azure-client-secret': CLIENT_SECRET,
      'azure-resource-manager-endpoint': world.arm.url,
      'connect-to': DC_HOST,
      port: String(dcs.port),
      protocol: 'tls',
      'ca-certificate': rig.pebbleRoot,
      renew: 'acme',
      'acme-directory': pebble.directoryUrl,
      'acme-account-key': accountKeyPem
    },
    {
      env: {
        NODE_EXTRA_CA_CERTS: rig.caBundle,
        AZURE_AUTHORITY_HOST: world.entra.url,
        // ARM asks for a 30 s poll; the stand-in finishes at once, so the bench polls as the tests do.
        LDAPS_DNS_ACTION_RENEW_POLL_MS: '300'
      },
      timeoutMs: 180_000
    }
  )
  const elapsed = performance.now() - started
  clearInterval(watch)
  const renewal = run.report?.renewal as { state?: string } | undefined
  if (run.exitCode !== 0 || renewal?.state !== 'renewed')
    throw new Error(`the action's renewal failed (exit ${run.exitCode}):\n${run.stdout.slice(-3000)}`)
  return { ms: elapsed, issuedMs }
}

/** One issuance by lego: account, order, DNS-01 through RFC 2136, its propagation wait, certificate. */
async function legoRound(rig: Rig, extraEnv: Record<string, string> = {}): Promise<{ ms: number; waits: string[] }> {
  const { bind, pebble } = rig
  const path = mkdtempSync(join(rig.dir, 'lego-'))
  // lego asks the zone's NS names (ns1/ns2.contoso100.com) directly; the system resolver cannot
  // find them, so lego alone sees an /etc/hosts naming them (a private mount namespace).
  const hosts = join(rig.dir, 'hosts')
  writeFileSync(hosts, `127.0.0.1 localhost\n${PRIMARY} ns1.${ZONE}\n${SECONDARY} ns2.${ZONE}\n`)
  const key = bind.keys.sha256
  const args = [
    '--server',
    pebble.directoryUrl,
    '--email',
    'x@example.test',
    '--accept-tos',
    '--dns',
    'rfc2136',
    '--dns.resolvers',
    `${SECONDARY}:53`,
    '--domains',
    `*.${ZONE}`,
    '--domains',
    ZONE,
    '--path',
    path,
    'run'
  ]
  const script = `mount --bind "$1" /etc/hosts && shift && exec "$@"`
  const started = performance.now()
  const result = await new Promise<{ code: number | null; output: string }>(resolve => {
    const child = spawn('unshare', ['-m', 'sh', '-c', script, 'sh', hosts, LEGO, ...args], {
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: path,
        LEGO_CA_CERTIFICATES: pebble.caFile,
        RFC2136_NAMESERVER: `${PRIMARY}:53`,
        RFC2136_TSIG_KEY: `${key.name}.`,
        RFC2136_TSIG_SECRET: key.secret,
        RFC2136_TSIG_ALGORITHM: `${key.algorithm}.`,
        RFC2136_PROPAGATION_TIMEOUT: '60',
        RFC2136_POLLING_INTERVAL: '2',
        ...extraEnv
      },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let output = ''
    child.stdout.on('data', chunk => (output += chunk))
    child.stderr.on('data', chunk => (output += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000)
    child.on('close', code => {
      clearTimeout(timer)
      resolve({ code, output })
    })
  })
  const elapsed = performance.now() - started
  if (result.code !== 0) throw new Error(`lego failed (exit ${result.code}):\n${result.output.slice(-3000)}`)
  const cert = readFileSync(join(path, 'certificates', `_.${ZONE}.crt`), 'utf8')
  if (!new X509Certificate(cert).subjectAltName?.includes(`DNS:${ZONE}`))
    throw new Error('lego: the certificate does not name the zone')
  const waits = result.output
    .split('\n')
    .filter(line => /sequence|wait for propagation/i.test(line))
    .map(line => line.replace(/^.*\[INFO\] /, '').trim())
  return { ms: elapsed, waits }
}

export async function runRenewalBench(rounds = 3): Promise<RenewalBenchResult> {
  const found = legoVersion()
  // lego finds ns1/ns2 only through the /etc/hosts mounted for it, which needs `unshare -m` (root).
  const ownHosts = spawnSync('unshare', ['-m', 'true']).status === 0
  const skipped =
    found === undefined
      ? `lego not found (${LEGO}); install it (Debian: apt-get install lego) to compare`
      : !ownHosts
        ? "lego skipped: it needs its own /etc/hosts naming the zone's nameservers, and `unshare -m` is not permitted here (run as root)"
        : undefined
  const version = skipped === undefined ? found : undefined
  if (skipped !== undefined) process.stderr.write(`renewal bench: ${skipped}; measuring the action only\n`)
  const rig = await startRig()
  const actionMs: number[] = []
  const actionIssuedMs: number[] = []
  const legoMs: number[] = []
  const legoNoPauseMs: number[] = []
  let legoWaits: string[] = []
  try {
    // Alternating, so both meet the same state of the machine.
    for (let i = 0; i < rounds; i++) {
      const action = await actionRound(rig)
      actionMs.push(action.ms)
      actionIssuedMs.push(action.issuedMs)
      process.stderr.write(
        `  action round ${i + 1}: ${action.ms.toFixed(0)} ms (issued at ${action.issuedMs.toFixed(0)} ms)\n`
      )
      if (version !== undefined) {
        const lego = await legoRound(rig)
        legoMs.push(lego.ms)
        if (i === 0) legoWaits = lego.waits
        process.stderr.write(`  lego round ${i + 1}: ${lego.ms.toFixed(0)} ms\n`)
        legoNoPauseMs.push((await legoRound(rig, { RFC2136_SEQUENCE_INTERVAL: '1' })).ms)
        process.stderr.write(`  lego (sequence interval 1 s) round ${i + 1}: ${legoNoPauseMs.at(-1)!.toFixed(0)} ms\n`)
      }
    }
  } finally {
    await rig.close()
  }
  return {
    rounds,
    actionMs,
    actionIssuedMs,
    legoMs: version === undefined ? undefined : legoMs,
    legoNoPauseMs: version === undefined ? undefined : legoNoPauseMs,
    legoWaits,
    legoVersion: version,
    skipped
  }
}

const s = (value: number): string => `${(value / 1000).toFixed(1)} s`

export function renewalGoalMet(result: RenewalBenchResult): boolean | undefined {
  return result.legoMs === undefined ? undefined : median(result.actionMs) <= median(result.legoMs) / 2
}

export function renderRenewalMarkdown(result: RenewalBenchResult): string {
  const action = median(result.actionMs)
  const rows = [
    `| the bundled action, \`renew: acme\`, \`provider: rfc2136\` | **${s(action)}** | ${result.actionMs.map(s).join(', ')} | every authoritative nameserver (the primary and the lagging secondary) asked directly until both answer the TXT values; then the PFX upload, ARM's long-running operation, both DCs serving the new leaf (handshakes in a row) and the verdict |`
  ]
  rows.push(
    `| the same run, up to Pebble issuing the certificate | ${s(median(result.actionIssuedMs))} | ${result.actionIssuedMs.map(s).join(', ')} | order to issued (the part lego also does): DNS-01 answered on both nameservers, validated, finalized |`
  )
  if (result.legoMs !== undefined) {
    rows.push(
      `| ${result.legoVersion ?? 'lego'}, \`--dns rfc2136 --dns.resolvers <secondary>\` | **${s(median(result.legoMs))}** | ${result.legoMs.map(s).join(', ')} | the TXT at its resolver (the lagging secondary), then each NS of the zone polled every 2 s (its default \`RFC2136_POLLING_INTERVAL\`); issuance only: no upload, no check of what is served. Its defaults also pause \`RFC2136_SEQUENCE_INTERVAL\` (60 s) between the two challenges, which share one name |`
    )
  }
  if (result.legoNoPauseMs !== undefined) {
    rows.push(
      `| the same with \`RFC2136_SEQUENCE_INTERVAL=1\` | ${s(median(result.legoNoPauseMs))} | ${result.legoNoPauseMs.map(s).join(', ')} | the same waits for propagation, without the pause between the challenges (not lego's default; for reference) |`
    )
  }
  const met = renewalGoalMet(result)
  const verdict =
    met === undefined
      ? `Goal not measured: ${result.skipped}.`
      : `Ratio action / lego: **${(action / median(result.legoMs!)).toFixed(2)}**. Goal (issue 20): the action at most half of lego's — **${met ? 'met' : 'not met'}**.`
  return [
    '## Certificate renewal against lego',
    '',
    `Wall time of one renewal, order to verified, ${result.rounds} rounds each (alternating), on the same Pebble (validating DNS-01 at the BIND primary) and the same BIND primary + secondary; the secondary transfers every ${LAG_SECONDS} s (NOTIFY off), so it lags. Each round orders afresh (new account, no authorization reuse) for \`*.${ZONE}\` and \`${ZONE}\`. The ARM stand-in completes the upload's operation on its first poll; the two "domain controllers" take the new certificate ${INSTALL_DELAYS_MS[0]} ms and ${INSTALL_DELAYS_MS[1]} ms after it.`,
    '',
    '| tool | median | rounds | what it waited for |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    ...(result.legoWaits.length > 0
      ? [
          `lego logged (first round, defaults): ${result.legoWaits.map(w => `\`${w.replace(/`/g, "'")}\``).join('; ')}.`,
          ''
        ]
      : []),
    verdict
  ].join('\n')
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await runRenewalBench(Number(process.env['RENEWAL_ROUNDS'] ?? 3))
  process.stdout.write(`${renderRenewalMarkdown(result)}\n`)
}
