// End to end: the bundled action (dist/index.js, run `npm run build` first) with entra-domain-name
// and Azure credentials only (plus connect-to/port/ca-certificate, which point the probe at a
// local slapd instead of the public external IP). One ARM stand-in serves the DNS zone and the
// managed domain, as ARM serves every provider from one endpoint. The expected thumbprint comes
// from `openssl x509 -fingerprint -sha1`, not from the code under test.

import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, beforeEach, describe, test } from 'node:test'
import { requireBundle } from '../helpers/stand-ins.ts'
import { runAction } from '../helpers/run-action.ts'
import { startSlapd, type Slapd } from '../helpers/slapd.ts'
import { createTestPki } from '../helpers/test-pki.ts'
import {
  CLIENT_SECRET,
  SECRET_CLIENT,
  SUBSCRIPTION,
  TENANT,
  startAzureWorld,
  type AzureWorld
} from '../helpers/azure-world.ts'
import { createEntraDsArm, nsgIdOf, subnetIdOf, type ManagedDomainFixture } from '../helpers/entra-ds-arm.ts'
import { ldapsASet } from '../helpers/arm-server.ts'

const DNS_RG = 'rg-dns'
const ZONE = 'contoso100.com'
const EXTERNAL_IP = '20.30.40.50'
const SUBNET = subnetIdOf(SUBSCRIPTION, 'rg-aadds-network', 'aadds-vnet', 'aadds-subnet')
const NSG = nsgIdOf(SUBSCRIPTION, 'rg-aadds-network', 'aadds-nsg')

const pki = createTestPki()
const entraArm = createEntraDsArm()
let world: AzureWorld
let slapd: Slapd

/** `openssl x509 -fingerprint -sha1` of a PEM: "SHA1 Fingerprint=AB:CD:…" → "ABCD…". */
function opensslSha1(pem: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'entra-thumb-')), 'leaf.pem')
  writeFileSync(file, pem)
  const out = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha1', '-in', file], { encoding: 'utf8' })
  return out.trim().replace(/^.*=/, '').replace(/:/g, '').toUpperCase()
}

const SERVED_THUMBPRINT = opensslSha1(pki.leaves.good.leaf.certPem)
const OTHER_THUMBPRINT = opensslSha1(pki.leaves.otherHost.leaf.certPem)

function managedDomain(over: Partial<ManagedDomainFixture> = {}): ManagedDomainFixture {
  return {
    subscription: SUBSCRIPTION,
    resourceGroup: 'rg-aadds',
    name: 'contoso100.com',
    domainName: 'contoso100.com',
    ldaps: 'Enabled',
    externalAccess: 'Enabled',
    certificateThumbprint: SERVED_THUMBPRINT,
    certificateNotAfter: new Date(Date.now() + 300 * 86_400_000).toISOString(),
    replicaSets: [{ location: 'West US', subnetId: SUBNET, externalAccessIpAddress: EXTERNAL_IP }],
    ...over
  }
}

before(async () => {
  requireBundle()
  world = await startAzureWorld(undefined, { extensions: [entraArm.extension] })
  entraArm.url = world.arm.url
  const { chainPem, leaf } = pki.leaves.good
  slapd = await startSlapd({ chainPem, keyPem: leaf.keyPem })
})
after(async () => {
  await slapd?.stop()
  await world?.close()
})
beforeEach(() => {
  entraArm.reset()
  world.arm.requests.length = 0
  world.arm.faults.length = 0
  world.arm.addZone(SUBSCRIPTION, DNS_RG, ZONE)
  entraArm.addManagedDomain(managedDomain())
  entraArm.addSubnet(SUBNET, '10.0.0.0/24', NSG)
  entraArm.addNsg(NSG, [
    { name: 'AllowLDAPS', priority: 401, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourceAddressPrefix: '198.51.100.0/24', destinationPortRange: '636' }
  ]) // prettier-ignore
})

function inputs(over: Record<string, string> = {}): Record<string, string> {
  return {
    provider: 'azure',
    'entra-domain-name': 'contoso100.com',
    'azure-subscription-id': SUBSCRIPTION,
    'azure-resource-group': DNS_RG,
    'azure-client-id': SECRET_CLIENT,
    'azure-tenant-id': TENANT,
    'azure-client-secret': CLIENT_SECRET,
    'azure-resource-manager-endpoint': world.arm.url,
    'wait-for-propagation': 'false',
    // The probe goes to the local slapd, not to the (public) external IP.
    'connect-to': slapd.host,
    port: String(slapd.ldapsPort),
    'ca-certificate': pki.root.certPem,
    ...over
  }
}

const env = () => ({ NODE_EXTRA_CA_CERTS: world.pki.caFile, AZURE_AUTHORITY_HOST: world.entra.url })
const errors = (run: Awaited<ReturnType<typeof runAction>>): string[] =>
  (run.report?.findings ?? []).filter((f: any) => f.severity === 'error').map((f: any) => f.message)

describe('bundled action with entra-domain-name', () => {
  before(requireBundle) // CI builds dist/ (and it is committed): a missing bundle fails, never skips
  test('publishes the managed domain’s external IP at ldaps.<domainName> and proves the endpoint serves the uploaded certificate', async () => {
    const run = await runAction(inputs(), { env: env() })
    assert.equal(run.exitCode, 0, run.stdout)
    assert.deepEqual(errors(run), [])
    assert.deepEqual(world.arm.getRecordSet(SUBSCRIPTION, DNS_RG, ZONE, 'A', 'ldaps')?.aRecords, [
      { ipv4Address: EXTERNAL_IP }
    ])
    assert.equal(run.report.domain, 'ldaps.contoso100.com')
    assert.equal(run.report.ip, EXTERNAL_IP)
    assert.equal(run.outputs['entra-external-ip'], EXTERNAL_IP)
    assert.equal(run.outputs['entra-certificate-thumbprint'], SERVED_THUMBPRINT)
    assert.equal(run.outputs['entra-certificate-match'], 'true')
    assert.equal(run.outputs['certificate-trusted'], 'true')
    assert.equal(run.outputs['nsg-ldaps-exposure'], 'restricted')
    assert.equal(run.outputs['nsg-ldaps-rule'], 'AllowLDAPS (priority 401)')
    assert.match(run.outputs['entra-certificate-not-after'] ?? '', /^\d{4}-\d\d-\d\dT/)
    assert.match(run.summary, /#### Entra Domain Services/)
    assert.match(run.summary, /\| contoso100\.com \| rg-aadds \| Enabled \| Enabled \| 20\.30\.40\.50 \| West US \|/)
    assert.match(run.summary, /✅ served at the endpoint/)
    // Nothing written outside the DNS zone: the only write is the record set.
    const writes = world.arm.requests.filter(r => r.method !== 'GET')
    assert.deepEqual(
      writes.map(r => r.path.split('/providers/')[1]?.toLowerCase()),
      ['microsoft.network/dnszones/contoso100.com/a/ldaps']
    )
  })

  test('a thumbprint mismatch fails naming both thumbprints', async () => {
    entraArm.reset()
    entraArm.addManagedDomain(managedDomain({ certificateThumbprint: OTHER_THUMBPRINT.toLowerCase() }))
    entraArm.addSubnet(SUBNET, '10.0.0.0/24', NSG)
    entraArm.addNsg(NSG, [])
    const run = await runAction(inputs(), { env: env() })
    assert.equal(run.exitCode, 1, run.stdout)
    assert.equal(run.outputs['entra-certificate-match'], 'false')
    assert.equal(run.outputs['nsg-ldaps-exposure'], 'no-rule')
    const message = errors(run).find(m => m.includes('does not serve the certificate uploaded')) ?? ''
    assert.match(
      message,
      new RegExp(`serves SHA-1 ${SERVED_THUMBPRINT}, ldapsSettings.certificateThumbprint is ${OTHER_THUMBPRINT}`)
    )
  })

  test('NSG rules whose sources only together cover every IPv4 address count as open, naming both rules', async () => {
    entraArm.addNsg(NSG, [
      { name: 'AllowLow', priority: 400, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourceAddressPrefix: '0.0.0.0/1', destinationPortRange: '636' },
      { name: 'AllowHigh', priority: 401, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourceAddressPrefix: '128.0.0.0/1', destinationPortRange: '636' }
    ]) // prettier-ignore
    const run = await runAction(inputs({ mode: 'check', 'entra-nsg-check': 'fail' }), { env: env() })
    assert.equal(run.outputs['nsg-ldaps-exposure'], 'open', run.stdout)
    assert.equal(run.outputs['nsg-ldaps-rule'], 'AllowHigh (priority 401)')
    assert.equal(run.exitCode, 1)
    assert.match(
      errors(run).join('\n'),
      /rule AllowLow \(priority 400\), rule AllowHigh \(priority 401\) allow TCP 636 from 0\.0\.0\.0\/1, 128\.0\.0\.0\/1, which together cover every IPv4 address, so port 636 is open to the whole internet/
    )
  })

  test('check mode: the managed domain’s IP differing from DNS is drift naming both; zero writes to any Azure API', async () => {
    world.arm.putRecordSet(SUBSCRIPTION, DNS_RG, ZONE, ldapsASet(['20.30.40.99']))
    world.arm.requests.length = 0
    const run = await runAction(inputs({ mode: 'check', 'fail-on-drift': 'true' }), { env: env() })
    assert.equal(run.exitCode, 1, run.stdout)
    assert.equal(run.outputs['drift'], 'true')
    assert.match(errors(run).join('\n'), /20\.30\.40\.99.*20\.30\.40\.50|20\.30\.40\.50.*20\.30\.40\.99/)
    assert.equal(world.arm.writeCount(), 0)
    assert.ok(world.arm.requests.every(r => r.method === 'GET'))
    assert.ok(entraArm.requests.length >= 3)
  })

  test('the ip input disagreeing with the managed domain fails in apply mode and writes nothing', async () => {
    const run = await runAction(inputs({ ip: '20.30.40.51', domain: 'ldaps.contoso100.com' }), { env: env() })
    assert.equal(run.exitCode, 1, run.stdout)
    assert.match(
      errors(run).join('\n'),
      /input "ip" is 20\.30\.40\.51, but managed domain contoso100\.com publishes secure LDAP at 20\.30\.40\.50/
    )
    assert.equal(world.arm.writeCount(), 0)
  })
})
