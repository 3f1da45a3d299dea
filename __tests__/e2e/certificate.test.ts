// The bundled action (dist/index.js, run as a runner does) against real slapd and TLS servers on
// 127.0.4.x, with provider none and no propagation wait: each certificate gets the right verdict,
// outputs and a first line a person understands. Needs `npm run build` first.

import assert from 'node:assert/strict'
import net from 'node:net'
import tls from 'node:tls'
import { after, before, describe, it } from 'node:test'
import { requireBundle } from '../helpers/stand-ins.ts'
import { probeOnlyInputs } from '../helpers/probe-inputs.ts'
import { runAction } from '../helpers/run-action.ts'
import { startSlapd, type Slapd } from '../helpers/slapd.ts'
import { createTestPki, type LeafName } from '../helpers/test-pki.ts'

const pki = createTestPki()

const EXPECTED: Record<LeafName, RegExp | undefined> = {
  good: undefined,
  expired:
    /^ldaps\.contoso100\.com:\d+ serves a certificate that expired on \d{4}-\d\d-\d\d \(\*\.contoso100\.com, issued by Contoso Issuing CA\)$/,
  notYetValid: /serves a certificate that is not valid before/,
  expiring10:
    /^ldaps\.contoso100\.com:\d+ serves a certificate that is due for renewal: renew by \d{4}-\d\d-\d\d: 10 days left of a 365-day certificate \(min-days-valid 33%: 33% of the lifetime, at least 7 days, before expiry\)/,
  otherHost: /serves a certificate that is not valid for ldaps\.contoso100\.com \(its names: DNS:other\.example\.org\)/,
  selfSigned: /serves a self-signed certificate that is not trusted/,
  noIntermediate: /serves an incomplete chain: the issuer of "\*\.contoso100\.com"/,
  noServerAuth: /does not include TLS server authentication/,
  weakKey: /1024-bit RSA key/,
  sha1: /signed with sha1WithRSAEncryption/
}

function inputs(extra: Record<string, string>): Record<string, string> {
  return probeOnlyInputs(pki.root.certPem, extra)
}

/** The first line of the failure annotation (::error::) in the log. */
function failure(stdout: string): string | undefined {
  const line = stdout.split('\n').find(l => l.startsWith('::error'))
  // Workflow commands escape % as %25 (and newlines as %0A).
  return line
    ?.replace(/^::error[^:]*::/, '')
    .split('%0A')[0]
    ?.replace(/%25/g, '%')
}

describe('bundled action: certificate verdicts end to end', () => {
  before(requireBundle) // CI builds dist/ (and it is committed): a missing bundle fails, never skips
  const servers = new Map<LeafName, Slapd>()
  before(async () => {
    for (const name of Object.keys(EXPECTED) as LeafName[]) {
      const { chainPem, leaf } = pki.leaves[name]
      servers.set(name, await startSlapd({ chainPem, keyPem: leaf.keyPem }))
    }
  })
  after(async () => {
    for (const s of servers.values()) await s.stop()
  })

  for (const [name, expected] of Object.entries(EXPECTED) as [LeafName, RegExp | undefined][]) {
    it(`${name} via LDAPS`, async () => {
      const s = servers.get(name)!
      const run = await runAction(inputs({ 'connect-to': s.host, port: String(s.ldapsPort) }))
      if (expected === undefined) {
        assert.equal(run.exitCode, 0, run.stdout)
        assert.equal(run.outputs['certificate-trusted'], 'true')
        assert.equal(run.outputs['certificate-sha256'], run.report.certificate.chain[0].sha256)
        assert.match(run.outputs['tls-version'] ?? '', /^TLSv1\.[23]$/)
        assert.equal(run.outputs['certificate-subject'], 'O=Contoso Test, CN=*.contoso100.com')
        assert.ok(Number(run.outputs['certificate-days-remaining']) >= 363)
        assert.deepEqual(run.report.certificate.ldap.namingContexts, ['dc=contoso100,dc=com'])
        // The * is escaped in the Markdown (it would start emphasis), so GitHub shows it as *.
        assert.match(run.summary, /\| \\\*\.contoso100\.com \| Contoso Issuing CA \| .* \| ✅ ok \|/)
        assert.equal(run.outputs['certificate-renewal-due'], 'false')
        assert.match(run.summary, /✅ Renewal not due: renew by .* \(min-days-valid `33%`: 33% of the lifetime/)
      } else if (name === 'expiring10') {
        // Expiring is not untrusted: trusted, renewal due, and (fail-on-renewal-due default) a failure.
        assert.equal(run.exitCode, 1, run.stdout)
        assert.equal(run.outputs['certificate-trusted'], 'true')
        assert.equal(run.outputs['certificate-renewal-due'], 'true')
        assert.match(failure(run.stdout) ?? '', expected)
        assert.match(run.summary, /✅ trusted/)
        assert.match(run.summary, /❌ \*\*Renewal due\*\*: renew by .*: 10 days left of a 365-day certificate/)
      } else {
        assert.equal(run.exitCode, 1, run.stdout)
        assert.equal(run.outputs['certificate-trusted'], 'false')
        assert.notEqual(run.outputs['certificate-renewal-due'], 'true')
        assert.match(failure(run.stdout) ?? '', expected)
        assert.equal(run.report.outcome, 'failure')
      }
    })
  }

  it('renewal due with fail-on-renewal-due false: a warning, the run passes, the certificate is trusted', async () => {
    const s = servers.get('expiring10')!
    const run = await runAction(
      inputs({ 'connect-to': s.host, port: String(s.ldapsPort), 'fail-on-renewal-due': 'false' })
    )
    assert.equal(run.exitCode, 0, run.stdout)
    assert.equal(run.outputs['certificate-trusted'], 'true')
    assert.equal(run.outputs['certificate-renewal-due'], 'true')
    assert.match(
      run.stdout,
      /::warning title=Certificate renewal due::.*renew by \d{4}-\d\d-\d\d: 10 days left of a 365-day certificate/
    )
    assert.doesNotMatch(run.stdout, /::error/)
    assert.match(run.summary, /⚠️ \*\*Renewal due\*\*/)
  })

  it('a fixed window in days: min-days-valid 5 leaves the 10-day-left certificate not due', async () => {
    const s = servers.get('expiring10')!
    const run = await runAction(inputs({ 'connect-to': s.host, port: String(s.ldapsPort), 'min-days-valid': '5' }))
    assert.equal(run.exitCode, 0, run.stdout)
    assert.equal(run.outputs['certificate-renewal-due'], 'false')
    assert.match(run.summary, /Renewal not due: .*min-days-valid `5`: 5 days before expiry/)
  })

  it('good chain via StartTLS', async () => {
    const s = servers.get('good')!
    const run = await runAction(inputs({ 'connect-to': s.host, port: String(s.ldapPort), protocol: 'starttls' }))
    assert.equal(run.exitCode, 0, run.stdout)
    assert.equal(run.outputs['certificate-trusted'], 'true')
  })

  it('self-signed passes once its public part is in ca-certificate (LDAPS and StartTLS)', async () => {
    const s = servers.get('selfSigned')!
    for (const [protocol, port] of [
      ['ldaps', s.ldapsPort],
      ['starttls', s.ldapPort]
    ] as const) {
      const run = await runAction(
        inputs({
          'connect-to': s.host,
          port: String(port),
          protocol,
          'ca-certificate': pki.leaves.selfSigned.leaf.certPem
        })
      )
      assert.equal(run.exitCode, 0, run.stdout)
      assert.equal(run.outputs['certificate-trusted'], 'true')
      assert.equal(run.report.certificate.chain[0].verdict, 'trust-anchor')
    }
  })

  it('expected-fingerprint pins the leaf', async () => {
    const s = servers.get('good')!
    const run = await runAction(
      inputs({ 'connect-to': s.host, port: String(s.ldapsPort), 'expected-fingerprint': 'AB'.repeat(32) })
    )
    assert.equal(run.exitCode, 1)
    assert.match(failure(run.stdout) ?? '', /not the expected abab/)
  })

  it('check mode counts a certificate problem as drift', async () => {
    const s = servers.get('expired')!
    const run = await runAction(inputs({ 'connect-to': s.host, port: String(s.ldapsPort), mode: 'check' }))
    assert.equal(run.exitCode, 1)
    assert.equal(run.outputs['drift'], 'true')
    assert.ok(
      run.report.findings.some((f: any) => f.step === 'certificate' && f.drift === true && /expired on/.test(f.message))
    )
  })

  it('protocol tls against a plain TLS server, and a closed port', async t => {
    const { chainPem, leaf } = pki.leaves.good
    const server = tls.createServer({ cert: chainPem, key: leaf.keyPem })
    await new Promise<void>(resolve => server.listen(0, '127.0.4.4', resolve))
    t.after(() => server.close())
    const port = (server.address() as net.AddressInfo).port
    const ok = await runAction(inputs({ 'connect-to': '127.0.4.4', port: String(port), protocol: 'tls' }))
    assert.equal(ok.exitCode, 0, ok.stdout)
    assert.equal(ok.report.certificate.ldap, undefined)
    server.close()
    await new Promise(r => setTimeout(r, 50))
    const closed = await runAction(inputs({ 'connect-to': '127.0.4.4', port: String(port), protocol: 'tls' }))
    assert.equal(closed.exitCode, 1)
    assert.match(failure(closed.stdout) ?? '', /connect failed: connection refused/)
  })
})
