// Issue 18 (points 2, 11, 12, 13, 14, 16) through the bundle (dist/index.js; npm run build first):
// inputs a user mistypes or leaves empty, the managed domain's external IP as outside text, a
// private address headed for a public zone, and the failure line and annotation titles. The ARM,
// Microsoft Entra and GitHub OIDC stand-ins (azure-world.ts with entra-ds-arm.ts) and the Route 53
// stand-in run on 127.0.35.1-4, this file's own range.

import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, test } from 'node:test'
import {
  CLIENT_SECRET,
  OIDC_CLIENT,
  SECRET_CLIENT,
  SUBSCRIPTION,
  TENANT,
  type AzureWorld
} from '../helpers/azure-world.ts'
import { createEntraDsArm, nsgIdOf, subnetIdOf, type ManagedDomainFixture } from '../helpers/entra-ds-arm.ts'
import type { Route53Server } from '../helpers/route53-server.ts'
import { errorMessages, runAction, type ActionRun } from '../helpers/run-action.ts'
import { ownCertificatePfx } from '../helpers/self-signed.ts'
import { awsEnvironment, useAzureWorld, useRoute53 } from '../helpers/stand-ins.ts'

const DNS_RG = 'rg-dns'
const ZONE = 'contoso100.com'
const NAME = 'ldaps.contoso100.com'
const SUBNET = subnetIdOf(SUBSCRIPTION, 'rg-aadds-network', 'aadds-vnet', 'aadds-subnet')
const NSG = nsgIdOf(SUBSCRIPTION, 'rg-aadds-network', 'aadds-nsg')

const entraArm = createEntraDsArm()
let world: AzureWorld
useAzureWorld(w => ((world = w), (entraArm.url = w.arm.url)), {
  bundle: true,
  hosts: { arm: '127.0.35.1', entra: '127.0.35.2', github: '127.0.35.3' },
  extensions: [entraArm.extension],
  fresh(w) {
    w.arm.addZone(SUBSCRIPTION, DNS_RG, ZONE)
  }
})

const KEY_ID = 'AKIAHARDENINPUTS0000'
const AWS_SECRET = 'harden/inputs/secret/not/real/00000000'
let route53: Route53Server
useRoute53('127.0.35.4', s => (route53 = s), {
  fresh(s) {
    s.credentials.set(KEY_ID, { secretAccessKey: AWS_SECRET, canWrite: true })
  }
})

beforeEach(() => entraArm.reset())

const azureEnv = () => ({ NODE_EXTRA_CA_CERTS: world.pki.caFile, AZURE_AUTHORITY_HOST: world.entra.url })

function azure(over: Record<string, string> = {}): Record<string, string> {
  return {
    domain: NAME,
    ip: '20.30.40.50',
    provider: 'azure',
    'azure-subscription-id': SUBSCRIPTION,
    'azure-resource-group': DNS_RG,
    'azure-client-id': SECRET_CLIENT,
    'azure-tenant-id': TENANT,
    'azure-client-secret': CLIENT_SECRET,
    'azure-resource-manager-endpoint': world.arm.url,
    'wait-for-propagation': 'false',
    'verify-certificate': 'false',
    ...over
  }
}

function managedDomain(over: Partial<ManagedDomainFixture> = {}): ManagedDomainFixture {
  return {
    subscription: SUBSCRIPTION,
    resourceGroup: 'rg-aadds',
    name: ZONE,
    domainName: ZONE,
    ldaps: 'Enabled',
    externalAccess: 'Enabled',
    replicaSets: [{ location: 'West US', subnetId: SUBNET, externalAccessIpAddress: '20.30.40.50' }],
    ...over
  }
}

/** The Entra stage on, domain and ip from the managed domain, the NSG check off. */
function withEntra(domain: ManagedDomainFixture, over: Record<string, string> = {}): Record<string, string> {
  entraArm.addManagedDomain(domain)
  entraArm.addSubnet(SUBNET, '10.0.0.0/24', NSG)
  entraArm.addNsg(NSG, [])
  return azure({ domain: '', ip: '', 'entra-domain-name': ZONE, 'entra-nsg-check': 'off', ...over })
}

const stored = () => world.arm.getRecordSet(SUBSCRIPTION, DNS_RG, ZONE, 'A', 'ldaps')
const annotations = (run: ActionRun, kind: string) =>
  run.stdout.split('\n').filter(line => line.startsWith(`::${kind} `))

describe('misspelt and empty inputs through the bundle', () => {
  test('a with: key that is no input fails before any request, naming it and the closest input', async () => {
    const run = await runAction(azure(), { env: { ...azureEnv(), 'INPUT_MIN-DAYS-VAILD': '60' } })
    assert.equal(run.exitCode, 1, run.stdout)
    assert.match(
      run.stdout,
      /::error title=Invalid input min-days-vaild::input "min-days-vaild": is not an input of this action: did you mean min-days-valid\?/
    )
    assert.equal(world.arm.requests.length, 0, 'no ARM request')
    assert.equal(world.entra.requests.length, 0, 'no sign-in')
    assert.equal(stored(), undefined)
  })

  test('the same run without the typo signs in and writes: the check above could see traffic', async () => {
    const run = await runAction(azure(), { env: azureEnv() })
    assert.equal(run.exitCode, 0, run.stdout)
    assert.ok(world.entra.requests.length > 0 && world.arm.requests.length > 0)
    assert.deepEqual(stored()?.aRecords, [{ ipv4Address: '20.30.40.50' }])
  })

  test('a PFX file as ca-certificate and a SHA-1 thumbprint as expected-fingerprint: explained, before any request', async () => {
    const pfx = join(mkdtempSync(join(tmpdir(), 'harden-pfx-')), 'ldaps.pfx')
    writeFileSync(pfx, ownCertificatePfx())
    const run = await runAction(azure({ 'ca-certificate': pfx, 'expected-fingerprint': '9F'.repeat(20) }), {
      env: azureEnv()
    })
    assert.equal(run.exitCode, 1, run.stdout)
    assert.match(
      run.stdout,
      /input "ca-certificate": the file .*ldaps\.pfx is a PFX \(PKCS #12\) file, which holds a private key/
    )
    assert.match(run.stdout, /input "expected-fingerprint": is a SHA-1 thumbprint .*give the SHA-256 fingerprint/)
    assert.equal(world.arm.requests.length + world.entra.requests.length, 0)
  })

  test('inputs with a default given empty (unset vars.X) take the default: TTL 300, apply, port 636', async () => {
    const run = await runAction(
      azure({ ttl: '', mode: '', port: '', 'propagation-timeout': '', 'fail-on-drift': '', 'azure-environment': '' }),
      { env: azureEnv() }
    )
    assert.equal(run.exitCode, 0, run.stdout)
    assert.equal(stored()?.ttl, 300)
    assert.equal(run.report.mode, 'apply')
  })
})

describe('the managed domain’s external IP is checked like the ip input', () => {
  for (const [address, rule] of [
    ['224.0.0.1', /multicast/],
    ['169.254.10.20', /link-local/],
    ['::ffff:20.30.40.50', /IPv4 address 20\.30\.40\.50 itself/],
    ['0.0.0.0', /this network/],
    ['20.30.40.50/32', /must be an IP address/]
  ] as const) {
    test(`externalAccessIpAddress ${address}: refused, nothing written`, async () => {
      const run = await runAction(
        withEntra(
          managedDomain({ replicaSets: [{ location: 'West US', subnetId: SUBNET, externalAccessIpAddress: address }] })
        ),
        { env: azureEnv() }
      )
      assert.equal(run.exitCode, 1, run.stdout)
      const message = errorMessages(run)
      assert.match(message, /replica set West US has externalAccessIpAddress .*, which is not published: the address/)
      assert.match(message, rule)
      assert.equal(world.arm.writeCount(), 0)
      assert.equal(stored(), undefined)
    })
  }

  test('a private external IP is warned about, and refused for the public Azure DNS zone unless allow-private-ip', async () => {
    const privateDomain = managedDomain({
      replicaSets: [{ location: 'West US', subnetId: SUBNET, externalAccessIpAddress: '10.0.0.4' }]
    })
    const refused = await runAction(withEntra(privateDomain), { env: azureEnv() })
    assert.equal(refused.exitCode, 1, refused.stdout)
    assert.match(
      refused.stdout,
      /::warning title=External IP not public::.*publishes secure LDAP at 10\.0\.0\.4, a private \(RFC 1918\) address/
    )
    assert.match(
      errorMessages(refused),
      /^Azure DNS: 10\.0\.0\.4 is a private \(RFC 1918\) address and zone contoso100\.com .*is public.*allow-private-ip: true/
    )
    assert.equal(world.arm.writeCount(), 0)

    entraArm.reset()
    const allowed = await runAction(withEntra(privateDomain, { 'allow-private-ip': 'true' }), { env: azureEnv() })
    assert.equal(allowed.exitCode, 0, allowed.stdout)
    assert.deepEqual(stored()?.aRecords, [{ ipv4Address: '10.0.0.4' }])
  })
})

describe('a private ip and a public zone', () => {
  const run53 = (inputs: Record<string, string>) =>
    runAction(
      {
        domain: NAME,
        provider: 'route53',
        'wait-for-propagation': 'false',
        'verify-certificate': 'false',
        ...inputs
      },
      { env: awsEnvironment(route53.endpoint, KEY_ID, AWS_SECRET) }
    )

  test('provider azure: refused from the inputs alone, before any request', async () => {
    const run = await runAction(azure({ ip: '192.168.10.5' }), { env: azureEnv() })
    assert.equal(run.exitCode, 1, run.stdout)
    assert.match(
      run.stdout,
      /input "ip": 192\.168\.10\.5 is a private \(RFC 1918\) address and provider azure publishes to a public zone/
    )
    assert.equal(world.arm.requests.length + world.entra.requests.length, 0)
  })

  test('Route 53: a public hosted zone is refused once found, before any write; a private one is written', async () => {
    const publicZone = route53.addZone(ZONE)
    const refused = await run53({ ip: '10.1.2.3' })
    assert.equal(refused.exitCode, 1, refused.stdout)
    assert.match(
      errorMessages(refused),
      /^Route 53: 10\.1\.2\.3 is a private \(RFC 1918\) address and zone contoso100\.com \(Z\w+\) is public.*allow-private-ip: true/
    )
    assert.deepEqual(route53.writes(), [])
    assert.equal(route53.find(publicZone, NAME, 'A'), undefined)

    const allowed = await run53({ ip: '10.1.2.3', 'allow-private-ip': 'true' })
    assert.equal(allowed.exitCode, 0, allowed.stdout)
    assert.deepEqual(route53.find(publicZone, NAME, 'A')?.ResourceRecords, ['10.1.2.3'])

    route53.reset()
    route53.credentials.set(KEY_ID, { secretAccessKey: AWS_SECRET, canWrite: true })
    const internal = route53.addZone(ZONE, { private: true })
    const written = await run53({ ip: '10.1.2.3' })
    assert.equal(written.exitCode, 0, written.stdout)
    assert.deepEqual(route53.find(internal, NAME, 'A')?.ResourceRecords, ['10.1.2.3'])
    assert.match(written.stdout, /::warning title=Input ip::.*10\.1\.2\.3 is a private \(RFC 1918\) address/)
  })
})

describe('messages', () => {
  test('secure LDAP and internet access both off: the failure line names each setting', async () => {
    const run = await runAction(
      withEntra(managedDomain({ ldaps: 'Disabled', externalAccess: 'Disabled', replicaSets: [] })),
      { env: azureEnv() }
    )
    assert.equal(run.exitCode, 1, run.stdout)
    const failure = annotations(run, 'error').at(-1) ?? ''
    assert.match(
      failure,
      /::2 problems: Secure LDAP not enabled on the managed domain; Secure LDAP internet access \(externalAccess\) not enabled$/
    )
  })

  test('a sign-in failure of the Entra stage is named as the Entra stage’s, not Azure DNS’s; one problem titles the failure', async () => {
    const run = await runAction(
      withEntra(managedDomain(), { provider: 'none', 'azure-client-id': OIDC_CLIENT, 'azure-client-secret': '' }),
      { env: azureEnv() }
    )
    assert.equal(run.exitCode, 1, run.stdout)
    const errors = annotations(run, 'error')
    assert.equal(errors.length, 1, errors.join('\n'))
    assert.match(
      errors[0]!,
      /^::error title=Entra Domain Services stage failed::Entra Domain Services: the runner gave no OIDC ID token .*id-token: write/
    )
    assert.doesNotMatch(run.stdout, /Azure DNS/)
    assert.equal(entraArm.requests.length, 0)
  })

  test('one problem: the failure annotation is titled by it, not "ldaps-dns-action failed"', async () => {
    const refused = await runAction(azure({ ttl: '-5' }), { env: azureEnv() })
    const errors = annotations(refused, 'error')
    assert.deepEqual(
      errors.map(line => /^::error title=([^:]*)::/.exec(line)?.[1]),
      ['Invalid input ttl']
    )
    assert.doesNotMatch(refused.stdout, /ldaps-dns-action failed/)
  })

  test('the managed domain’s name outside the zone input: names domain and zone, writes nothing', async () => {
    world.arm.addZone(SUBSCRIPTION, DNS_RG, 'fabrikam.com')
    const run = await runAction(withEntra(managedDomain(), { zone: 'fabrikam.com' }), { env: azureEnv() })
    assert.equal(run.exitCode, 1, run.stdout)
    assert.match(
      errorMessages(run),
      /input "zone": domain ldaps\.contoso100\.com is not inside zone fabrikam\.com.*\(domain is empty, so the name comes from managed domain contoso100\.com: set domain/
    )
    assert.equal(world.arm.writeCount(), 0)
  })
})
