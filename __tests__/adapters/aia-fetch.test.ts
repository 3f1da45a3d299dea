// adapters/aia-fetch.ts against a real HTTP AIA stand-in on 127.0.45.3: the formats CAs publish
// (DER, PKCS#7 from openssl, PEM), redirects, and every bound (size, redirects, time, hops,
// count, schemes) ending the walk with a line that says why.

import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { fetchIssuers } from '../../src/adapters/aia-fetch.ts'
import { parseCertificate, type ParsedCertificate } from '../../src/core/x509.ts'
import { derOf, pkcs7Of, startAiaServer, type AiaServer } from '../helpers/aia-server.ts'
import { issue, type Issued } from '../helpers/test-pki.ts'

let aia: AiaServer
let root: Issued
let ca1: Issued
let ca2: Issued

const parsed = (i: Issued): ParsedCertificate => parseCertificate(i.certPem)
const subjects = (ders: readonly Buffer[]): string[] => ders.map(d => parseCertificate(d).subject)
/** A leaf under ca2 (under ca1, under root) whose AIA says `path`. */
const leafAt = (path: string): ParsedCertificate =>
  parsed(
    issue({
      commonName: 'leaf.example.org',
      issuer: ca2,
      dnsNames: ['leaf.example.org'],
      caIssuers: [`${aia.url}${path}`]
    })
  )
const endsAtRoot = { endsHere: (c: ParsedCertificate) => c.issuer === parsed(root).subject }

before(async () => {
  aia = await startAiaServer('127.0.45.3')
  root = issue({ commonName: 'AIA Test Root', ca: true })
  ca1 = issue({ commonName: 'AIA Test CA 1', ca: true, issuer: root })
  ca2 = issue({ commonName: 'AIA Test CA 2', ca: true, issuer: ca1, caIssuers: [`${aia.url}/ca1.pem`] })
})
after(() => aia.close())
beforeEach(() => {
  aia.requests.length = 0
  aia.routes.clear()
  aia.routes.set('/ca1.pem', { body: Buffer.from(ca1.certPem), type: 'application/x-pem-file' })
})

describe('fetchIssuers', () => {
  it('follows two hops (DER, then PEM) and stops below the anchor', async () => {
    aia.routes.set('/ca2.cer', { body: derOf(ca2.certPem), type: 'application/pkix-cert' })
    const got = await fetchIssuers(leafAt('/ca2.cer'), endsAtRoot)
    assert.deepEqual(subjects(got.certificates), [parsed(ca2).subject, parsed(ca1).subject])
    assert.deepEqual(aia.requests, ['/ca2.cer', '/ca1.pem'])
  })

  it('reads a PKCS#7 certs-only bundle behind redirects', async () => {
    aia.routes.set('/a', '/b')
    aia.routes.set('/b', '/ca2.p7c')
    aia.routes.set('/ca2.p7c', { body: pkcs7Of(ca2.certPem), type: 'application/pkcs7-mime' })
    const got = await fetchIssuers(leafAt('/a'), endsAtRoot)
    assert.deepEqual(subjects(got.certificates), [parsed(ca2).subject, parsed(ca1).subject])
  })

  it('bounds: a redirect loop, an oversized answer, a stalled server, a 404, a non-HTTP scheme', async () => {
    aia.routes.set('/loop', '/loop')
    assert.match((await fetchIssuers(leafAt('/loop'), endsAtRoot)).log.join('\n'), /more than 3 redirects/)
    assert.equal(aia.requests.length, 4)

    aia.routes.set('/big', { body: Buffer.alloc(70 * 1024, 0x30), type: 'application/pkix-cert' })
    assert.match((await fetchIssuers(leafAt('/big'), endsAtRoot)).log.join('\n'), /larger than 65536 bytes/)

    aia.routes.set('/stall', 'stall')
    const stalled = await fetchIssuers(leafAt('/stall'), { ...endsAtRoot, limits: { timeoutMs: 300 } })
    assert.match(stalled.log.join('\n'), /no (complete )?answer within 0\.3 s/)

    assert.match((await fetchIssuers(leafAt('/missing'), endsAtRoot)).log.join('\n'), /HTTP 404/)

    const ldap = parsed(issue({ commonName: 'x', issuer: ca2, caIssuers: ['ldap:///CN=CA,CN=AIA?cACertificate'] }))
    assert.match((await fetchIssuers(ldap, endsAtRoot)).log.join('\n'), /ldap: URLs are not fetched/)
  })

  it('bounds: hops and certificates', async () => {
    aia.routes.set('/ca2.cer', { body: derOf(ca2.certPem), type: 'application/pkix-cert' })
    const oneHop = await fetchIssuers(leafAt('/ca2.cer'), { ...endsAtRoot, limits: { maxHops: 1 } })
    assert.deepEqual(subjects(oneHop.certificates), [parsed(ca2).subject])
    const oneCert = await fetchIssuers(leafAt('/ca2.cer'), { ...endsAtRoot, limits: { maxCertificates: 1 } })
    assert.deepEqual(subjects(oneCert.certificates), [parsed(ca2).subject])
  })

  it('a body that is no certificate is said to be so', async () => {
    aia.routes.set('/html', { body: Buffer.from('<html>not here</html>'), type: 'text/html' })
    assert.match(
      (await fetchIssuers(leafAt('/html'), endsAtRoot)).log.join('\n'),
      /neither a DER certificate, a PKCS#7 bundle nor PEM/
    )
  })
})
