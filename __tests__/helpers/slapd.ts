// A real OpenLDAP slapd per certificate: LDAPS and plain LDAP (StartTLS) listeners on a loopback
// address, a temp slapd.conf and an mdb database holding one suffix, so the root DSE has a
// namingContexts value. Started and stopped by the tests; every wait is bounded.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describePortHolders, portHolders } from './port-owner.ts'

export const SLAPD_HOST = '127.0.4.1'
export const SUFFIX = 'dc=contoso100,dc=com'

export interface Slapd {
  readonly host: string
  readonly ldapsPort: number
  readonly ldapPort: number
  stop(): Promise<void>
  /** What slapd wrote to stderr so far (with `statsLog`, its connection and operation lines). */
  log(): string
}

/** A simple-bind account loaded with `bindAccount` (a person entry under the suffix). */
export const BIND_DN = `cn=svc-ldap,${SUFFIX}`
export const BIND_PASSWORD = 'S3cret-Bind-Pa55word!'

export interface SlapdOptions {
  /** Leaf first, then intermediates; undefined = no TLS at all (StartTLS is refused). */
  readonly chainPem?: string
  readonly keyPem?: string
  readonly host?: string
  /**
   * Load the suffix entry and a person `cn=svc-ldap` with userPassword `BIND_PASSWORD` (slapadd),
   * so simple binds and base searches of the suffix work.
   */
  readonly bindAccount?: boolean
  /** Run slapd with loglevel stats: every connection, BIND and SEARCH appears in log(). */
  readonly statsLog?: boolean
}

export async function startSlapd(options: SlapdOptions): Promise<Slapd> {
  const host = options.host ?? SLAPD_HOST
  const dir = mkdtempSync(join(tmpdir(), 'cert-slapd-'))
  mkdirSync(join(dir, 'db'))
  const tls: string[] = []
  if (options.chainPem !== undefined && options.keyPem !== undefined) {
    writeFileSync(join(dir, 'chain.pem'), options.chainPem)
    writeFileSync(join(dir, 'key.pem'), options.keyPem, { mode: 0o600 })
    tls.push(`TLSCertificateFile ${join(dir, 'chain.pem')}`, `TLSCertificateKeyFile ${join(dir, 'key.pem')}`)
  }
  writeFileSync(
    join(dir, 'slapd.conf'),
    [
      'include /etc/ldap/schema/core.schema',
      `pidfile ${join(dir, 'slapd.pid')}`,
      'modulepath /usr/lib/ldap',
      'moduleload back_mdb',
      ...tls,
      'database mdb',
      'maxsize 10485760',
      `suffix "${SUFFIX}"`,
      `directory ${join(dir, 'db')}`,
      ''
    ].join('\n')
  )
  if (options.bindAccount === true) {
    const ldif = join(dir, 'data.ldif')
    writeFileSync(
      ldif,
      [
        `dn: ${SUFFIX}`,
        'objectClass: dcObject',
        'objectClass: organization',
        'dc: contoso100',
        'o: Contoso',
        '',
        `dn: ${BIND_DN}`,
        'objectClass: person',
        'cn: svc-ldap',
        'sn: Service',
        `userPassword: ${BIND_PASSWORD}`,
        ''
      ].join('\n')
    )
    execFileSync('/usr/sbin/slapadd', ['-f', join(dir, 'slapd.conf'), '-l', ldif], { stdio: 'pipe', timeout: 30_000 })
  }
  const ldapsPort = await freePort(host)
  const ldapPort = await freePort(host)
  const urls = [...(tls.length > 0 ? [`ldaps://${host}:${ldapsPort}/`] : []), `ldap://${host}:${ldapPort}/`]
  const child: ChildProcess = spawn(
    '/usr/sbin/slapd',
    ['-d', options.statsLog === true ? 'stats' : '0', '-f', join(dir, 'slapd.conf'), '-h', urls.join(' ')],
    {
      stdio: ['ignore', 'ignore', 'pipe']
    }
  )
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()))
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
      await exited
      clearTimeout(timer)
    }
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    await waitForPort(host, ldapPort, 10_000, () => child.exitCode !== null)
    if (tls.length > 0) await waitForPort(host, ldapsPort, 10_000, () => child.exitCode !== null)
  } catch (error) {
    // The ports were free a moment ago (freePort); name whoever took one since, if anyone did.
    const holders = [ldapPort, ...(tls.length > 0 ? [ldapsPort] : [])].flatMap(p =>
      portHolders(host, p, ['tcp']).filter(h => h.pid !== child.pid)
    )
    await stop()
    const taken = holders.length > 0 ? ` (${describePortHolders(holders)})` : ''
    throw new Error(`slapd did not start: ${(error as Error).message}${taken}\n${stderr}`, { cause: error })
  }
  return { host, ldapsPort, ldapPort, stop, log: () => stderr }
}

export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

async function waitForPort(host: string, port: number, ms: number, dead: () => boolean): Promise<void> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (dead()) throw new Error('slapd exited')
    const ok = await new Promise<boolean>(resolve => {
      const s = net.connect({ host, port })
      s.once('connect', () => {
        s.destroy()
        resolve(true)
      })
      s.once('error', () => resolve(false))
    })
    if (ok) return
    await new Promise(r => setTimeout(r, 50))
  }
  throw new Error(`nothing listened on ${host}:${port} within ${ms} ms`)
}
