// End to end, as on a GitHub-hosted runner: the bundled action with entra-domain-name where the
// managed domain's NSG admits TCP 636 only from known addresses, so the endpoint gives this runner
// no answer (a real listener that drops every SYN, see helpers/silent-port.ts). certificate-source
// auto then judges the certificate uploaded to the managed domain (ldapsSettings.publicCertificate
// from the ARM stand-in), its intermediate fetched over HTTP from a local AIA stand-in. The inputs
// of the first test are those of examples/entra-nightly-apply.yml. Needs `npm run build` first.
// Loopback addresses: 127.0.45.1 (AIA), 127.0.45.2 (the filtered port).

import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { after, before, beforeEach, describe, test } from 'node:test'
import { parse } from 'yaml'
import { requireBundle } from '../helpers/stand-ins.ts'
import { runAction } from '../helpers/run-action.ts'
import { createTestPki, issue, type Issued } from '../helpers/test-pki.ts'
import {
  CLIENT_SECRET,
  SECRET_CLIENT,
  SUBSCRIPTION,
  TENANT,
  startAzureWorld,
  type AzureWorld
} from '../helpers/azure-world.ts'
import { createEntraDsArm, nsgIdOf, subnetIdOf, type ManagedDomainFixture } from '../helpers/entra-ds-arm.ts'
import { derOf, pkcs7Of, startAiaServer, type AiaServer } from '../helpers/aia-server.ts'
import { startSilentPort, type SilentPort } from '../helpers/silent-port.ts'

const DNS_RG = 'rg-dns'
const ZONE = 'aaddscontoso.com'
const EXTERNAL_IP = '20.30.40.50'
const SUBNET = subnetIdOf(SUBSCRIPTION, 'rg-aadds-network', 'aadds-vnet', 'aadds-subnet')
const NSG = nsgIdOf(SUBSCRIPTION, 'rg-aadds-network', 'aadds-nsg')
const DAY = 86_400_000

const pki = createTestPki()
const entraArm = createEntraDsArm()
let world: AzureWorld
let aia: AiaServer
let filtered: SilentPort
/** Leaves as uploaded to the managed domain: the leaf alone, its issuer published at AIA. */
let uploaded: { good: Issued; otherHost: Issued; noAia: Issued }

const sha1 = (pem: string): string => createHash('sha1').update(derOf(pem)).digest('hex').toUpperCase()

function managedDomain(leaf: Issued, over: Partial<ManagedDomainFixture> = {}): ManagedDomainFixture {
  return {
    subscription: SUBSCRIPTION,
    resourceGroup: 'rg-aadds',
    name: ZONE,
    domainName: ZONE,
    ldaps: 'Enabled',
    externalAccess: 'Enabled',
    certificateThumbprint: sha1(leaf.certPem),
    publicCertificate: derOf(leaf.certPem).toString('base64'),
    certificateNotAfter: leaf.cert.validity.notAfter.toISOString(),
    replicaSets: [{ location: 'West US', subnetId: SUBNET, externalAccessIpAddress: EXTERNAL_IP }],
    ...over
  }
}

/** The NSG as Microsoft recommends it: TCP 636 allowed from the clients' range only. */
function restrictTo636(): void {
  entraArm.addSubnet(SUBNET, '10.0.0.0/24', NSG)
  entraArm.addNsg(NSG, [
    { name: 'AllowLDAPS', priority: 401, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourceAddressPrefix: '198.51.100.0/24', destinationPortRange: '636' }
  ]) // prettier-ignore
}

/** The `with:` of the action step in examples/entra-nightly-apply.yml, ${{ vars.* }} filled in. */
function exampleInputs(): Record<string, string> {
  const workflow = parse(readFileSync(new URL('../../examples/entra-nightly-apply.yml', import.meta.url), 'utf8'))
  const step = workflow.jobs.apply.steps.find((s: { uses?: string }) => s.uses?.includes('ldaps-dns-action'))
  const vars: Record<string, string> = {
    AZURE_SUBSCRIPTION_ID: SUBSCRIPTION,
    AZURE_CLIENT_ID: SECRET_CLIENT,
    AZURE_TENANT_ID: TENANT
  }
  return Object.fromEntries(
    Object.entries(step.with as Record<string, unknown>).map(([k, v]) => [
      k,
      String(v).replace(/\$\{\{\s*vars\.(\w+)\s*\}\}/g, (_, name: string) => vars[name] ?? '')
    ])
  )
}

/** What only the lab needs: the stand-ins' endpoints, and the probe aimed at the filtered port. */
function lab(over: Record<string, string> = {}): Record<string, string> {
  return {
    'azure-client-secret': CLIENT_SECRET,
    'azure-resource-manager-endpoint': world.arm.url,
    'wait-for-propagation': 'false',
    'connect-to': filtered.host,
    port: String(filtered.port),
    'ca-certificate': pki.root.certPem,
    ...over
  }
}

function inputs(over: Record<string, string> = {}): Record<string, string> {
  return { ...exampleInputs(), ...lab(over) }
}

// The probe's connect waits 1.5 s instead of 10 s for the filtered port.
const env = () => ({
  NODE_EXTRA_CA_CERTS: world.pki.caFile,
  AZURE_AUTHORITY_HOST: world.entra.url,
  LDAPS_DNS_ACTION_PROBE_TIMEOUT_MS: '1500'
})
const messages = (run: Awaited<ReturnType<typeof runAction>>, severity: string): string[] =>
  (run.report?.findings ?? []).filter((f: any) => f.severity === severity).map((f: any) => f.message)

before(async () => {
  requireBundle()
  world = await startAzureWorld(undefined, { extensions: [entraArm.extension] })
  entraArm.url = world.arm.url
  aia = await startAiaServer('127.0.45.1')
  filtered = await startSilentPort('127.0.45.2')
  // The intermediate as a PKCS#7 bundle behind one redirect, as CA CDNs publish it.
  aia.routes.set('/issuing-ca.crt', '/cdn/issuing-ca.p7c')
  aia.routes.set('/cdn/issuing-ca.p7c', { body: pkcs7Of(pki.intermediate.certPem), type: 'application/pkcs7-mime' })
  aia.routes.set('/issuing-ca.cer', { body: derOf(pki.intermediate.certPem), type: 'application/pkix-cert' })
  const leaf = (extra: Partial<Parameters<typeof issue>[0]>): Issued =>
    issue({
      commonName: `*.${ZONE}`,
      issuer: pki.intermediate,
      dnsNames: [`*.${ZONE}`, ZONE],
      notAfter: new Date(Date.now() + 300 * DAY),
      ...extra
    })
  uploaded = {
    good: leaf({ caIssuers: [`${aia.url}/issuing-ca.crt`] }),
    otherHost: leaf({
      commonName: 'other.example.org',
      dnsNames: ['other.example.org'],
      caIssuers: [`${aia.url}/issuing-ca.cer`]
    }),
    noAia: leaf({})
  }
})
after(async () => {
  await filtered?.stop()
  await aia?.close()
  await world?.close()
})
beforeEach(() => {
  entraArm.reset()
  world.arm.requests.length = 0
  aia.requests.length = 0
  world.arm.addZone(SUBSCRIPTION, DNS_RG, ZONE)
  entraArm.addManagedDomain(managedDomain(uploaded.good))
  restrictTo636()
})

describe('bundled action on a runner that port 636 does not admit', () => {
  test('examples/entra-nightly-apply.yml passes: the uploaded certificate is judged, chain fetched over AIA, said plainly', async () => {
    const run = await runAction(inputs(), { env: env() })
    assert.equal(run.exitCode, 0, run.stdout)
    assert.deepEqual(messages(run, 'error'), [])
    assert.deepEqual(messages(run, 'warning'), [])
    assert.equal(run.outputs['certificate-source'], 'managed-domain')
    assert.equal(run.outputs['certificate-trusted'], 'true')
    assert.equal(run.outputs['certificate-renewal-due'], 'false')
    assert.equal(run.outputs['nsg-ldaps-exposure'], 'restricted')
    assert.equal(run.outputs['entra-external-ip'], EXTERNAL_IP)
    assert.equal(run.outputs['certificate-subject'], `O=Contoso Test, CN=*.${ZONE}`)
    // The intermediate came over HTTP, through the redirect, as PKCS#7.
    assert.deepEqual(aia.requests, ['/issuing-ca.crt', '/cdn/issuing-ca.p7c'])
    assert.deepEqual(
      run.report.certificate.chain.map((c: any) => c.subject),
      [
        `O=Contoso Test, CN=*.${ZONE}`,
        'O=Contoso Test, CN=Contoso Issuing CA',
        'O=Contoso Test, CN=Contoso Test Root CA'
      ]
    )
    const said =
      /port \d+ is not open to this runner \(NSG restricted, rule AllowLDAPS \(priority 401\)\); judged the certificate uploaded to managed domain aaddscontoso\.com instead; the served certificate was not checked/
    assert.equal(run.report.certificate.source, 'managed-domain')
    assert.match(run.report.certificate.sourceReason, said)
    assert.match(run.stdout, said)
    assert.match(run.stdout, /connect got no answer within 1\.5 s/)
    assert.match(
      run.summary,
      /✅ trusted · the certificate uploaded to the managed domain, for ldaps\.aaddscontoso\.com/
    )
    assert.match(run.summary, new RegExp(`ℹ️ ${said.source}`))
    assert.deepEqual(world.arm.getRecordSet(SUBSCRIPTION, DNS_RG, ZONE, 'A', 'ldaps')?.aRecords, [
      { ipv4Address: EXTERNAL_IP }
    ])
  })

  test('a name-mismatched uploaded certificate fails as a served one does', async () => {
    entraArm.reset()
    entraArm.addManagedDomain(managedDomain(uploaded.otherHost))
    restrictTo636()
    const run = await runAction(inputs(), { env: env() })
    assert.equal(run.exitCode, 1, run.stdout)
    assert.equal(run.outputs['certificate-source'], 'managed-domain')
    assert.equal(run.outputs['certificate-trusted'], 'false')
    assert.match(
      messages(run, 'error').join('\n'),
      /managed domain aaddscontoso\.com \(secure LDAP certificate for ldaps\.aaddscontoso\.com\) holds a certificate that is not valid for ldaps\.aaddscontoso\.com \(its names: DNS:other\.example\.org\)/
    )
    assert.deepEqual(aia.requests, ['/issuing-ca.cer'])
  })

  test('an untrusted uploaded certificate fails: its root is not an anchor', async () => {
    const run = await runAction(inputs({ 'ca-certificate': '' }), { env: env() })
    assert.equal(run.exitCode, 1, run.stdout)
    assert.equal(run.outputs['certificate-source'], 'managed-domain')
    assert.equal(run.outputs['certificate-trusted'], 'false')
    assert.match(
      messages(run, 'error').join('\n'),
      /holds a certificate whose chain could not be completed: the issuer of "Contoso Issuing CA" \(O=Contoso Test, CN=Contoso Test Root CA\) is not a trusted root/
    )
  })

  test('without an AIA URL the chain cannot be completed, and the failure says so', async () => {
    entraArm.reset()
    entraArm.addManagedDomain(managedDomain(uploaded.noAia))
    restrictTo636()
    const run = await runAction(inputs(), { env: env() })
    assert.equal(run.exitCode, 1, run.stdout)
    assert.match(messages(run, 'error').join('\n'), /the certificate names no AIA URL to fetch it from/)
    assert.deepEqual(aia.requests, [])
  })

  test('certificate-source endpoint never falls back: the filtered port is the failure', async () => {
    const run = await runAction(inputs({ 'certificate-source': 'endpoint' }), { env: env() })
    assert.equal(run.exitCode, 1, run.stdout)
    assert.equal(run.outputs['certificate-source'], 'endpoint')
    assert.match(messages(run, 'error').join('\n'), /connect got no answer within 1\.5 s \(is the port filtered\?\)/)
    assert.deepEqual(aia.requests, [])
  })

  test('auto does not fall back when the NSG is not restricted: an unanswered port is then a real failure', async () => {
    entraArm.addNsg(NSG, [
      { name: 'AllowLDAPS', priority: 401, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourceAddressPrefix: '*', destinationPortRange: '636' }
    ]) // prettier-ignore
    const run = await runAction(inputs({ 'entra-nsg-check': 'warn' }), { env: env() })
    assert.equal(run.exitCode, 1, run.stdout)
    assert.equal(run.outputs['nsg-ldaps-exposure'], 'open')
    assert.equal(run.outputs['certificate-source'], 'endpoint')
    assert.match(messages(run, 'error').join('\n'), /connect got no answer/)
  })

  test('certificate-source managed-domain never connects to the endpoint', async () => {
    const run = await runAction(inputs({ 'certificate-source': 'managed-domain' }), { env: env() })
    assert.equal(run.exitCode, 0, run.stdout)
    assert.equal(run.outputs['certificate-source'], 'managed-domain')
    assert.doesNotMatch(run.stdout, /Probing ldaps at/)
    assert.match(
      run.report.certificate.sourceReason,
      /^certificate-source is managed-domain; judged the certificate uploaded/
    )
  })
})
