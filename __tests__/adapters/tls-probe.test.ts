// The probe and the verdict over real handshakes: one real OpenLDAP slapd per test certificate
// (LDAPS and StartTLS listeners on 127.0.4.1), plain Node TLS servers for protocol tls, and
// misbehaving TCP servers for the failure phases. Only 127.0.4.0/24 is used.

import assert from 'node:assert/strict'
import net from 'node:net'
import tls from 'node:tls'
import { after, before, describe, it } from 'node:test'
import { evaluateCertificate, type CertificateVerdict } from '../../src/core/certificate.ts'
import { DEFAULT_RENEWAL_RULE as DEFAULT_RENEWAL } from '../../src/core/renewal-window.ts'
import { ProbeError, probeTls, type ProbeResult } from '../../src/adapters/tls-probe.ts'
import { createTestPki, TEST_DOMAIN, type LeafName, type TestPki } from '../helpers/test-pki.ts'
import { startSilentPort } from '../helpers/silent-port.ts'
import { startSlapd, SUFFIX, type Slapd } from '../helpers/slapd.ts'

const pki: TestPki = createTestPki()
const LEAVES = Object.keys(pki.leaves) as LeafName[]
const EXPECTED_RULE: Record<LeafName, string | undefined> = {
  good: undefined,
  expired: 'validity',
  notYetValid: 'validity',
  // Expiring is not untrusted: trusted, with a renewal warning.
  expiring10: 'renewal',
  otherHost: 'name',
  selfSigned: 'trust',
  noIntermediate: 'trust',
  noServerAuth: 'usage',
  weakKey: 'strength',
  sha1: 'strength'
}
const EXPECTED_TEXT: Record<LeafName, RegExp | undefined> = {
  good: undefined,
  expired: /expired on \d{4}-\d\d-\d\d/,
  notYetValid: /not valid before/,
  expiring10: /due for renewal: renew by \d{4}-\d\d-\d\d: 10 days left of a 365-day certificate \(min-days-valid 33%/,
  otherHost: /not valid for ldaps\.contoso100\.com \(its names: DNS:other\.example\.org\)/,
  selfSigned: /self-signed certificate that is not trusted/,
  noIntermediate:
    /incomplete chain: the issuer of "\*\.contoso100\.com" \(O=Contoso Test, CN=Contoso Issuing CA\) was not sent/,
  noServerAuth: /extended key usage \(clientAuth\) does not include TLS server authentication/,
  weakKey: /1024-bit RSA key/,
  sha1: /signed with sha1WithRSAEncryption/
}

function verdictOf(probe: ProbeResult, anchors: string[]): CertificateVerdict {
  return evaluateCertificate({
    served: probe.served,
    rootsPem: tls.rootCertificates,
    trustAnchorsPem: anchors,
    peer: TEST_DOMAIN,
    now: new Date(),
    renewal: DEFAULT_RENEWAL,
    nodeVerification: probe.node
  })
}

function assertVerdict(name: LeafName, verdict: CertificateVerdict): void {
  const rule = EXPECTED_RULE[name]
  if (rule === undefined) {
    assert.equal(verdict.trusted, true, verdict.findings.map(f => f.problem).join('\n'))
    return
  }
  if (rule === 'renewal') {
    assert.equal(verdict.trusted, true, `${name} is valid and trusted: ${JSON.stringify(verdict.findings)}`)
    const due = verdict.findings.find(f => f.rule === 'renewal')
    assert.equal(due?.severity, 'warning', JSON.stringify(verdict.findings))
    assert.match(due.problem, EXPECTED_TEXT[name]!)
    return
  }
  assert.equal(verdict.trusted, false, `${name} must not be trusted`)
  const finding = verdict.findings.find(f => f.rule === rule && f.severity === 'error')
  assert.ok(finding, `${name}: expected a ${rule} finding, got ${JSON.stringify(verdict.findings)}`)
  assert.match(finding.problem, EXPECTED_TEXT[name]!)
}

describe('probe against a real slapd per certificate', () => {
  const servers = new Map<LeafName, Slapd>()
  before(async () => {
    for (const name of LEAVES) {
      const { chainPem, leaf } = pki.leaves[name]
      servers.set(name, await startSlapd({ chainPem, keyPem: leaf.keyPem }))
    }
  })
  after(async () => {
    for (const s of servers.values()) await s.stop()
  })

  for (const name of LEAVES) {
    for (const protocol of ['ldaps', 'starttls'] as const) {
      it(`${name} via ${protocol}`, async () => {
        const s = servers.get(name)!
        const anchors = [pki.root.certPem]
        const probe = await probeTls({
          protocol,
          connectTo: s.host,
          port: protocol === 'ldaps' ? s.ldapsPort : s.ldapPort,
          peer: TEST_DOMAIN,
          trustAnchorsPem: anchors
        })
        assert.match(probe.tlsVersion, /^TLSv1\.[23]$/)
        assert.equal(probe.served.length, name === 'noIntermediate' || name === 'selfSigned' ? 1 : 2)
        assert.equal(probe.servedFrom, 'handshake')
        assert.deepEqual(probe.ldap, { namingContexts: [SUFFIX], supportedLDAPVersion: ['3'] })
        assertVerdict(name, verdictOf(probe, anchors))
      })
    }
  }

  it('trusts the self-signed certificate once its public part is in ca-certificate', async () => {
    const s = servers.get('selfSigned')!
    const anchors = [pki.leaves.selfSigned.leaf.certPem]
    for (const [protocol, port] of [
      ['ldaps', s.ldapsPort],
      ['starttls', s.ldapPort]
    ] as const) {
      const probe = await probeTls({ protocol, connectTo: s.host, port, peer: TEST_DOMAIN, trustAnchorsPem: anchors })
      const verdict = verdictOf(probe, anchors)
      assert.equal(verdict.trusted, true, verdict.findings.map(f => f.problem).join('\n'))
      assert.equal(probe.node.authorized, true)
    }
  })

  it('reports the served chain even when the intermediate is trusted locally', async () => {
    // With the intermediate in the trust store, getPeerCertificate(true) would show a complete
    // chain; the probe must still see that only the leaf was sent.
    const s = servers.get('noIntermediate')!
    const probe = await probeTls({
      protocol: 'ldaps',
      connectTo: s.host,
      port: s.ldapsPort,
      peer: TEST_DOMAIN,
      trustAnchorsPem: [pki.root.certPem, pki.intermediate.certPem]
    })
    assert.equal(probe.served.length, 1)
  })

  it('names the likely mix-up when the protocol does not match the port', async () => {
    const s = servers.get('good')!
    const quick = { connectMs: 2_000, startTlsMs: 2_000, handshakeMs: 2_000, ldapMs: 2_000 }
    await assert.rejects(
      probeTls({
        protocol: 'ldaps',
        connectTo: s.host,
        port: s.ldapPort,
        peer: TEST_DOMAIN,
        trustAnchorsPem: [],
        timeouts: quick
      }),
      (e: unknown) => e instanceof ProbeError && e.phase === 'TLS handshake' && /use protocol starttls/.test(e.message)
    )
    await assert.rejects(
      probeTls({
        protocol: 'starttls',
        connectTo: s.host,
        port: s.ldapsPort,
        peer: TEST_DOMAIN,
        trustAnchorsPem: [],
        timeouts: quick
      }),
      (e: unknown) => e instanceof ProbeError && e.phase === 'StartTLS' && /use protocol ldaps/.test(e.message)
    )
  })

  it('fails clearly when StartTLS is refused', async () => {
    const plain = await startSlapd({})
    try {
      await assert.rejects(
        probeTls({
          protocol: 'starttls',
          connectTo: plain.host,
          port: plain.ldapPort,
          peer: TEST_DOMAIN,
          trustAnchorsPem: []
        }),
        (error: unknown) =>
          error instanceof ProbeError &&
          error.phase === 'StartTLS' &&
          /StartTLS was refused: .*LDAP result code 2/.test(error.message)
      )
    } finally {
      await plain.stop()
    }
  })
})

describe('probe with protocol tls against a Node TLS server', () => {
  for (const name of LEAVES) {
    it(`${name}`, async t => {
      const { chainPem, leaf } = pki.leaves[name]
      // SECLEVEL=0 so the server can present the weak certificates; the client judges them.
      const server = tls.createServer({ cert: chainPem, key: leaf.keyPem, ciphers: 'DEFAULT:@SECLEVEL=0' })
      await new Promise<void>(resolve => server.listen(0, '127.0.4.2', resolve))
      t.after(() => server.close())
      const anchors = [pki.root.certPem]
      const probe = await probeTls({
        protocol: 'tls',
        connectTo: '127.0.4.2',
        port: (server.address() as net.AddressInfo).port,
        peer: TEST_DOMAIN,
        trustAnchorsPem: anchors
      })
      assert.equal(probe.ldap, undefined)
      assertVerdict(name, verdictOf(probe, anchors))
    })
  }

  it('captures the served chain of a TLS 1.3-only server from a linked connection', async t => {
    const { chainPem, leaf } = pki.leaves.noIntermediate
    const server = tls.createServer({ cert: chainPem, key: leaf.keyPem, minVersion: 'TLSv1.3' })
    await new Promise<void>(resolve => server.listen(0, '127.0.4.2', resolve))
    t.after(() => server.close())
    const probe = await probeTls({
      protocol: 'tls',
      connectTo: '127.0.4.2',
      port: (server.address() as net.AddressInfo).port,
      peer: TEST_DOMAIN,
      trustAnchorsPem: [pki.root.certPem, pki.intermediate.certPem]
    })
    assert.equal(probe.tlsVersion, 'TLSv1.3')
    assert.equal(probe.servedFrom, 'linked')
    assert.equal(probe.served.length, 1)
  })
})

describe('probe failures name the phase', () => {
  const quick = { connectMs: 2_000, startTlsMs: 1_000, handshakeMs: 1_000, ldapMs: 1_000 }
  // A probe of 127.0.4.3:port over LDAPS with the short timeouts, trusting nothing unless told.
  const probeLocal = (port: number, options: Partial<Parameters<typeof probeTls>[0]> = {}) =>
    probeTls({
      protocol: 'ldaps',
      connectTo: '127.0.4.3',
      port,
      peer: TEST_DOMAIN,
      trustAnchorsPem: [],
      timeouts: quick,
      ...options
    })

  it('port closed', async () => {
    const port = await new Promise<number>(resolve => {
      const s = net.createServer().listen(0, '127.0.4.3', () => {
        const p = (s.address() as net.AddressInfo).port
        s.close(() => resolve(p))
      })
    })
    await assert.rejects(
      probeLocal(port),
      // Refused counts as unanswered: certificate-source auto may then judge the uploaded certificate.
      (e: unknown) =>
        e instanceof ProbeError && e.phase === 'connect' && /connection refused/.test(e.message) && e.unanswered
    )
  })

  it('port filtered (the SYN is dropped): no answer, unanswered', async t => {
    const filtered = await startSilentPort('127.0.45.2')
    t.after(() => filtered.stop())
    await assert.rejects(
      probeTls({
        protocol: 'ldaps',
        connectTo: filtered.host,
        port: filtered.port,
        peer: TEST_DOMAIN,
        trustAnchorsPem: [],
        timeouts: { connectMs: 500 }
      }),
      (e: unknown) =>
        e instanceof ProbeError &&
        e.phase === 'connect' &&
        /got no answer within 0\.5 s/.test(e.message) &&
        e.unanswered
    )
  })

  for (const protocol of ['ldaps', 'starttls', 'tls'] as const) {
    it(`server accepts and stays silent (${protocol})`, async t => {
      const sockets: net.Socket[] = []
      const server = net.createServer(s => sockets.push(s))
      await new Promise<void>(resolve => server.listen(0, '127.0.4.3', resolve))
      t.after(() => {
        for (const s of sockets) s.destroy()
        server.close()
      })
      const port = (server.address() as net.AddressInfo).port
      await assert.rejects(
        probeLocal(port, { protocol }),
        (e: unknown) =>
          e instanceof ProbeError &&
          e.phase === (protocol === 'starttls' ? 'StartTLS' : 'TLS handshake') &&
          /within 1 s/.test(e.message) &&
          // A server that answered the connection is there: not "unanswered", no fallback.
          !e.unanswered
      )
    })
  }

  it('server resets the connection after the ClientHello', async t => {
    const server = net.createServer(s => s.once('data', () => s.resetAndDestroy()))
    await new Promise<void>(resolve => server.listen(0, '127.0.4.3', resolve))
    t.after(() => server.close())
    const port = (server.address() as net.AddressInfo).port
    await assert.rejects(
      probeLocal(port),
      (e: unknown) => e instanceof ProbeError && e.phase === 'TLS handshake' && /reset the connection/.test(e.message)
    )
  })

  it('TLS works but nothing LDAP answers behind it', async t => {
    const { chainPem, leaf } = pki.leaves.good
    const server = tls.createServer({ cert: chainPem, key: leaf.keyPem }, () => undefined)
    await new Promise<void>(resolve => server.listen(0, '127.0.4.3', resolve))
    t.after(() => server.close())
    const probe = await probeLocal((server.address() as net.AddressInfo).port, {
      trustAnchorsPem: [pki.root.certPem]
    })
    assert.equal(probe.ldap, undefined)
    assert.match(probe.ldapError ?? '', /root DSE read got no answer within 1 s/)
  })
})
