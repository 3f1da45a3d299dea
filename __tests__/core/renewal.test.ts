// The renewal decisions (core/renewal.ts) and the PFX (core/pfx.ts): when renewal is due, which
// names are ordered, which issued certificates are refused before upload, and a PFX that is
// TripleDES-SHA1 with key and chain and opens only with its password. Certificates from the test
// PKI (node-forge); the PFX is also read by the openssl CLI, not only by the code under test.

import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import {
  challengeName,
  checkUploadable,
  countServedMatch,
  isRenewalDue,
  renewalNames,
  sameThumbprint,
  txtServesAll
} from '../../src/core/renewal.ts'
import { buildPfx, PBE_SHA1_3DES, readPfx } from '../../src/core/pfx.ts'
import type { ManagedDomainFacts } from '../../src/core/entra.ts'
import { createTestPki, issue } from '../helpers/test-pki.ts'

const DAY = 86_400_000
const NOW = new Date('2026-12-06T00:00:00Z')
const pki = createTestPki()
const chainOf = (chainPem: string): string[] =>
  chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\r?\n?/g) ?? []

function facts(notAfter: Date | undefined): ManagedDomainFacts {
  return {
    id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.AAD/DomainServices/contoso100.com',
    name: 'contoso100.com',
    subscriptionId: 's',
    resourceGroup: 'rg',
    domainName: 'contoso100.com',
    ldaps: 'Enabled',
    externalAccess: 'Enabled',
    certificateThumbprint: 'AB',
    certificateNotAfter: notAfter,
    tlsV1: 'Disabled',
    replicaSets: []
  }
}

describe('isRenewalDue', () => {
  const days30 = { kind: 'days', days: 30 } as const
  const third = { kind: 'lifetime', percent: 33, floorDays: 7 } as const
  it('is due inside min-days-valid, expired, or without a date; not due outside the window', () => {
    assert.equal(isRenewalDue(facts(new Date(NOW.getTime() + 29 * DAY)), NOW, days30).due, true)
    assert.equal(isRenewalDue(facts(new Date(NOW.getTime() - DAY)), NOW, days30).due, true)
    assert.equal(isRenewalDue(facts(undefined), NOW, days30).due, true)
    const later = isRenewalDue(facts(new Date(NOW.getTime() + 31 * DAY)), NOW, days30)
    assert.equal(later.due, false)
    assert.match(later.reason, /valid until 2027-01-06, outside the renewal window \(min-days-valid 30\)/)
  })

  it('takes a share of the lifetime from the uploaded leaf: 20 of 90 days left is due at 33%, 40 is not', () => {
    const notBefore = (left: number) => new Date(NOW.getTime() - (90 - left) * DAY)
    const at = (left: number) =>
      isRenewalDue(facts(new Date(NOW.getTime() + left * DAY)), NOW, third, { notBefore: notBefore(left) })
    assert.equal(at(20).due, true)
    assert.match(at(20).reason, /due for renewal/)
    assert.equal(at(40).due, false)
    assert.match(at(40).reason, /min-days-valid 33%/)
  })

  it('is due, whatever the dates, when the uploaded certificate would not be trusted', () => {
    const far = facts(new Date(NOW.getTime() + 200 * DAY))
    assert.equal(isRenewalDue(far, NOW, days30).due, false)
    const untrusted = isRenewalDue(far, NOW, days30, { untrusted: 'issuer not trusted' })
    assert.equal(untrusted.due, true)
    assert.match(untrusted.reason, /would not be trusted \(issuer not trusted\)/)
  })
})

describe('names', () => {
  it('orders the wildcard and the managed domain, both validated at _acme-challenge.<domain>', () => {
    assert.deepEqual(renewalNames('Contoso100.com.'), {
      commonName: '*.contoso100.com',
      names: ['*.contoso100.com', 'contoso100.com']
    })
    assert.equal(challengeName('*.contoso100.com'), '_acme-challenge.contoso100.com')
    assert.equal(challengeName('contoso100.com'), '_acme-challenge.contoso100.com')
  })
})

describe('checkUploadable', () => {
  const issued = (leaf: { certPem: string; keyPem: string }, chain = [leaf.certPem, pki.intermediate.certPem]) => ({
    chainPem: chain,
    keyPem: leaf.keyPem
  })
  it('accepts a wildcard leaf with DS+KE, server auth and its intermediate, with the SHA-1 thumbprint', () => {
    const { leaf } = pki.leaves.good
    const result = checkUploadable(issued(leaf), 'ldaps.contoso100.com', new Date())
    assert.ok(result.ok, JSON.stringify(result))
    const openssl = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha1'], {
      input: leaf.certPem,
      encoding: 'utf8'
    })
    assert.equal(result.certificate.thumbprint, openssl.trim().replace(/^.*=/, '').replace(/:/g, ''))
  })
  it('refuses a leaf without keyEncipherment (the tlsserver/shortlived profiles)', () => {
    const leaf = issue({
      commonName: '*.contoso100.com',
      issuer: pki.intermediate,
      dnsNames: ['*.contoso100.com'],
      keyUsage: { digitalSignature: true }
    })
    const result = checkUploadable(issued(leaf), 'ldaps.contoso100.com', new Date())
    assert.ok(!result.ok)
    assert.match(result.problems.join('\n'), /lacks keyEncipherment/)
  })
  it('refuses a leaf without server auth, not covering the name, without intermediate, or not matching the key', () => {
    const noServerAuth = checkUploadable(issued(pki.leaves.noServerAuth.leaf), 'ldaps.contoso100.com', new Date())
    assert.ok(!noServerAuth.ok)
    assert.match(noServerAuth.problems.join('\n'), /lacks TLS server authentication/)
    const otherHost = checkUploadable(issued(pki.leaves.otherHost.leaf), 'ldaps.contoso100.com', new Date())
    assert.ok(!otherHost.ok)
    assert.match(otherHost.problems.join('\n'), /does not cover ldaps\.contoso100\.com/)
    const alone = checkUploadable(
      issued(pki.leaves.good.leaf, [pki.leaves.good.leaf.certPem]),
      'ldaps.contoso100.com',
      new Date()
    )
    assert.ok(!alone.ok)
    assert.match(alone.problems.join('\n'), /no intermediate/)
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString()
    const mismatch = checkUploadable(
      { chainPem: [pki.leaves.good.leaf.certPem, pki.intermediate.certPem], keyPem: otherKey },
      'ldaps.contoso100.com',
      new Date()
    )
    assert.ok(!mismatch.ok)
    assert.match(mismatch.problems.join('\n'), /not the key made in this run/)
  })
  it('refuses an expired leaf', () => {
    const result = checkUploadable(issued(pki.leaves.expired.leaf), 'ldaps.contoso100.com', new Date())
    assert.ok(!result.ok)
    assert.match(result.problems.join('\n'), /not valid now/)
  })
})

describe('served watch and thumbprints', () => {
  it('counts handshakes in a row that show the new leaf; one old answer starts over', () => {
    const want = 'AA:BB'
    let n = 0
    for (const served of ['AABB', 'aabb', undefined, 'AABB', 'CCDD', 'AABB']) n = countServedMatch(n, served, want)
    assert.equal(n, 1)
    assert.ok(sameThumbprint('aa:bb', 'AABB'))
    assert.ok(!sameThumbprint(undefined, 'AABB'))
  })
  it('TXT: done only when every wanted value is served', () => {
    assert.ok(txtServesAll(['a', 'b', 'x'], ['a', 'b']))
    assert.ok(!txtServesAll(['a'], ['a', 'b']))
  })
})

describe('PFX', () => {
  const { leaf, chainPem } = pki.leaves.good
  const chain = chainOf(chainPem)
  const pfx = buildPfx(leaf.keyPem, chain, 'run-made-password')

  it('is TripleDES-SHA1 with the key and the whole chain (as openssl reads it)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pfx-')), 'p.pfx')
    writeFileSync(file, Buffer.from(pfx, 'base64'))
    // openssl pkcs12 -info describes the bags on stderr.
    const opened = spawnSync(
      'openssl',
      ['pkcs12', '-in', file, '-info', '-noout', '-passin', 'pass:run-made-password'],
      {
        encoding: 'utf8'
      }
    )
    assert.equal(opened.status, 0, opened.stderr)
    const described = opened.stderr + opened.stdout
    assert.match(described, /Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC/)
    assert.equal((described.match(/Certificate bag/g) ?? []).length, 2)
    const contents = readPfx(pfx, 'run-made-password')
    assert.ok(contents.hasKey)
    assert.equal(contents.certificatesDer.length, 2)
    assert.deepEqual(contents.keyBagAlgorithms, [PBE_SHA1_3DES])
  })

  it('does not open with another password', () => {
    assert.throws(() => readPfx(pfx, 'wrong'), /MAC could not be verified|Invalid password/)
  })
})
