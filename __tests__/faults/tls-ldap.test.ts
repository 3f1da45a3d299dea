// Faults of the LDAPS / StartTLS / TLS endpoint, through the bundled action (dist/index.js;
// `npm run build` first) with provider none: a real OpenLDAP slapd (and a Node TLS server for
// protocol tls) on 127.0.10.51-53, behind a TCP proxy on 127.0.10.54 that misbehaves from the
// client's first TLS record on (reset, garbage, silence, slowness), plus a server that accepts
// TCP and never speaks, and a slapd without TLS that refuses StartTLS. The probe makes one
// connection and no retries: each run must fail with the phase that broke and why, and never
// call the certificate trusted. LDAPS_DNS_ACTION_PROBE_TIMEOUT_MS shortens every phase (the
// defaults are 10-15 s) so a stall costs about a second.

import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import net from 'node:net'
import tls from 'node:tls'
import { after, before, describe, it } from 'node:test'
import { runAction } from '../helpers/run-action.ts'
import { startSlapd, type Slapd } from '../helpers/slapd.ts'
import { createTestPki, TEST_DOMAIN } from '../helpers/test-pki.ts'
import { startSilentServer, startTlsFaultProxy, type FaultServer, type ProxyMode } from '../helpers/tls-faults.ts'
import { PROBE_ONLY, probeOnlyInputs } from '../helpers/probe-inputs.ts'

const PROXY_HOST = '127.0.10.54'
const pki = createTestPki()
const PROTOCOLS = ['ldaps', 'starttls', 'tls'] as const
type Protocol = (typeof PROTOCOLS)[number]

let slapd: Slapd
let plainSlapd: Slapd
let tlsServer: tls.Server
let tlsPort: number

before(async () => {
  assert.ok(existsSync(new URL('../../dist/index.js', import.meta.url)), 'run npm run build first')
  const { chainPem, leaf } = pki.leaves.good
  slapd = await startSlapd({ chainPem, keyPem: leaf.keyPem, host: '127.0.10.51' })
  plainSlapd = await startSlapd({ host: '127.0.10.52' })
  tlsServer = tls.createServer({ cert: chainPem, key: leaf.keyPem }, socket => socket.end('hello'))
  await new Promise<void>(resolve => tlsServer.listen(0, '127.0.10.53', resolve))
  tlsPort = (tlsServer.address() as net.AddressInfo).port
})
after(async () => {
  await Promise.all([slapd?.stop(), plainSlapd?.stop()])
  await new Promise<void>(resolve => (tlsServer ? tlsServer.close(() => resolve()) : resolve()))
})

/** The real endpoint behind the proxy for each protocol. */
function backend(protocol: Protocol): { host: string; port: number } {
  if (protocol === 'ldaps') return { host: slapd.host, port: slapd.ldapsPort }
  if (protocol === 'starttls') return { host: slapd.host, port: slapd.ldapPort }
  return { host: '127.0.10.53', port: tlsPort }
}

function run(protocol: Protocol, at: { host: string; port: number }, probeTimeoutMs?: number) {
  return runAction(probeOnlyInputs(pki.root.certPem, { protocol, 'connect-to': at.host, port: String(at.port) }), {
    env: probeTimeoutMs === undefined ? {} : { LDAPS_DNS_ACTION_PROBE_TIMEOUT_MS: String(probeTimeoutMs) }
  })
}

async function withProxy<T>(protocol: Protocol, mode: ProxyMode, use: (proxy: FaultServer) => Promise<T>): Promise<T> {
  const proxy = await startTlsFaultProxy({ host: PROXY_HOST, target: backend(protocol), mode })
  try {
    return await use(proxy)
  } finally {
    await proxy.close()
  }
}

/** The run failed in `phase` with a message matching `detail`, and trusted nothing. */
function assertProbeFailure(
  result: Awaited<ReturnType<typeof run>>,
  protocol: Protocol,
  phase: string,
  detail: RegExp
) {
  assert.equal(result.exitCode, 1, result.stdout)
  assert.equal(result.outputs['certificate-trusted'], 'false')
  assert.equal(result.report.certificate.trusted, false)
  const errors = result.report.findings.filter((f: any) => f.severity === 'error')
  assert.equal(errors.length, 1, JSON.stringify(errors))
  assert.equal(errors[0].title, `Certificate check: ${phase} failed`)
  const prefix = new RegExp(
    `^TLS probe \\(${protocol}\\) of 127\\.0\\.10\\.\\d+:\\d+ for ${TEST_DOMAIN.replace(/\./g, '\\.')}: ${phase} `
  )
  assert.match(errors[0].message, prefix)
  assert.match(errors[0].message, detail)
  // The failure is the step's message, as the runner shows it.
  assert.match(result.stdout, /^::error title=[^:]*::TLS probe /m)
}

describe('TLS/LDAP faults through the bundled action', () => {
  for (const protocol of PROTOCOLS) {
    it(`${protocol}: a server that accepts TCP and never speaks`, async () => {
      const silent = await startSilentServer(PROXY_HOST)
      try {
        const result = await run(protocol, silent, 1000)
        if (protocol === 'starttls') {
          assertProbeFailure(result, protocol, 'StartTLS', /got no response to the StartTLS request within 1 s$/)
        } else {
          assertProbeFailure(
            result,
            protocol,
            'TLS handshake',
            /did not complete within 1 s \(the server accepted TCP but did not answer the ClientHello/
          )
        }
        assert.equal(silent.accepted(), 1, 'one connection, no retry')
      } finally {
        await silent.close()
      }
    })

    // Handshakes that fail at once: the message names the cause, and there is no retry.
    const brokenHandshakes = [
      {
        fault: 'reset-after-client-hello',
        what: 'the connection is reset after the ClientHello',
        says: 'the server reset the connection \\(ECONNRESET\\)'
      },
      {
        fault: 'garbage-instead-of-handshake',
        what: 'bytes that are not TLS instead of a ServerHello',
        says: 'the server answered with bytes that are not TLS \\(it sent "HTTP/1\\.1 400 Bad Request\\.\\.Content-Type.*"\\) \\(ERR_SSL_WRONG_VERSION_NUMBER\\)'
      }
    ] as const
    for (const { fault, what, says } of brokenHandshakes) {
      it(`${protocol}: ${what}`, async () => {
        await withProxy(protocol, { kind: fault }, async proxy => {
          const result = await run(protocol, proxy, 5000)
          const after = protocol === 'starttls' ? ' after StartTLS' : ''
          assertProbeFailure(result, protocol, 'TLS handshake', new RegExp(`failed${after}: ${says}`))
          assert.equal(proxy.accepted(), 1, 'one connection, no retry')
        })
      })
    }

    it(`${protocol}: a handshake slower than the phase timeout fails; the default timeout lets it finish`, async () => {
      await withProxy(protocol, { kind: 'slow-handshake', delayMs: 800 }, async proxy => {
        const slow = await run(protocol, proxy, 1000)
        assertProbeFailure(
          slow,
          protocol,
          'TLS handshake',
          new RegExp(`did not complete within 1 s${protocol === 'starttls' ? ' after StartTLS' : ''}`)
        )
        // The same server with the default phase timeouts (15 s for the handshake): slow, not broken.
        const patient = await run(protocol, proxy)
        assert.equal(patient.exitCode, 0, patient.stdout)
        assert.equal(patient.outputs['certificate-trusted'], 'true')
      })
    })
  }

  it('starttls: StartTLS answered, then the handshake stalls', async () => {
    await withProxy('starttls', { kind: 'stall-handshake' }, async proxy => {
      const result = await run('starttls', proxy, 1000)
      assertProbeFailure(result, 'starttls', 'TLS handshake', /did not complete within 1 s after StartTLS$/)
      assert.equal(proxy.accepted(), 1)
    })
  })

  it('starttls: a server without TLS refuses StartTLS', async () => {
    const result = await run('starttls', { host: plainSlapd.host, port: plainSlapd.ldapPort })
    assertProbeFailure(result, 'starttls', 'StartTLS', /was refused: .*\(LDAP result code 2\)$/)
  })

  it('a malformed LDAPS_DNS_ACTION_PROBE_TIMEOUT_MS is named, nothing probed', async () => {
    const silent = await startSilentServer(PROXY_HOST)
    try {
      const result = await runAction(
        { ...PROBE_ONLY, 'connect-to': silent.host, port: String(silent.port) },
        { env: { LDAPS_DNS_ACTION_PROBE_TIMEOUT_MS: '1s' } }
      )
      assert.equal(result.exitCode, 1)
      assert.match(
        result.stdout,
        /::error title=[^:]*::LDAPS_DNS_ACTION_PROBE_TIMEOUT_MS must be a whole number of milliseconds/
      )
      assert.equal(silent.accepted(), 0)
    } finally {
      await silent.close()
    }
  })
})
