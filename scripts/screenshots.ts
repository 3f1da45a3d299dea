// npm run screenshots: the job summaries of the demo's three runs (apply, a clean check, a check
// that finds drift), a run whose certificate is due for renewal, and an Entra Domain Services run
// from a runner that port 636 does not admit, rendered as GitHub renders them and photographed
// for the README. Runs the bundled action (npm run build first) against the same local sandbox as
// demo/run.ts (BIND 9 primary and secondary on loopback, an OpenLDAP slapd serving LDAPS), plus
// the test stand-ins for ARM, Entra ID and an AIA server. Each summary is converted with
// GitHub-flavoured Markdown (marked, gfm), styled like github.com's Markdown and shot in Debian's
// headless chromium (playwright-core; `apt-get install chromium`). Writes docs/screenshots/*.png.
//
// The published record is a public-looking address (PUBLIC_IP) with connect-to pointing the probe
// at the loopback slapd, as a real run publishes a public IP: a loopback ip would put the
// "not reachable from the internet" warning into every picture.
//
// Run it in a network namespace of its own, so the sandbox's 127.0.12.x servers meet nobody's:
//   unshare --net bash -c 'ip link set lo up; npm run screenshots'

import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { marked } from 'marked'
import { chromium } from 'playwright-core'
import { createHash } from 'node:crypto'
import { runAction, type ActionRun } from '../__tests__/helpers/run-action.ts'
import { startSlapd, type Slapd } from '../__tests__/helpers/slapd.ts'
import { createTestPki, issue } from '../__tests__/helpers/test-pki.ts'
import {
  CLIENT_SECRET,
  SECRET_CLIENT,
  SUBSCRIPTION,
  TENANT,
  startAzureWorld
} from '../__tests__/helpers/azure-world.ts'
import { createEntraDsArm, nsgIdOf, subnetIdOf } from '../__tests__/helpers/entra-ds-arm.ts'
import { derOf, startAiaServer } from '../__tests__/helpers/aia-server.ts'
import { startSilentPort } from '../__tests__/helpers/silent-port.ts'
import { startDemoSandbox, type DemoSandbox } from '../demo/sandbox.ts'

/** The address the pictures publish (the README's example); nothing connects to it. */
const PUBLIC_IP = '52.165.38.113'
/** Loopback addresses of the extra servers (outside the demo's 127.0.12.x). */
const HOSTS = {
  arm: '127.0.47.1',
  entra: '127.0.47.2',
  github: '127.0.47.3',
  aia: '127.0.47.4',
  ldaps: '127.0.47.5',
  filtered: '127.0.47.6'
}

const ROOT = new URL('../', import.meta.url).pathname
const OUT = join(ROOT, 'docs/screenshots')
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'

/** Close to github.com's Markdown styles (primer/css markdown), light theme, in a summary box. */
const CSS = `
body { margin: 0; background: #f6f8fa; font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans",
  Helvetica, Arial, sans-serif, "Apple Color Emoji", "Segoe UI Emoji"; font-size: 14px; line-height: 1.5; color: #1f2328; }
.box { margin: 16px; background: #fff; border: 1px solid #d0d7de; border-radius: 6px; }
.box > header { padding: 12px 16px; border-bottom: 1px solid #d0d7de; font-weight: 600; font-size: 14px; }
.markdown-body { padding: 16px 24px; overflow-wrap: break-word; }
.markdown-body > *:first-child { margin-top: 0 !important; }
.markdown-body h3 { font-size: 1.25em; font-weight: 600; margin: 24px 0 16px; line-height: 1.25; }
.markdown-body h4 { font-size: 1em; font-weight: 600; margin: 24px 0 16px; line-height: 1.25; }
.markdown-body p, .markdown-body ul, .markdown-body table, .markdown-body details { margin: 0 0 16px; }
.markdown-body ul { padding-left: 2em; }
.markdown-body li + li { margin-top: 0.25em; }
.markdown-body code { padding: 0.2em 0.4em; font-size: 85%; background: rgba(175,184,193,0.2); border-radius: 6px;
  font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; }
.markdown-body table { border-spacing: 0; border-collapse: collapse; display: block; width: max-content; max-width: 100%; overflow: auto; }
.markdown-body th { font-weight: 600; }
.markdown-body th, .markdown-body td { padding: 6px 13px; border: 1px solid #d0d7de; }
.markdown-body tr { background: #fff; border-top: 1px solid #d1d9e0; }
.markdown-body tr:nth-child(2n) { background: #f6f8fa; }
.markdown-body summary { cursor: pointer; }
`

function page(title: string, summaryMarkdown: string): string {
  const html = marked.parse(summaryMarkdown, { gfm: true, async: false })
  return `<!doctype html><html><head><meta charset="utf-8"><style>${CSS}</style></head>
<body><div class="box"><header>${title}</header><div class="markdown-body">${html}</div></div></body></html>`
}

async function main(): Promise<number> {
  if (!existsSync(join(ROOT, 'dist/index.js'))) {
    console.error('dist/index.js is missing: run npm run build first.')
    return 2
  }
  if (!existsSync(CHROMIUM)) {
    console.log(
      `Skipped: no chromium at ${CHROMIUM}, so no screenshots were taken. Install it (apt-get install chromium) or set CHROMIUM_PATH.`
    )
    return 0
  }
  let sandbox: DemoSandbox | undefined
  let expiring: Slapd | undefined
  const runs: [file: string, title: string, run: ActionRun][] = []
  try {
    sandbox = await startDemoSandbox()
    const inputs = { ...sandbox.inputs, ip: PUBLIC_IP, 'connect-to': sandbox.addresses.ldaps }
    runs.push(['apply.png', 'ldaps-dns-action · mode apply', await runAction(inputs)])
    runs.push(['check-clean.png', 'ldaps-dns-action · mode check', await runAction({ ...inputs, mode: 'check' })])
    // A 365-day certificate with 10 days left: trusted, and due for renewal.
    const pki = createTestPki()
    expiring = await startSlapd({
      host: HOSTS.ldaps,
      chainPem: pki.leaves.expiring10.chainPem,
      keyPem: pki.leaves.expiring10.leaf.keyPem
    })
    runs.push([
      'renewal-due.png',
      'ldaps-dns-action · mode check, certificate due for renewal',
      await runAction({
        ...inputs,
        mode: 'check',
        'connect-to': expiring.host,
        port: String(expiring.ldapsPort),
        'ca-certificate': pki.root.certPem
      })
    ])
    runs.push(['entra-hosted.png', 'ldaps-dns-action · Entra DS, on a GitHub-hosted runner', await entraRun()])
    await sandbox.changeBehindItsBack('52.165.38.199')
    runs.push([
      'check-drift.png',
      'ldaps-dns-action · mode check, after a change behind its back',
      await runAction({ ...inputs, mode: 'check' })
    ])
  } finally {
    await expiring?.stop()
    await sandbox?.stop()
  }

  mkdirSync(OUT, { recursive: true })
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
  try {
    const tab = await browser.newPage({ viewport: { width: 960, height: 600 }, deviceScaleFactor: 1 })
    for (const [file, title, run] of runs) {
      if (run.summary.trim() === '') throw new Error(`${file}: the run wrote no job summary (exit ${run.exitCode})`)
      await tab.setContent(page(title, run.summary), { waitUntil: 'load' })
      await tab.locator('.box').screenshot({ path: join(OUT, file) })
      console.log(`docs/screenshots/${file} (exit code ${run.exitCode})`)
    }
  } finally {
    await browser.close()
  }
  return 0
}

/**
 * examples/entra-nightly-apply.yml as on ubuntu-latest: the managed domain's NSG admits TCP 636
 * only from 198.51.100.0/24, so port 636 gives this runner no answer (a listener that drops every
 * SYN), and the certificate uploaded to the managed domain is judged, its CA fetched over AIA.
 */
async function entraRun(): Promise<ActionRun> {
  const pki = createTestPki()
  const entraArm = createEntraDsArm()
  const world = await startAzureWorld(
    { arm: HOSTS.arm, entra: HOSTS.entra, github: HOSTS.github },
    { extensions: [entraArm.extension] }
  )
  const aia = await startAiaServer(HOSTS.aia)
  const filtered = await startSilentPort(HOSTS.filtered, 636)
  try {
    entraArm.url = world.arm.url
    aia.routes.set('/issuing-ca.cer', { body: derOf(pki.intermediate.certPem), type: 'application/pkix-cert' })
    const leaf = issue({
      commonName: '*.aaddscontoso.com',
      issuer: pki.intermediate,
      dnsNames: ['*.aaddscontoso.com', 'aaddscontoso.com'],
      caIssuers: [`${aia.url}/issuing-ca.cer`]
    })
    const subnet = subnetIdOf(SUBSCRIPTION, 'rg-aadds-network', 'aadds-vnet', 'aadds-subnet')
    const nsg = nsgIdOf(SUBSCRIPTION, 'rg-aadds-network', 'aadds-nsg')
    world.arm.addZone(SUBSCRIPTION, 'rg-dns', 'aaddscontoso.com')
    entraArm.addManagedDomain({
      subscription: SUBSCRIPTION,
      resourceGroup: 'rg-aadds',
      name: 'aaddscontoso.com',
      domainName: 'aaddscontoso.com',
      ldaps: 'Enabled',
      externalAccess: 'Enabled',
      certificateThumbprint: createHash('sha1').update(derOf(leaf.certPem)).digest('hex').toUpperCase(),
      publicCertificate: derOf(leaf.certPem).toString('base64'),
      certificateNotAfter: leaf.cert.validity.notAfter.toISOString(),
      replicaSets: [{ location: 'West US', subnetId: subnet, externalAccessIpAddress: PUBLIC_IP }]
    })
    entraArm.addSubnet(subnet, '10.0.0.0/24', nsg)
    entraArm.addNsg(nsg, [
      { name: 'AllowLDAPS', priority: 401, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourceAddressPrefix: '198.51.100.0/24', destinationPortRange: '636' }
    ]) // prettier-ignore
    return await runAction(
      {
        mode: 'apply',
        'entra-domain-name': 'aaddscontoso.com',
        'entra-nsg-check': 'fail',
        'azure-subscription-id': SUBSCRIPTION,
        'azure-resource-group': 'rg-dns',
        'azure-client-id': SECRET_CLIENT,
        'azure-tenant-id': TENANT,
        'azure-client-secret': CLIENT_SECRET,
        'azure-resource-manager-endpoint': world.arm.url,
        'wait-for-propagation': 'false',
        'connect-to': filtered.host,
        'ca-certificate': pki.root.certPem
      },
      {
        env: {
          NODE_EXTRA_CA_CERTS: world.pki.caFile,
          AZURE_AUTHORITY_HOST: world.entra.url,
          LDAPS_DNS_ACTION_PROBE_TIMEOUT_MS: '3000'
        }
      }
    )
  } finally {
    await filtered.stop()
    await aia.close()
    await world.close()
  }
}

process.exitCode = await main()
