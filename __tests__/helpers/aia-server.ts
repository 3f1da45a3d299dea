// An AIA caIssuers stand-in: plain HTTP serving CA certificates as a CA does (RFC 5280 4.2.2.1):
// DER (application/pkix-cert) or a PKCS#7 certs-only bundle (application/pkcs7-mime) made by
// `openssl crl2pkcs7`, optionally behind a redirect, and counting the requests.

import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ensureLoopbackAddress } from './bind.ts'
import { pemChainToDer } from './test-pki.ts'

export interface AiaServer {
  readonly url: string
  /** Paths requested, in order. */
  readonly requests: string[]
  /** path → body and content type; a string is a redirect to that path; stall: headers, then silence. */
  readonly routes: Map<string, { body: Buffer; type: string } | string | 'stall'>
  close(): Promise<void>
}

export function derOf(pem: string): Buffer {
  return pemChainToDer(pem)[0]!
}

/** A PKCS#7 certs-only bundle (DER) of the PEM certificates, by openssl. */
export function pkcs7Of(pem: string): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'aia-'))
  writeFileSync(join(dir, 'certs.pem'), pem)
  return execFileSync('openssl', ['crl2pkcs7', '-nocrl', '-certfile', join(dir, 'certs.pem'), '-outform', 'DER'])
}

export async function startAiaServer(host: string): Promise<AiaServer> {
  await ensureLoopbackAddress(host)
  const requests: string[] = []
  const routes: AiaServer['routes'] = new Map()
  const server = http.createServer((request, response) => {
    const path = request.url ?? '/'
    requests.push(path)
    const route = routes.get(path)
    if (route === undefined) return void response.writeHead(404).end('not found')
    if (route === 'stall') return void response.writeHead(200, { 'content-type': 'application/pkix-cert' }).write('0')
    if (typeof route === 'string') return void response.writeHead(302, { location: route }).end()
    response.writeHead(200, { 'content-type': route.type, 'content-length': route.body.length }).end(route.body)
  })
  await new Promise<void>(resolve => server.listen(0, host, resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://${host}:${port}`,
    requests,
    routes,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
