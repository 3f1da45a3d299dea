// The evaluator without sockets: chains from the test PKI, a fixed clock, table-driven name rules.

import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { evaluateCertificate, matchesDnsName, type CertificateEvaluationInput } from '../../src/core/certificate.ts'
import { createTestPki, issue, pemChainToDer, TEST_DOMAIN } from '../helpers/test-pki.ts'

const pki = createTestPki()
const NOW = new Date()

function evaluate(chainPem: string, extra: Partial<CertificateEvaluationInput> = {}) {
  return evaluateCertificate({
    served: pemChainToDer(chainPem),
    rootsPem: [],
    trustAnchorsPem: [pki.root.certPem],
    peer: TEST_DOMAIN,
    now: NOW,
    renewal: { kind: 'days', days: 30 },
    ...extra
  })
}

function errors(v: ReturnType<typeof evaluate>) {
  return v.findings.filter(f => f.severity === 'error')
}

describe('evaluateCertificate', () => {
  it('trusts the good chain and names the path to the anchor', () => {
    const v = evaluate(pki.leaves.good.chainPem)
    assert.equal(v.trusted, true, JSON.stringify(v.findings))
    assert.deepEqual(
      v.path.map(m => [m.source, m.position, m.anchor]),
      [
        ['served', 0, false],
        ['served', 1, false],
        ['ca-certificate', undefined, true]
      ]
    )
  })

  it('untrusted root: the root is not an anchor', () => {
    const v = evaluate(pki.leaves.good.chainPem + pki.root.certPem, { trustAnchorsPem: [] })
    assert.equal(v.trusted, false)
    assert.match(errors(v)[0]!.problem, /ends at the root "Contoso Test Root CA" \(position 2\), which is not trusted/)
    assert.equal(errors(v)[0]!.position, 2)
  })

  it('self-signed leaf: untrusted, then trusted as given once it is an anchor', () => {
    const { chainPem, leaf } = pki.leaves.selfSigned
    assert.match(errors(evaluate(chainPem))[0]!.problem, /self-signed certificate that is not trusted/)
    const v = evaluate(chainPem, { trustAnchorsPem: [leaf.certPem] })
    assert.equal(v.trusted, true, JSON.stringify(v.findings))
    assert.equal(v.path.length, 1)
    assert.equal(v.path[0]!.anchor, true)
  })

  it('incomplete chain names the missing issuer; an intermediate given as anchor completes it', () => {
    const v = evaluate(pki.leaves.noIntermediate.chainPem)
    assert.equal(errors(v).length, 1)
    assert.match(errors(v)[0]!.problem, /issuer of "\*\.contoso100\.com" \(O=Contoso Test, CN=Contoso Issuing CA\)/)
    assert.equal(
      evaluate(pki.leaves.noIntermediate.chainPem, { trustAnchorsPem: [pki.intermediate.certPem] }).trusted,
      true
    )
  })

  it('validity: expired and not yet valid are untrusted; expiring within min-days-valid is trusted and due', () => {
    assert.match(errors(evaluate(pki.leaves.expired.chainPem))[0]!.problem, /expired on/)
    assert.equal(evaluate(pki.leaves.expired.chainPem).trusted, false)
    assert.equal(evaluate(pki.leaves.expired.chainPem).findings.filter(f => f.rule === 'renewal').length, 0)
    assert.match(errors(evaluate(pki.leaves.notYetValid.chainPem))[0]!.problem, /not valid before/)
    const expiring = evaluate(pki.leaves.expiring10.chainPem)
    assert.equal(expiring.trusted, true, JSON.stringify(expiring.findings))
    assert.deepEqual(
      expiring.findings.map(f => [f.rule, f.severity]),
      [['renewal', 'warning']]
    )
    assert.match(expiring.findings[0]!.problem, /due for renewal: renew by .*: 10 days left of a 365-day certificate/)
    assert.equal(expiring.renewal?.due, true)
    const notDue = evaluate(pki.leaves.expiring10.chainPem, { renewal: { kind: 'days', days: 10 } })
    assert.deepEqual(notDue.findings, [])
    assert.equal(notDue.renewal?.due, false)
  })

  it('validity of an intermediate counts too', () => {
    const day = 86_400_000
    const oldCa = issue({
      commonName: 'Old Issuing CA',
      ca: true,
      issuer: pki.root,
      notBefore: new Date(NOW.getTime() - 100 * day),
      notAfter: new Date(NOW.getTime() - day)
    })
    const leaf = issue({ commonName: 'x', issuer: oldCa, dnsNames: [TEST_DOMAIN] })
    const v = evaluate(leaf.certPem + oldCa.certPem)
    assert.equal(v.trusted, false)
    assert.ok(
      errors(v).some(
        f => f.position === 1 && /intermediate certificate "Old Issuing CA" \(position 1\) that expired/.test(f.problem)
      )
    )
  })

  it('builds around a wrong candidate: two intermediates with the same name, one with another key', () => {
    const impostor = issue({ commonName: 'Contoso Issuing CA', ca: true, issuer: pki.root })
    // The impostor carries the right subject but cannot verify the leaf's signature.
    const v = evaluate(pki.leaves.good.leaf.certPem + impostor.certPem + pki.intermediate.certPem)
    assert.equal(v.trusted, true, JSON.stringify(v.findings))
    assert.equal(v.path[1]!.position, 2)
  })

  it('prefers a valid path over an expired cross-sign', () => {
    const day = 86_400_000
    const otherRoot = issue({ commonName: 'Other Root', ca: true })
    const expiredCross = issue({
      commonName: 'Contoso Issuing CA',
      ca: true,
      issuer: otherRoot,
      notBefore: new Date(NOW.getTime() - 100 * day),
      notAfter: new Date(NOW.getTime() - day)
    })
    // Same subject and key as the real intermediate is what a cross-sign has; here it differs,
    // so only the real intermediate verifies: the expired one must not decide the verdict.
    const v = evaluate(pki.leaves.good.leaf.certPem + expiredCross.certPem + pki.intermediate.certPem, {
      trustAnchorsPem: [pki.root.certPem, otherRoot.certPem]
    })
    assert.equal(v.trusted, true, JSON.stringify(v.findings))
  })

  it('usage, strength, name and pinning findings name rule and position', () => {
    const rule = (name: keyof typeof pki.leaves) =>
      errors(evaluate(pki.leaves[name].chainPem)).map(f => [f.rule, f.position])
    assert.deepEqual(rule('noServerAuth'), [['usage', 0]])
    assert.deepEqual(rule('weakKey'), [['strength', 0]])
    assert.deepEqual(rule('sha1'), [['strength', 0]])
    assert.deepEqual(rule('otherHost'), [['name', 0]])
    const good = evaluate(pki.leaves.good.chainPem, { expectedFingerprint: '00'.repeat(32) })
    assert.deepEqual(
      errors(good).map(f => f.rule),
      ['pinning']
    )
    const sha256 = good.served[0]!.sha256
    assert.equal(evaluate(pki.leaves.good.chainPem, { expectedFingerprint: sha256 }).trusted, true)
  })

  it('a leaf without EKU is accepted; a leaf that is not a CA cannot issue', () => {
    const noEku = issue({ commonName: 'x', issuer: pki.intermediate, dnsNames: [TEST_DOMAIN], extKeyUsage: [] })
    assert.equal(evaluate(noEku.certPem + pki.intermediate.certPem).trusted, true)
    const notCa = issue({ commonName: 'Not A CA', issuer: pki.intermediate, dnsNames: ['x.example'] })
    const below = issue({ commonName: 'below', issuer: notCa, dnsNames: [TEST_DOMAIN] })
    const v = evaluate(below.certPem + notCa.certPem + pki.intermediate.certPem)
    assert.ok(
      errors(v).some(f => f.rule === 'usage' && f.position === 1 && /basic constraints CA:FALSE/.test(f.problem))
    )
  })

  it('CN-only certificates are reported as such', () => {
    const cnOnly = issue({ commonName: TEST_DOMAIN, issuer: pki.intermediate })
    const v = evaluate(cnOnly.certPem + pki.intermediate.certPem)
    assert.match(errors(v)[0]!.problem, /only in its subject CN and has no subjectAltName/)
  })

  it("Node's refusal is reported when no own rule explains it", () => {
    const v = evaluate(pki.leaves.good.chainPem, {
      nodeVerification: { authorized: false, error: 'UNABLE_TO_GET_ISSUER_CERT', identityError: undefined }
    })
    assert.equal(v.trusted, false)
    assert.match(errors(v)[0]!.problem, /Node's own TLS verification \(OpenSSL\) rejects: UNABLE_TO_GET_ISSUER_CERT/)
  })

  it('explains an OpenSSL refusal of a path that ends at an intermediate given as anchor', () => {
    const v = evaluate(pki.leaves.good.chainPem, {
      trustAnchorsPem: [pki.intermediate.certPem],
      nodeVerification: { authorized: false, error: 'UNABLE_TO_GET_ISSUER_CERT', identityError: undefined }
    })
    assert.equal(v.trusted, false)
    assert.match(errors(v)[0]!.problem, /ends at "Contoso Issuing CA", which is not a self-signed root/)
  })

  it('Entra advice is a notice, not an error', () => {
    const v = evaluate(pki.leaves.selfSigned.chainPem, {
      trustAnchorsPem: [pki.leaves.selfSigned.leaf.certPem],
      entraAdvice: true
    })
    assert.equal(v.trusted, true)
    assert.ok(v.findings.some(f => f.rule === 'advice' && f.severity === 'notice' && /wildcard/.test(f.problem)))
  })
})

describe('matchesDnsName (RFC 6125)', () => {
  const cases: [string, string, boolean][] = [
    ['ldaps.contoso100.com', 'ldaps.contoso100.com', true],
    ['LDAPS.Contoso100.com', 'ldaps.contoso100.COM', true],
    ['ldaps.contoso100.com', '*.contoso100.com', true],
    ['contoso100.com', '*.contoso100.com', false],
    ['a.ldaps.contoso100.com', '*.contoso100.com', false],
    ['ldaps.contoso100.com', 'ld*.contoso100.com', false],
    ['ldaps.contoso100.com', 'ldaps.*.com', false],
    ['example.com', '*.com', false],
    ['foo_bar.example.com', 'foo_bar.example.com', false],
    ['ldaps.contoso100.com', 'ldaps.contoso100.com.', true]
  ]
  for (const [host, pattern, expected] of cases) {
    it(`${host} vs ${pattern}: ${expected}`, () => assert.equal(matchesDnsName(host, pattern), expected))
  }
})
