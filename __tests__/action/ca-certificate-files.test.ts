// ca-certificate given as a path, through the bundled action (dist/index.js) as a runner runs it:
// /dev/zero, a FIFO without a writer, a directory and an oversized file are refused by name before
// any network I/O, and a 300 KB bundle of CA certificates (the real root among ~270 others) is read
// and trusted against a real slapd. "No network I/O" is proved by stand-ins on 127.0.6.1 that the
// inputs point every server at (DNS over UDP and TCP, the certificate probe) and that count what
// reaches them. Needs `npm run build` first.

import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto'
import { createSocket } from 'node:dgram'
import { mkdirSync, mkdtempSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { requireBundle } from '../helpers/stand-ins.ts'
import forge from 'node-forge'
import { runAction } from '../helpers/run-action.ts'
import { startSlapd, type Slapd } from '../helpers/slapd.ts'
import { createTestPki, TEST_DOMAIN } from '../helpers/test-pki.ts'

const ROOT = new URL('../../', import.meta.url).pathname
const STAND_IN = '127.0.6.1'

/**
 * `count` self-signed CA certificates sharing one RSA key (fast: forge builds each certificate,
 * Node's native crypto signs it), each with its own subject, serial and validity.
 */
function caBundle(count: number): string {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const forgeKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString())
  const signer = createPrivateKey(privateKey.export({ type: 'pkcs8', format: 'pem' }))
  const pems: string[] = []
  for (let i = 0; i < count; i++) {
    const cert = forge.pki.createCertificate()
    cert.publicKey = forgeKey
    cert.serialNumber = (0x200000 + i).toString(16)
    cert.validity.notBefore = new Date(Date.now() - 86_400_000)
    cert.validity.notAfter = new Date(Date.now() + 3650 * 86_400_000)
    const subject = [
      { name: 'organizationName', value: `Bundle Test Authority ${i}` },
      { name: 'commonName', value: `Bundle Test Root CA ${i}` }
    ]
    cert.setSubject(subject)
    cert.setIssuer(subject)
    cert.setExtensions([
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      { name: 'subjectKeyIdentifier' }
    ])
    cert.siginfo.algorithmOid = forge.pki.oids['sha256WithRSAEncryption']!
    cert.signatureOid = cert.siginfo.algorithmOid
    // getTBSCertificate is public in node-forge but missing from its type declarations.
    const tbs = (
      forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }
    ).getTBSCertificate(cert)
    ;(cert as unknown as { tbsCertificate: forge.asn1.Asn1 }).tbsCertificate = tbs
    const signature = sign('sha256', Buffer.from(forge.asn1.toDer(tbs).getBytes(), 'binary'), signer)
    cert.signature = signature.toString('binary')
    pems.push(forge.pki.certificateToPem(cert))
  }
  return pems.join('')
}

/** Counts every UDP datagram and TCP connection that reaches STAND_IN:port. */
async function startCounter(): Promise<{ port: number; count(): number; stop(): Promise<void> }> {
  let count = 0
  const tcp = net.createServer(socket => {
    count++
    socket.destroy()
  })
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject)
    tcp.listen(0, STAND_IN, () => resolve())
  })
  const port = (tcp.address() as net.AddressInfo).port
  const udp = createSocket('udp4')
  udp.on('message', () => count++)
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject)
    udp.bind(port, STAND_IN, () => resolve())
  })
  return {
    port,
    count: () => count,
    stop: async () => {
      await new Promise<void>(resolve => tcp.close(() => resolve()))
      await new Promise<void>(resolve => udp.close(() => resolve()))
    }
  }
}

describe('bundled action: ca-certificate as a path', () => {
  before(requireBundle) // CI builds dist/ (and it is committed): a missing bundle fails, never skips
  const dir = mkdtempSync(join(tmpdir(), 'ca-files-'))
  let counter: Awaited<ReturnType<typeof startCounter>>

  before(async () => {
    counter = await startCounter()
  })
  after(async () => {
    await counter.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  /** Every server input points at the counter: any DNS or TLS traffic would be counted. */
  const busyInputs = (caCertificate: string): Record<string, string> => ({
    domain: TEST_DOMAIN,
    ip: '20.30.40.50',
    provider: 'rfc2136',
    'rfc2136-server': `${STAND_IN}:${counter.port}`,
    resolver: `${STAND_IN}:${counter.port}`,
    nameservers: `${STAND_IN}:${counter.port}`,
    'wait-for-propagation': 'true',
    'propagation-timeout': '5',
    'connect-to': STAND_IN,
    port: String(counter.port),
    'ca-certificate': caCertificate
  })

  const refused: [string, () => string, RegExp][] = [
    ['/dev/zero', () => '/dev/zero', /input "ca-certificate": "\/dev\/zero" is a character device, not a regular file/],
    [
      'a FIFO without a writer',
      () => {
        const fifo = join(dir, 'ca.fifo')
        execFileSync('mkfifo', [fifo])
        return fifo
      },
      /input "ca-certificate": ".*ca\.fifo" is a FIFO \(named pipe\), not a regular file/
    ],
    ['a directory', () => dir, /input "ca-certificate": ".*" is a directory, not a file/],
    [
      'a 2 MiB file',
      () => {
        const big = join(dir, 'big.pem')
        writeFileSync(big, '')
        truncateSync(big, 2 * 1024 * 1024)
        return big
      },
      /input "ca-certificate": ".*big\.pem" is 2 MiB \(2097152 bytes\), more than the 1 MiB a CA file may have/
    ],
    [
      'a missing relative path',
      () => 'certs/ldaps-ca.pem',
      /no file at "certs\/ldaps-ca\.pem" \(a relative path is resolved from the workspace, GITHUB_WORKSPACE: check the repository out first with actions\/checkout/
    ]
  ]

  for (const [label, makePath, message] of refused) {
    it(`refuses ${label} by name, before any network I/O, without hanging`, async () => {
      const path = makePath()
      const before = counter.count()
      const run = await runAction(busyInputs(path), { timeoutMs: 60_000 })
      assert.equal(run.exitCode, 1, run.stdout + run.stderr)
      assert.match(run.stdout, message)
      assert.match(
        run.stdout,
        /give the path of a regular PEM or DER file, or the PEM text itself|give the PEM text itself/
      )
      assert.equal(run.report.outcome, 'failure')
      assert.deepEqual(
        run.report.findings.map((f: { step: string }) => f.step),
        ['inputs']
      )
      assert.equal(counter.count(), before, 'the action sent traffic before refusing the input')
      assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace')
    })
  }

  it('the counter does count: a run with a valid certificate reaches it', async () => {
    const before = counter.count()
    const run = await runAction({ ...busyInputs(''), 'propagation-timeout': '1' }, { timeoutMs: 60_000 })
    assert.equal(run.exitCode, 1)
    assert.ok(counter.count() > before, 'no traffic reached the stand-in')
  })

  describe('a 300 KB bundle of CA certificates', () => {
    const pki = createTestPki()
    let slapd: Slapd
    let bundlePath: string
    before(async () => {
      const others = caBundle(270)
      const middle = others.indexOf('-----BEGIN CERTIFICATE-----', Math.floor(others.length / 2))
      const bundle = others.slice(0, middle) + pki.root.certPem + others.slice(middle)
      // Under the working directory, given as a relative path, as a checked-out file would be.
      mkdirSync(join(ROOT, '.tmp'), { recursive: true })
      const file = join(mkdtempSync(join(ROOT, '.tmp', 'ca-bundle-')), 'ca-bundle.pem')
      writeFileSync(file, bundle)
      bundlePath = relative(process.cwd(), file)
      const { chainPem, leaf } = pki.leaves.good
      slapd = await startSlapd({ chainPem, keyPem: leaf.keyPem })
    })
    after(async () => {
      await slapd.stop()
      rmSync(join(bundlePath, '..'), { recursive: true, force: true })
    })

    it('is read and trusted against a real slapd', async () => {
      const size = statSync(bundlePath).size
      assert.ok(size >= 300 * 1024 && size <= 1024 * 1024, `bundle is ${size} bytes`)
      const run = await runAction(
        {
          domain: TEST_DOMAIN,
          ip: '20.30.40.50',
          provider: 'none',
          'wait-for-propagation': 'false',
          'connect-to': slapd.host,
          port: String(slapd.ldapsPort),
          'ca-certificate': bundlePath
        },
        { timeoutMs: 90_000 }
      )
      assert.equal(run.exitCode, 0, run.stdout + run.stderr)
      assert.equal(run.outputs['certificate-trusted'], 'true')
      assert.equal(run.report.outcome, 'success')
    })
  })
})
