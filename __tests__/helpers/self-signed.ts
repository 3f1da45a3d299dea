// A throwaway self-signed certificate made with the openssl CLI, for tests that need just one
// parseable certificate (not a PKI: the certificate tests build their own).

import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

let cached: string | undefined

export function ownCertificatePem(): string {
  if (cached !== undefined) return cached
  const dir = mkdtempSync(join(tmpdir(), 'self-signed-'))
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=ldaps.contoso100.com',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem')
      ],
      { stdio: 'ignore' }
    )
    cached = readFileSync(join(dir, 'cert.pem'), 'utf8')
    return cached
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

let cachedPfx: Buffer | undefined

/**
 * A PFX (PKCS #12) as `openssl pkcs12 -export` makes it (password "test"): the kind of file a
 * user downloads for Entra DS secure LDAP and may paste as ca-certificate by mistake.
 */
export function ownCertificatePfx(): Buffer {
  if (cachedPfx !== undefined) return cachedPfx
  const dir = mkdtempSync(join(tmpdir(), 'self-signed-pfx-'))
  try {
    const [key, cert, pfx] = ['key.pem', 'cert.pem', 'ldaps.pfx'].map(name => join(dir, name)) as [
      string,
      string,
      string
    ]
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2'].concat([
        '-subj',
        '/CN=ldaps.contoso100.com',
        '-keyout',
        key,
        '-out',
        cert
      ]),
      { stdio: 'ignore' }
    )
    execFileSync('openssl', ['pkcs12', '-export', '-inkey', key, '-in', cert, '-out', pfx, '-passout', 'pass:test'], {
      stdio: 'ignore'
    })
    cachedPfx = readFileSync(pfx)
    return cachedPfx
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
