// A replica set's secure LDAP endpoint as the internet sees it: two domain controllers behind one
// external IP, connections spread over them in turn (round robin), each DC with its own
// certificate. A new certificate reaches each DC after its own delay, as the managed domain
// installs it one DC at a time; until both have it, handshakes alternate between old and new.
// Real TLS (node:tls) with real handshakes; `protocol: tls` on the action's side (no LDAP here;
// slapd covers LDAP elsewhere).

import tls from 'node:tls'
import { ensureLoopbackAddress } from './bind.ts'

export interface KeyPair {
  /** Leaf first, then intermediates. */
  readonly chainPem: string
  readonly keyPem: string
}

export interface DcPair {
  readonly host: string
  readonly port: number
  /** Handshakes each DC completed. */
  readonly handshakes: [number, number]
  /** DC 1 serves `pair` after delaysMs[0], DC 2 after delaysMs[1]. */
  install(pair: KeyPair, delaysMs: readonly [number, number]): void
  close(): Promise<void>
}

export async function startDcPair(host: string, initial: KeyPair): Promise<DcPair> {
  await ensureLoopbackAddress(host)
  const context = (pair: KeyPair): tls.SecureContext =>
    tls.createSecureContext({ cert: pair.chainPem, key: pair.keyPem })
  const dcs = [context(initial), context(initial)]
  const handshakes: [number, number] = [0, 0]
  const timers: NodeJS.Timeout[] = []
  let next = 0
  const server = tls.createServer({
    ...{ cert: initial.chainPem, key: initial.keyPem },
    // Each new connection goes to the next DC (the probe always sends SNI, the LDAPS name).
    SNICallback: (_name, callback) => {
      const dc = next as 0 | 1
      next = (next + 1) % 2
      handshakes[dc] += 1
      callback(null, dcs[dc]!)
    }
  })
  server.on('secureConnection', socket => socket.end())
  server.on('tlsClientError', () => undefined)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, host, () => resolve())
  })
  const port = (server.address() as { port: number }).port
  return {
    host,
    port,
    handshakes,
    install(pair, delaysMs) {
      const ctx = context(pair)
      delaysMs.forEach((ms, dc) => timers.push(setTimeout(() => (dcs[dc] = ctx), ms)))
    },
    async close() {
      for (const t of timers) clearTimeout(t)
      await new Promise<void>(resolve => server.close(() => resolve()))
    }
  }
}
