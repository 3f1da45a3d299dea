// A throwaway certificate authority and server certificates for the local Azure stand-ins
// (ARM, Microsoft Entra, GitHub's ID-token service), made with the openssl CLI per test run. The
// Azure SDK refuses to send a bearer token over plain HTTP, so the stand-ins must speak HTTPS.

import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import tls from 'node:tls'

export interface TestPki {
  readonly dir: string
  /** PEM of the CA: trust it with NODE_EXTRA_CA_CERTS (child) or trustTestCa (this process). */
  readonly caPem: string
  readonly caFile: string
  /** Key and certificate for a server on the given addresses. */
  issue(ips: readonly string[]): { key: string; cert: string }
  dispose(): void
}

export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'azure-pki-'))
  const openssl = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' })
  openssl(
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=ldaps-dns-action test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'
  ) // prettier-ignore
  let serial = 0
  return {
    dir,
    caPem: readFileSync(join(dir, 'ca.pem'), 'utf8'),
    caFile: join(dir, 'ca.pem'),
    issue(ips) {
      serial++
      const ext = join(dir, `leaf${serial}.ext`)
      writeFileSync(
        ext,
        [
          'basicConstraints=critical,CA:FALSE',
          'keyUsage=critical,digitalSignature',
          'extendedKeyUsage=serverAuth',
          `subjectAltName=${ips.map(ip => `IP:${ip}`).join(',')}`
        ].join('\n')
      )
      openssl(
        'req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
        '-keyout', `leaf${serial}.key`, '-out', `leaf${serial}.csr`, '-subj', `/CN=${ips[0]}`
      ) // prettier-ignore
      openssl(
        'x509', '-req', '-in', `leaf${serial}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
        '-out', `leaf${serial}.pem`, '-days', '2', '-extfile', ext
      ) // prettier-ignore
      return {
        key: readFileSync(join(dir, `leaf${serial}.key`), 'utf8'),
        cert: readFileSync(join(dir, `leaf${serial}.pem`), 'utf8')
      }
    },
    dispose() {
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

/**
 * Adds the test CA to this process's default trust (what NODE_EXTRA_CA_CERTS does for a child
 * process), so the SDKs' own HTTPS agents accept the stand-ins. Returns the undo.
 */
export function trustTestCa(caPem: string): () => void {
  const before = tls.getCACertificates('default')
  tls.setDefaultCACertificates([...before, caPem])
  return () => tls.setDefaultCACertificates(before)
}
