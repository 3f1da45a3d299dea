// End to end: the bundled action (dist/index.js; run `npm run build` first) with renew: acme.
// Real parts: Pebble (Let's Encrypt's test CA) validating DNS-01 against the tests' own BIND
// primary; BIND primary + lagging secondary as the zone's authoritative nameservers; the ARM
// stand-in (entra-ds-arm.ts) holding the managed domain, taking the certificate PATCH as a
// long-running operation and checking the PFX with openssl; two "domain controllers" behind one
// address (dc-pair.ts) that start serving the uploaded certificate one after the other. Expected
// values come from openssl and the stand-ins, not from the code under test.
//
// Loopback range of this file: 127.0.55.0–127.0.64.255.

import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { generateKeyPairSync, X509Certificate } from 'node:crypto'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, beforeEach, describe, test } from 'node:test'
import { requireBundle } from '../helpers/stand-ins.ts'
import { errorMessages, runAction } from '../helpers/run-action.ts'
import { startBindPair, udpQuery, type BindPair } from '../helpers/bind.ts'
import { startPebble, type Pebble } from '../helpers/pebble.ts'
import { startDcPair, type DcPair } from '../helpers/dc-pair.ts'
import { createTestPki } from '../helpers/test-pki.ts'
import {
  CLIENT_SECRET,
  READER_CLIENT,
  SECRET_CLIENT,
  SUBSCRIPTION,
  TENANT,
  startAzureWorld,
  type AzureWorld
} from '../helpers/azure-world.ts'
import { createEntraDsArm, subnetIdOf, type ManagedDomainFixture } from '../helpers/entra-ds-arm.ts'

const ZONE = 'contoso100.com'
const EXTERNAL_IP = '20.30.40.50'
const PRIMARY = '127.0.55.1'
const SECONDARY = '127.0.55.2'
const PEBBLE_HOST = '127.0.55.20'
const DC_HOST = '127.0.55.30'
const SUBNET = subnetIdOf(SUBSCRIPTION, 'rg-aadds-network', 'aadds-vnet', 'aadds-subnet')

const pki = createTestPki()
const entraArm = createEntraDsArm()
const accountKeyPem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString()
let world: AzureWorld
let bind: BindPair
let pebble: Pebble
let dcs: DcPair
let pebbleRoot: string
let caBundle: string

function opensslSha1(pem: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'renewal-thumb-')), 'leaf.pem')
  writeFileSync(file, pem)
  const out = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha1', '-in', file], { encoding: 'utf8' })
  return out.trim().replace(/^.*=/, '').replace(/:/g, '').toUpperCase()
}

// The certificate uploaded before the run: 10 days left of 365, inside the default window (33%).
const OLD = pki.leaves.expiring10
const OLD_THUMBPRINT = opensslSha1(OLD.leaf.certPem)

/** The managed domain with `certPem` uploaded: its thumbprint, base64 DER and notAfter as ARM returns them. */
function uploaded(certPem: string): ManagedDomainFixture {
  const cert = new X509Certificate(certPem)
  return managedDomain({
    certificateThumbprint: opensslSha1(certPem),
    publicCertificate: cert.raw.toString('base64'),
    certificateNotAfter: new Date(cert.validTo).toISOString()
  })
}

function managedDomain(over: Partial<ManagedDomainFixture> = {}): ManagedDomainFixture {
  return {
    subscription: SUBSCRIPTION,
    resourceGroup: 'rg-aadds',
    name: ZONE,
    domainName: ZONE,
    ldaps: 'Enabled',
    externalAccess: 'Enabled',
    certificateThumbprint: OLD_THUMBPRINT,
    // As ARM returns them: the uploaded leaf (base64 DER) and its notAfter.
    publicCertificate: new X509Certificate(OLD.leaf.certPem).raw.toString('base64'),
    certificateNotAfter: new Date(new X509Certificate(OLD.leaf.certPem).validTo).toISOString(),
    replicaSets: [{ location: 'West US', subnetId: SUBNET, externalAccessIpAddress: EXTERNAL_IP }],
    ...over
  }
}

before(async () => {
  requireBundle()
  world = await startAzureWorld(
    { arm: '127.0.55.40', entra: '127.0.55.41', github: '127.0.55.42' },
    { extensions: [entraArm.extension] }
  )
  entraArm.url = world.arm.url
  bind = await startBindPair({ zone: ZONE, primary: PRIMARY, secondary: SECONDARY, refreshSeconds: 2 })
  pebble = await startPebble({ address: PEBBLE_HOST, dnsServer: `${PRIMARY}:53` })
  pebbleRoot = await pebble.rootPem()
  const { chainPem, leaf } = OLD
  dcs = await startDcPair(DC_HOST, { chainPem, keyPem: leaf.keyPem })
  // One file for NODE_EXTRA_CA_CERTS: the ARM/Entra stand-ins' CA and Pebble's listener CA.
  caBundle = join(mkdtempSync(join(tmpdir(), 'renewal-ca-')), 'ca.pem')
  writeFileSync(caBundle, readFileSync(world.pki.caFile, 'utf8') + readFileSync(pebble.caFile, 'utf8'))
})
after(async () => {
  await dcs?.close()
  await pebble?.stop()
  await bind?.stop()
  await world?.close()
})
beforeEach(() => {
  entraArm.reset()
  world.arm.requests.length = 0
  entraArm.addManagedDomain(managedDomain())
  entraArm.addSubnet(SUBNET, '10.0.0.0/24')
  // The managed domain installs the certificate on one DC, then on the other, 2.5 s apart.
  entraArm.onInstalled = pair => dcs.install(pair, [200, 2_700])
})

function inputs(over: Record<string, string> = {}): Record<string, string> {
  return {
    provider: 'rfc2136',
    'rfc2136-server': PRIMARY,
    'rfc2136-tsig-key-name': bind.keys.sha256.name,
    'rfc2136-tsig-secret': bind.keys.sha256.secret,
    resolver: PRIMARY,
    'propagation-timeout': '30',
    'entra-domain-name': ZONE,
    'entra-nsg-check': 'off',
    'azure-subscription-id': SUBSCRIPTION,
    'azure-client-id': SECRET_CLIENT,
    'azure-tenant-id': TENANT,
    'azure-client-secret': CLIENT_SECRET,
    'azure-resource-manager-endpoint': world.arm.url,
    // The probe goes to the two local "domain controllers", not to the public external IP.
    'connect-to': DC_HOST,
    port: String(dcs.port),
    protocol: 'tls',
    'ca-certificate': pebbleRoot,
    renew: 'acme',
    'acme-directory': pebble.directoryUrl,
    'acme-account-key': accountKeyPem,
    ...over
  }
}

const env = () => ({
  NODE_EXTRA_CA_CERTS: caBundle,
  AZURE_AUTHORITY_HOST: world.entra.url,
  LDAPS_DNS_ACTION_RENEW_POLL_MS: '300'
})

async function challengeTxt(server: string): Promise<string[]> {
  const response = await udpQuery(server, 53, `_acme-challenge.${ZONE}`, 'TXT')
  return (response.answers ?? []).filter(a => a.type === 'TXT').map(a => String(a.data))
}

/**
 * Every place a secret could leak: the log, the outputs, the summary. The runner consumes
 * `::add-mask::` commands (they register the value to mask) and never shows them.
 */
function everythingPrinted(run: Awaited<ReturnType<typeof runAction>>): string {
  const log = (text: string): string =>
    text
      .split('\n')
      .filter(l => !l.startsWith('::add-mask::'))
      .join('\n')
  return [log(run.stdout), log(run.stderr), run.summary, ...Object.values(run.outputs)].join('\n')
}

describe('renew: acme, end to end with provider rfc2136', () => {
  before(requireBundle)

  test('orders through DNS-01 on BIND, uploads a TripleDES-SHA1 PFX, waits until both DCs serve it, and verifies it', async () => {
    const run = await runAction(inputs(), { env: env(), timeoutMs: 120_000 })
    assert.equal(run.exitCode, 0, `${run.stdout}\n${pebble.log().slice(-2000)}`)
    assert.equal(errorMessages(run), '')
    // The stand-in's reading of the PFX (openssl): TripleDES-SHA1, key + leaf + intermediate.
    assert.equal(entraArm.received.length, 1)
    const pfx = entraArm.received[0]!
    assert.equal(pfx.problem, undefined)
    assert.equal(pfx.keyBagEncryption, 'pbeWithSHA1And3-KeyTripleDES-CBC')
    assert.ok(pfx.chainPem.length >= 2)
    assert.equal(pfx.ldaps, 'Enabled')
    assert.equal(pfx.externalAccess, 'Enabled')
    const leaf = new X509Certificate(pfx.chainPem[0]!)
    assert.match(leaf.subjectAltName ?? '', new RegExp(`DNS:\\*\\.${ZONE}.*DNS:${ZONE}|DNS:${ZONE}.*DNS:\\*\\.${ZONE}`))
    assert.match(leaf.keyUsage?.join(',') ?? '', /1\.3\.6\.1\.5\.5\.7\.3\.1/)
    const newThumbprint = opensslSha1(pfx.chainPem[0]!)
    assert.notEqual(newThumbprint, OLD_THUMBPRINT)
    // Outputs: renewed, the new thumbprint, and the served certificate is the uploaded one.
    assert.equal(run.outputs['certificate-renewed'], 'true')
    assert.equal(run.outputs['renewed-thumbprint'], newThumbprint)
    assert.equal(run.outputs['renewed-not-after'], new Date(leaf.validTo).toISOString())
    assert.equal(run.outputs['entra-certificate-thumbprint'], newThumbprint)
    assert.equal(run.outputs['entra-certificate-match'], 'true')
    assert.equal(run.outputs['certificate-trusted'], 'true')
    // The renewal answers the expiry the managed domain was read with: that finding is gone.
    const codes = (run.report.findings as { code: string }[]).map(f => f.code)
    assert.ok(!codes.includes('entra-certificate-renewal-due'), codes.join(', '))
    // Both DCs took connections, and the watch required several handshakes in a row.
    assert.ok(dcs.handshakes[0] > 0 && dcs.handshakes[1] > 0)
    assert.ok(run.report.renewal.served.inARow >= run.report.renewal.served.needed)
    // One ARM write, the PATCH; the challenge values are gone from both nameservers.
    const writes = world.arm.requests.filter(r => r.method !== 'GET')
    assert.deepEqual(
      writes.map(r => `${r.method} ${r.query['api-version']}`),
      ['PATCH 2022-12-01']
    )
    assert.deepEqual(await challengeTxt(PRIMARY), [])
    assert.match(run.summary, new RegExp(`${OLD_THUMBPRINT}.*→.*${newThumbprint}`))
    // No secret anywhere: account key, PFX, its password, the new private key.
    const printed = everythingPrinted(run)
    const secretLines = [accountKeyPem, pfx.keyPem!].flatMap(pem =>
      pem.split('\n').filter(l => l.length > 20 && !l.startsWith('-----'))
    )
    for (const line of secretLines) assert.ok(!printed.includes(line), 'a private key line was printed')
    assert.ok(!printed.includes(pfx.password), 'the PFX password was printed')
  })

  test('not due: nothing is ordered or written to the managed domain', async () => {
    entraArm.reset()
    entraArm.addManagedDomain(uploaded(pki.leaves.good.leaf.certPem))
    entraArm.addSubnet(SUBNET, '10.0.0.0/24')
    // Trusted (its CA given) and far from expiry: nothing to renew.
    const trusted = pebbleRoot + pki.intermediate.certPem + pki.root.certPem
    const run = await runAction(inputs({ 'ca-certificate': trusted }), { env: env() })
    assert.equal(run.report.renewal.state, 'not-due', run.stdout)
    assert.equal(run.outputs['certificate-renewed'], 'false')
    assert.equal(entraArm.received.length, 0)
    assert.ok(world.arm.requests.every(r => r.method === 'GET'))
  })
  test('far from expiry but self-signed (not trusted): renewed, and the reason says so', async () => {
    entraArm.removeManagedDomains()
    entraArm.addManagedDomain(uploaded(pki.leaves.selfSigned.leaf.certPem))
    const run = await runAction(inputs(), { env: env() })
    assert.equal(run.report.renewal.state, 'renewed', run.stdout)
    assert.match(run.report.renewal.reason, /would not be trusted/)
    assert.equal(entraArm.received.length, 1)
  })
})

/**
 * Azure DNS has no local nameservers, and Pebble validates DNS-01 by asking a DNS server. So the
 * BIND pair plays Azure's authoritative nameservers: every 150 ms the record sets the action
 * writes through ARM (the stand-in, with its ETags and If-Match) are copied into the BIND primary
 * with nsupdate, as Azure DNS copies a zone to its nameservers, and the secondary transfers them
 * with its lag. The action is told those nameservers (`nameservers`), as for any zone whose NS
 * set the runner cannot discover.
 */
function mirrorAzureZoneIntoBind(): { stop(): Promise<void> } {
  let last = ''
  let running: Promise<void> = Promise.resolve()
  const copy = async (): Promise<void> => {
    const txt = world.arm.getRecordSet(SUBSCRIPTION, DNS_RG, ZONE, 'TXT', '_acme-challenge')
    const a = world.arm.getRecordSet(SUBSCRIPTION, DNS_RG, ZONE, 'A', 'ldaps')
    const values = (txt?.txtRecords ?? []).map(r => r.value.join(''))
    const addresses = (a?.aRecords ?? []).map(r => r.ipv4Address)
    const state = JSON.stringify([values, addresses])
    if (state === last) return
    last = state
    await bind.nsupdate([
      `update delete _acme-challenge.${ZONE} TXT`,
      ...values.map(v => `update add _acme-challenge.${ZONE} 60 TXT "${v}"`),
      `update delete ldaps.${ZONE} A`,
      ...addresses.map(ip => `update add ldaps.${ZONE} 60 A ${ip}`)
    ])
  }
  const timer = setInterval(() => (running = running.then(copy, copy)), 150)
  return {
    async stop() {
      clearInterval(timer)
      await running
    }
  }
}

const DNS_RG = 'rg-dns'

describe('renew: acme, end to end with provider azure', () => {
  before(requireBundle)

  test('the challenge goes through Azure DNS record sets (single values, If-Match), the certificate to the managed domain', async () => {
    world.arm.addZone(SUBSCRIPTION, DNS_RG, ZONE)
    // Another TXT value at the challenge name (someone else's validation) must survive.
    world.arm.putRecordSet(SUBSCRIPTION, DNS_RG, ZONE, {
      name: '_acme-challenge',
      type: 'TXT',
      ttl: 60,
      txtRecords: [{ value: ['other-validation-in-progress'] }]
    })
    dcs.install({ chainPem: pki.leaves.good.chainPem, keyPem: pki.leaves.good.leaf.keyPem }, [0, 0])
    await new Promise(resolve => setTimeout(resolve, 50))
    const mirror = mirrorAzureZoneIntoBind()
    try {
      const run = await runAction(
        inputs({
          provider: 'azure',
          'rfc2136-server': '',
          'rfc2136-tsig-key-name': '',
          'rfc2136-tsig-secret': '',
          resolver: '',
          'azure-resource-group': DNS_RG,
          nameservers: `${PRIMARY},${SECONDARY}`
        }),
        { env: env(), timeoutMs: 120_000 }
      )
      assert.equal(
        run.exitCode,
        0,
        run.stdout
          .split('\n')
          .filter(l => !l.startsWith('::add-mask::'))
          .join('\n')
      )
      assert.equal(run.outputs['certificate-renewed'], 'true')
      const pfx = entraArm.received[0]!
      assert.equal(pfx.problem, undefined)
      assert.equal(run.outputs['renewed-thumbprint'], opensslSha1(pfx.chainPem[0]!))
      assert.equal(run.outputs['entra-certificate-match'], 'true')
      // Only our two values came and went: the other one is still there, alone.
      assert.deepEqual(world.arm.getRecordSet(SUBSCRIPTION, DNS_RG, ZONE, 'TXT', '_acme-challenge')?.txtRecords, [
        { value: ['other-validation-in-progress'] }
      ])
      assert.equal(world.arm.unconditionalWrites(), 0)
      const txtWrites = world.arm.requests.filter(r => r.method !== 'GET' && /\/TXT\/_acme-challenge/i.test(r.path))
      assert.equal(txtWrites.length, 4, 'two adds and two removals, one value each')
    } finally {
      await mirror.stop()
      // The other value was copied into BIND too; the next tests expect no TXT there.
      await bind.nsupdate([`update delete _acme-challenge.${ZONE} TXT`])
    }
  })
})

describe('renew: acme, a failed upload leaves the old certificate and says so (one attempt)', () => {
  before(requireBundle)

  async function failedRun(over: Record<string, string> = {}) {
    const run = await runAction(inputs(over), { env: env(), timeoutMs: 150_000 })
    assert.equal(run.exitCode, 1, run.stdout)
    assert.equal(run.outputs['certificate-renewed'], 'false')
    assert.equal(run.outputs['renewed-thumbprint'], undefined)
    assert.equal(run.report.renewal.state, 'failed')
    assert.equal(run.report.renewal.stage, 'upload', errorMessages(run))
    // One PATCH, never repeated; the managed domain still has the old certificate.
    assert.equal(world.arm.requests.filter(r => r.method === 'PATCH').length, 1)
    assert.equal(entraArm.managedDomain(ZONE)?.certificateThumbprint, OLD_THUMBPRINT)
    // The challenge values are gone.
    assert.deepEqual(await challengeTxt(PRIMARY), [])
    assert.match(run.summary, /Renewal failed at upload: the managed domain keeps/)
    return run
  }

  test('409 Conflict (another operation runs): no retry, the error says so', async () => {
    entraArm.update.conflict = true
    const run = await failedRun()
    assert.match(
      errorMessages(run),
      /conflict.*another operation on the resource may still be running.*keeps its current certificate/
    )
  })

  test('the service refuses the PFX (as for a wrong password): the asynchronous failure is reported', async () => {
    entraArm.update.refuseCertificate = true
    const run = await failedRun()
    assert.match(
      errorMessages(run),
      /accepted the renewed certificate, then failed the operation.*The certificate or password provided for LDAPs is invalid.*keeps its current certificate/
    )
  })

  test('an identity that may only read the managed domain: 403, naming the role to grant', async () => {
    const run = await failedRun({ 'azure-client-id': READER_CLIENT })
    assert.match(
      errorMessages(run),
      /lacks permission.*AuthorizationFailed.*Domain Services Contributor role \(Microsoft\.AAD\/domainServices\/write\)/
    )
  })

  test('the operation never finishes: given up at renew-timeout, not repeated', async () => {
    entraArm.update.hang = true
    const run = await failedRun({ 'renew-timeout': '1' })
    assert.match(errorMessages(run), /did not finish within renew-timeout \(1 min\)/)
  })
})

describe('renew: acme with external account binding (a CA that requires it)', () => {
  const EAB = { kid: 'kid-ldaps', hmacKey: 'zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W' }
  let eabPebble: Pebble
  let eabCa: string
  before(async () => {
    eabPebble = await startPebble({ address: '127.0.55.21', dnsServer: `${PRIMARY}:53`, eab: EAB })
    eabCa = join(mkdtempSync(join(tmpdir(), 'renewal-eab-ca-')), 'ca.pem')
    writeFileSync(eabCa, readFileSync(world.pki.caFile, 'utf8') + readFileSync(eabPebble.caFile, 'utf8'))
  })
  after(async () => {
    await eabPebble?.stop()
  })

  test('with acme-eab-kid and acme-eab-hmac-key the account is bound and the certificate uploaded; the HMAC key is never printed', async () => {
    const run = await runAction(
      inputs({
        'acme-directory': eabPebble.directoryUrl,
        'ca-certificate': await eabPebble.rootPem(),
        'acme-eab-kid': EAB.kid,
        'acme-eab-hmac-key': EAB.hmacKey
      }),
      { env: { ...env(), NODE_EXTRA_CA_CERTS: eabCa }, timeoutMs: 120_000 }
    )
    assert.equal(run.outputs['certificate-renewed'], 'true', errorMessages(run))
    assert.equal(entraArm.received.length, 1)
    assert.ok(!everythingPrinted(run).includes(EAB.hmacKey))
  })

  test('without them the CA refuses a new account, and nothing is uploaded', async () => {
    // A key without an account at this CA (the one above is bound now and would be found).
    const freshKey = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString()
    const run = await runAction(
      inputs({
        'acme-directory': eabPebble.directoryUrl,
        'ca-certificate': await eabPebble.rootPem(),
        'acme-account-key': freshKey
      }),
      { env: { ...env(), NODE_EXTRA_CA_CERTS: eabCa } }
    )
    assert.equal(run.exitCode, 1)
    assert.equal(run.report.renewal.stage, 'order')
    assert.match(
      errorMessages(run),
      /ACME \(https:\/\/127\.0\.55\.21:14000\/dir\): could not register or find the account: .*externalAccountBinding.*set acme-eab-kid and acme-eab-hmac-key/
    )
    assert.equal(entraArm.received.length, 0)
  })
})
