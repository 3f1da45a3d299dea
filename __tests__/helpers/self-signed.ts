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
