// The Entra Domain Services stage through the real @azure/arm-domainservices, @azure/arm-network
// and @azure/identity clients, against the local ARM stand-in with the Microsoft.AAD and Network
// routes (helpers/entra-ds-arm.ts) and the Microsoft Entra token stand-in. Inputs go through the
// real input contract with action.yml's defaults. Nothing is mocked in the process.

import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, test } from 'node:test'
import { createReport, setReportTarget, type Report } from '../../src/core/report.ts'
import type { Settings } from '../../src/core/settings.ts'
import { startEntraStage } from '../../src/steps/entra.ts'
import { X509Certificate } from 'node:crypto'
import { trustTestCa } from '../helpers/azure-tls.ts'
import { issue } from '../helpers/test-pki.ts'
import { SUBSCRIPTION, startAzureWorld, type AzureWorld } from '../helpers/azure-world.ts'
import {
  FIXTURE_THUMBPRINT,
  createEntraDsArm,
  entraStageSettings,
  managedDomainFixture,
  nsgIdOf,
  subnetIdOf,
  type ManagedDomainFixture,
  type RuleFixture
} from '../helpers/entra-ds-arm.ts'

const AADDS_RG = 'rg-aadds'
const NET_RG = 'rg-aadds-network'
const SUBNET = subnetIdOf(SUBSCRIPTION, NET_RG, 'aadds-vnet', 'aadds-subnet')
const NSG = nsgIdOf(SUBSCRIPTION, NET_RG, 'aadds-nsg')
const THUMBPRINT = FIXTURE_THUMBPRINT
const LOCKED_DOWN: RuleFixture[] = [
  { name: 'AllowPSRemoting', priority: 301, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourceAddressPrefix: 'AzureActiveDirectoryDomainServices', destinationPortRange: '5986' },
  { name: 'AllowLDAPS', priority: 401, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourceAddressPrefix: '198.51.100.0/24', destinationPortRange: '636' }
] // prettier-ignore
const OPEN: RuleFixture[] = [
  { name: 'AllowLDAPS', priority: 401, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourceAddressPrefix: '*', destinationPortRange: '636' }
] // prettier-ignore

const entraArm = createEntraDsArm()
let world: AzureWorld
let untrust: () => void

before(async () => {
  world = await startAzureWorld(undefined, { extensions: [entraArm.extension] })
  entraArm.url = world.arm.url
  untrust = trustTestCa(world.pki.caPem)
})
after(async () => {
  untrust?.()
  await world?.close()
})
beforeEach(() => {
  entraArm.reset()
  world.arm.requests.length = 0
  world.arm.faults.length = 0
  world.entra.requests.length = 0
  entraArm.addManagedDomain(domain())
  entraArm.addSubnet(SUBNET, '10.0.0.0/24', NSG)
  entraArm.addNsg(NSG, LOCKED_DOWN)
})

const domain = (over: Partial<ManagedDomainFixture> = {}) => managedDomainFixture(SUBNET, over)
const settingsFor = (over: Record<string, string> = {}): Settings => entraStageSettings(world.arm.url, over)

async function stage(over: Record<string, string> = {}) {
  const settings = settingsFor(over)
  const report: Report = createReport({ ...settings, provider: 'none', now: new Date() })
  const step = await startEntraStage(settings, { env: { AZURE_AUTHORITY_HOST: world.entra.url } })
  // As main.ts does: the stage's part and findings go into the report, and so do finish()'s.
  const { target, ...part } = step.part
  Object.assign(report, part)
  report.findings.push(...step.findings)
  if (target !== undefined) setReportTarget(report, target)
  const finish = async (into: Report) => {
    const finished = await step.finish(into.certificate)
    // main.ts reports a failure (with what was found before it) as a finding; these tests want the error.
    if (!finished.ok) throw finished.error
    Object.assign(into, finished.result.part)
    into.findings.push(...finished.result.findings)
  }
  const started = { ...step, finish }
  return { settings, report, started }
}

const messages = (report: Report, severity: string) =>
  report.findings.filter(f => f.severity === severity).map(f => f.message)
const writes = () => world.arm.requests.filter(r => r.method !== 'GET')

describe('Entra DS stage against the ARM stand-in', () => {
  test('after a renewal the uploaded certificate is the renewed leaf, so certificate-source judges that one', async () => {
    const { started, report } = await stage({ 'entra-resource-group': AADDS_RG })
    const before = started.uploadedCertificate()
    const renewedLeaf = issue({
      commonName: '*.aaddscontoso.com',
      dnsNames: ['*.aaddscontoso.com', 'aaddscontoso.com']
    })
    const der = new X509Certificate(renewedLeaf.certPem).raw
    const part = started.renewed({
      thumbprint: 'AB'.repeat(20),
      notAfter: new Date('2027-03-01T00:00:00Z'),
      publicCertificate: der.toString('base64')
    })
    assert.equal(part.entra.certificate.thumbprint, 'AB'.repeat(20))
    const after = started.uploadedCertificate()
    assert.ok(after.ok, 'the renewed leaf parses')
    assert.ok(after.certificate.der.equals(der), 'the renewed leaf, not the one read before the renewal')
    assert.notDeepEqual(before.ok ? before.certificate.sha256 : undefined, after.certificate.sha256)
    // Its subnet and NSG reads finish here, not in the next test.
    await started.finish(report)
  })

  test('the external IP and ldaps.<domainName> come from the managed domain; one GET each for domain, subnet and NSG', async () => {
    const { started, report } = await stage({ 'entra-resource-group': AADDS_RG })
    assert.equal(started.settings.ip, '20.30.40.50')
    assert.equal(started.settings.domain, 'ldaps.aaddscontoso.com')
    assert.equal(started.settings.certificate.connectTo, '20.30.40.50')
    assert.equal(started.dnsAllowed, true)
    assert.equal(report.ip, '20.30.40.50')
    await started.finish(report)
    assert.deepEqual(messages(report, 'error'), [])
    assert.equal(report.entra?.externalIp, '20.30.40.50')
    assert.equal(report.entra?.certificate.thumbprint, THUMBPRINT)
    assert.equal(report.entra?.nsg.exposure, 'restricted')
    assert.equal(report.entra?.nsg.rule, 'AllowLDAPS (priority 401)')
    assert.deepEqual(
      entraArm.requests.map(r => `${r.method} ${r.path.split('/providers/')[1]} ${r.query['api-version']}`),
      [
        'GET Microsoft.AAD/domainServices/aaddscontoso.com 2021-05-01',
        'GET Microsoft.Network/virtualNetworks/aadds-vnet/subnets/aadds-subnet 2026-01-01',
        'GET Microsoft.Network/networkSecurityGroups/aadds-nsg 2026-01-01'
      ]
    )
    assert.equal(report.entra?.armReads, 3)
    assert.deepEqual(writes(), [])
    // arm-network 39 is given the endpoint's scope: every token was asked for the stand-in's audience.
    const scopes = new Set(world.entra.requests.map(r => r.form['scope']).filter(s => s !== undefined))
    assert.deepEqual([...scopes], [`${world.arm.url}/.default`])
  })

  test('resource name not the domain name: 404 on the name, then found by listing (paged)', async () => {
    entraArm.reset()
    entraArm.addResourceGroup(SUBSCRIPTION, 'rg-other')
    entraArm.addManagedDomain(domain({ resourceGroup: 'rg-other', name: 'other-aadds', domainName: 'other.example' }))
    entraArm.addManagedDomain(domain({ name: 'aadds-prod', domainName: 'AADDSContoso.com' }))
    entraArm.addSubnet(SUBNET, '10.0.0.0/24', NSG)
    entraArm.addNsg(NSG, LOCKED_DOWN)
    const { started, report } = await stage({ 'entra-resource-group': AADDS_RG })
    assert.equal(started.settings.ip, '20.30.40.50')
    assert.equal(report.entra?.managedDomain.name, 'aadds-prod')
    const without = await stage()
    assert.equal(without.started.settings.ip, '20.30.40.50')
    assert.ok(
      entraArm.requests.some(r => r.query['$skipToken'] !== undefined),
      'the listing was followed to page 2'
    )
  })

  test('no such managed domain: the error names it and what the identity sees', async () => {
    await assert.rejects(
      stage({ 'entra-domain-name': 'nothere.example' }),
      /no managed domain named nothere\.example in subscription .*aaddscontoso\.com \(aaddscontoso\.com\).*entra-domain-name/
    )
  })

  test('LDAPS or internet access disabled: an error naming the setting and the fix; nothing to publish', async () => {
    entraArm.reset()
    entraArm.addManagedDomain(
      domain({ externalAccess: 'Disabled', replicaSets: [{ location: 'West US', subnetId: SUBNET }] })
    )
    const { started, report } = await stage()
    assert.equal(started.dnsAllowed, false)
    assert.equal(started.settings.ip, '')
    assert.deepEqual(messages(report, 'error'), [
      "managed domain aaddscontoso.com: ldapsSettings.externalAccess is Disabled; enable 'Allow secure LDAP access over the internet'"
    ])
    entraArm.reset()
    entraArm.addManagedDomain(domain({ ldaps: 'Disabled' }))
    const second = await stage()
    assert.match(messages(second.report, 'error').join('\n'), /ldapsSettings\.ldaps is Disabled; enable 'Secure LDAP'/)
    assert.equal(second.started.dnsAllowed, false)
  })

  test('ip disagreeing: an error that blocks the write in apply mode, drift in check mode', async () => {
    const apply = await stage({ ip: '20.30.40.51', domain: 'ldaps.contoso100.com' })
    assert.equal(apply.started.dnsAllowed, false)
    assert.match(
      messages(apply.report, 'error')[0] ?? '',
      /input "ip" is 20\.30\.40\.51, but managed domain aaddscontoso\.com publishes secure LDAP at 20\.30\.40\.50 \(replica set West US\)/
    )
    assert.equal(apply.started.settings.domain, 'ldaps.contoso100.com')
    const check = await stage({ ip: '20.30.40.51', mode: 'check' })
    assert.equal(check.started.dnsAllowed, true)
    assert.equal(check.started.settings.ip, '20.30.40.50', 'check mode compares DNS with the managed domain')
    assert.equal(check.report.findings.find(f => f.title === 'ip differs from the managed domain')?.drift, true)
  })

  test('two replica sets with external IPs: fails listing both, unless entra-replica-set chooses', async () => {
    const SUBNET2 = subnetIdOf(SUBSCRIPTION, NET_RG, 'aadds-vnet-eu', 'aadds-subnet')
    entraArm.reset()
    entraArm.addManagedDomain(
      domain({
        replicaSets: [
          { location: 'West US', subnetId: SUBNET, externalAccessIpAddress: '20.30.40.50' },
          { location: 'North Europe', subnetId: SUBNET2, externalAccessIpAddress: '40.50.60.70' }
        ]
      })
    )
    entraArm.addSubnet(SUBNET, '10.0.0.0/24', NSG)
    entraArm.addSubnet(SUBNET2, '10.1.0.0/24')
    entraArm.addNsg(NSG, LOCKED_DOWN)
    const { started, report } = await stage()
    assert.equal(started.settings.ip, '')
    assert.match(
      messages(report, 'error')[0] ?? '',
      /has 2 replica sets with an external IP \(West US 20\.30\.40\.50, North Europe 40\.50\.60\.70\); set entra-replica-set/
    )
    const chosen = await stage({ 'entra-replica-set': 'northeurope' })
    assert.equal(chosen.started.settings.ip, '40.50.60.70')
    await chosen.started.finish(chosen.report)
    // Every replica set's NSG is judged; the second subnet has none.
    assert.deepEqual(
      chosen.report.entra?.nsg.replicaSets.map(r => [r.location, r.exposure]),
      [
        ['West US', 'restricted'],
        ['North Europe', 'no-nsg']
      ]
    )
    assert.equal(chosen.report.entra?.nsg.exposure, 'no-nsg')
    assert.match(
      messages(chosen.report, 'warning').join('\n'),
      /no network security group is associated with subnet aadds-vnet-eu\/aadds-subnet/
    )
  })

  test('an open NSG warns by default and fails under entra-nsg-check fail, naming NSG, rule and priority', async () => {
    entraArm.addNsg(NSG, OPEN)
    const warn = await stage()
    await warn.started.finish(warn.report)
    assert.equal(warn.report.entra?.nsg.exposure, 'open')
    const expected =
      /replica set West US: network security group aadds-nsg rule AllowLDAPS \(priority 401\) allows TCP 636 from \*, so port 636 is open to the whole internet \(alert AADDS101\)/
    assert.match(messages(warn.report, 'warning').join('\n'), expected)
    assert.deepEqual(messages(warn.report, 'error'), [])
    const fail = await stage({ 'entra-nsg-check': 'fail' })
    await fail.started.finish(fail.report)
    assert.match(messages(fail.report, 'error').join('\n'), expected)
    const off = await stage({ 'entra-nsg-check': 'off' })
    await off.started.finish(off.report)
    assert.equal(off.report.entra?.nsg.exposure, undefined)
    assert.ok(!entraArm.requests.slice(-1)[0]!.path.includes('Microsoft.Network'), 'off makes no network reads')
  })

  test('NSG 404 and 403 on the network reads: unknown, a warning naming the resource or role, no crash', async () => {
    entraArm.reset()
    entraArm.addManagedDomain(domain())
    entraArm.addSubnet(SUBNET, '10.0.0.0/24', NSG) // the NSG itself is gone
    const gone = await stage({ 'entra-nsg-check': 'fail' })
    await gone.started.finish(gone.report)
    assert.equal(gone.report.entra?.nsg.exposure, 'unknown')
    assert.match(
      messages(gone.report, 'warning').join('\n'),
      /could not read network security group aadds-nsg in resource group rg-aadds-network.*ResourceNotFound/
    )
    assert.deepEqual(messages(gone.report, 'error'), [], 'unknown never fails, even under fail')

    entraArm.addNsg(NSG, OPEN)
    entraArm.deniedActions.add('Microsoft.Network/virtualNetworks/subnets/read')
    const denied = await stage()
    await denied.started.finish(denied.report)
    assert.equal(denied.report.entra?.nsg.exposure, 'unknown')
    assert.match(
      messages(denied.report, 'warning').join('\n'),
      /AuthorizationFailed.*give the identity Reader \(Microsoft\.Network\/virtualNetworks\/subnets\/read\) on \/subscriptions\/.*\/resourceGroups\/rg-aadds-network/
    )
  })

  test('429 with Retry-After on the managed domain GET is retried', async () => {
    world.arm.faults.push({ pathIncludes: 'Microsoft.AAD', times: 1, status: 429, headers: { 'Retry-After': '1' } })
    const { started } = await stage({ 'entra-resource-group': AADDS_RG })
    assert.equal(started.settings.ip, '20.30.40.50')
    assert.equal(world.arm.requests.filter(r => r.path.includes('Microsoft.AAD')).length, 2)
  })

  test('a role without read on the managed domain: the error names the scope and the Reader role', async () => {
    entraArm.deniedActions.add('Microsoft.AAD/domainServices/read')
    await assert.rejects(
      stage({ 'entra-resource-group': AADDS_RG }),
      /could not read managed domain aaddscontoso\.com in subscription .*, resource group rg-aadds: the identity lacks permission \(403 AuthorizationFailed.*Reader role/
    )
  })

  test('TLS 1.0 and open health alerts are warnings beside the verdict; an expiring upload is an error', async () => {
    entraArm.reset()
    entraArm.addManagedDomain(
      domain({
        tlsV1: 'Enabled',
        certificateNotAfter: new Date(Date.now() + 5 * 86_400_000).toISOString(),
        replicaSets: [
          {
            location: 'West US',
            subnetId: SUBNET,
            externalAccessIpAddress: '20.30.40.50',
            healthAlerts: [
              {
                id: 'AADDS101',
                name: 'Secure LDAP over the internet is not locked down',
                resolutionUri: 'https://aka.ms/aadds-ldaps-lockdown'
              }
            ]
          }
        ]
      })
    )
    const { report } = await stage()
    const warnings = messages(report, 'warning').join('\n')
    assert.match(warnings, /domainSecuritySettings\.tlsV1 is Enabled/)
    assert.match(
      warnings,
      /health alert AADDS101 \(Secure LDAP over the internet is not locked down\) for replica set West US; see https:\/\/aka\.ms\/aadds-ldaps-lockdown/
    )
    assert.match(
      messages(report, 'error').join('\n'),
      /ldapsSettings\.certificateNotAfter \d{4}-\d\d-\d\d\) is due for renewal: renew by .*: 4 days left \(min-days-valid 33%\).*AADDS502/
    )
  })
})
