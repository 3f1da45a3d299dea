// Pebble, Let's Encrypt's ACME test CA (Debian package `pebble`), for the renewal tests: a real
// RFC 8555 server that validates DNS-01 by asking the DNS server given with -dnsserver (the
// tests' own BIND primary, so the TXT values the action writes are what it sees). Its HTTPS
// listener certificate is made here with openssl (a throwaway CA; give `caFile` to the action as
// NODE_EXTRA_CA_CERTS). PEBBLE_VA_NOSLEEP=1 (no random 0–15 s validation delay) and
// PEBBLE_AUTHZREUSE=0 (every order validates afresh). Stopped by its pid.
//
//   const pebble = await startPebble({ address: '127.0.55.20', dnsServer: '127.0.55.1:53' })
//   // action: acme-directory pebble.directoryUrl, env NODE_EXTRA_CA_CERTS pebble.caFile
//   const rootPem = await pebble.rootPem()   // the issuing root, new on every start
//   await pebble.stop()

import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import https from 'node:https'
import net from 'node:net'
import { ensureLoopbackAddress } from './bind.ts'

export const PEBBLE = process.env['PEBBLE_PATH'] ?? '/usr/bin/pebble'

export interface PebbleOptions {
  /** Loopback address of the ACME and management listeners. */
  readonly address: string
  readonly port?: number
  readonly managementPort?: number
  /** host:port of the DNS server Pebble's validation asks. */
  readonly dnsServer: string
  /** Lifetime of issued certificates, seconds (Pebble 2.4's default is 5 years). */
  readonly validitySeconds?: number
  /** Percentage of nonces rejected with badNonce (Pebble's default 5; 0 here unless given). */
  readonly nonceRejectPercent?: number
  /** When set, accounts need this external account binding (kid → base64url HMAC key). */
  readonly eab?: { readonly kid: string; readonly hmacKey: string }
}

export interface Pebble {
  readonly directoryUrl: string
  readonly managementUrl: string
  /** The listener's CA, a PEM file (NODE_EXTRA_CA_CERTS for whoever talks to Pebble). */
  readonly caFile: string
  /** The root that signs issued certificates (management /roots/0). */
  rootPem(): Promise<string>
  /** Everything Pebble wrote so far. */
  log(): string
  stop(): Promise<void>
}

export async function startPebble(options: PebbleOptions): Promise<Pebble> {
  await ensureLoopbackAddress(options.address)
  const dir = mkdtempSync(join(tmpdir(), 'pebble-'))
  const port = options.port ?? 14000
  const managementPort = options.managementPort ?? 15000
  // The listener's certificate: a CA made for this run, and a leaf for the listener's address.
  const openssl = (...args: string[]): void => void execFileSync('openssl', args, { stdio: 'pipe', timeout: 30_000 })
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2',
    '-subj', '/CN=Pebble listener test CA', '-keyout', join(dir, 'ca.key'), '-out', join(dir, 'ca.pem'),
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign') // prettier-ignore
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=pebble',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'req.csr')) // prettier-ignore
  writeFileSync(
    join(dir, 'ext.cnf'),
    `subjectAltName=IP:${options.address},DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`
  )
  openssl('x509', '-req', '-in', join(dir, 'req.csr'), '-CA', join(dir, 'ca.pem'), '-CAkey', join(dir, 'ca.key'),
    '-CAcreateserial', '-days', '2', '-extfile', join(dir, 'ext.cnf'), '-out', join(dir, 'cert.pem')) // prettier-ignore
  const config = {
    pebble: {
      listenAddress: `${options.address}:${port}`,
      managementListenAddress: `${options.address}:${managementPort}`,
      certificate: join(dir, 'cert.pem'),
      privateKey: join(dir, 'key.pem'),
      // Unused (DNS-01 only); ports no one listens on.
      httpPort: 5002,
      tlsPort: 5001,
      ocspResponderURL: '',
      externalAccountBindingRequired: options.eab !== undefined,
      ...(options.eab === undefined ? {} : { externalAccountMACKeys: { [options.eab.kid]: options.eab.hmacKey } }),
      certificateValidityPeriod: options.validitySeconds ?? 45 * 86_400
    }
  }
  writeFileSync(join(dir, 'pebble.json'), JSON.stringify(config))
  const child: ChildProcess = spawn(PEBBLE, ['-config', join(dir, 'pebble.json'), '-dnsserver', options.dnsServer], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env['PATH'] ?? '',
      PEBBLE_VA_NOSLEEP: '1',
      PEBBLE_AUTHZREUSE: '0',
      PEBBLE_WFE_NONCEREJECT: String(options.nonceRejectPercent ?? 0)
    }
  })
  let log = ''
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()))
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()))
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      process.kill(child.pid, 'SIGTERM')
      const timer = setTimeout(
        () => child.pid !== undefined && child.exitCode === null && process.kill(child.pid, 'SIGKILL'),
        5_000
      )
      await exited
      clearTimeout(timer)
    }
    rmSync(dir, { recursive: true, force: true })
  }
  const caFile = join(dir, 'ca.pem')
  const ca = readFileSync(caFile, 'utf8')
  try {
    await waitForListener(options.address, port, 15_000, () => child.exitCode !== null)
    await waitForListener(options.address, managementPort, 15_000, () => child.exitCode !== null)
  } catch (error) {
    await stop()
    throw new Error(`pebble did not start: ${(error as Error).message}\n${log}`, { cause: error })
  }
  const managementUrl = `https://${options.address}:${managementPort}`
  return {
    directoryUrl: `https://${options.address}:${port}/dir`,
    managementUrl,
    caFile,
    rootPem: () => getText(`${managementUrl}/roots/0`, ca),
    log: () => log,
    stop
  }
}

function getText(url: string, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = https.get(url, { ca, timeout: 10_000 }, response => {
      let body = ''
      response.on('data', (d: Buffer) => (body += d.toString()))
      response.on('end', () =>
        response.statusCode === 200 ? resolve(body) : reject(new Error(`${url}: ${response.statusCode} ${body}`))
      )
    })
    request.on('timeout', () => request.destroy(new Error(`${url}: no answer in 10 s`)))
    request.on('error', reject)
  })
}

async function waitForListener(host: string, port: number, ms: number, dead: () => boolean): Promise<void> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (dead()) throw new Error('pebble exited')
    const ok = await new Promise<boolean>(resolve => {
      const socket = net.connect({ host, port })
      socket.once('connect', () => {
        socket.destroy()
        resolve(true)
      })
      socket.once('error', () => resolve(false))
    })
    if (ok) return
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  throw new Error(`nothing listened on ${host}:${port} within ${ms} ms`)
}
