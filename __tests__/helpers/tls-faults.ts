// Misbehaving TLS/LDAP endpoints for the probe: a TCP server that accepts and says nothing, and a
// TCP proxy in front of a real server (slapd, or a Node TLS server) that lets plain LDAP through
// (so StartTLS is answered by slapd itself) and misbehaves from the first TLS record the client
// sends (the ClientHello, recognised by its record type 22): reset the connection, answer with
// bytes that are not TLS, swallow it, or pass the handshake on slowly.

import net from 'node:net'

export type ProxyMode =
  | { readonly kind: 'reset-after-client-hello' }
  | { readonly kind: 'garbage-instead-of-handshake' }
  | { readonly kind: 'stall-handshake' }
  /** Every chunk, both ways, from the ClientHello on, is held `delayMs` (order kept). */
  | { readonly kind: 'slow-handshake'; readonly delayMs: number }

export interface FaultServer {
  readonly host: string
  readonly port: number
  /** Connections accepted so far. */
  readonly accepted: () => number
  close(): Promise<void>
}

/** What a misconfigured port might send instead of a ServerHello: an HTTP error, then noise. */
export const GARBAGE = Buffer.concat([
  Buffer.from('HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nBad Request'),
  Buffer.from([0x00, 0xff, 0x13, 0x37, 0x42])
])

async function listen(server: net.Server, host: string, sockets: Set<net.Socket>): Promise<FaultServer> {
  let accepted = 0
  server.on('connection', socket => {
    accepted++
    sockets.add(socket)
    socket.on('error', () => undefined)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>(resolve => server.listen(0, host, resolve))
  return {
    host,
    port: (server.address() as net.AddressInfo).port,
    accepted: () => accepted,
    close: () =>
      new Promise<void>(resolve => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      })
  }
}

/** Accepts TCP and never sends a byte. */
export function startSilentServer(host: string): Promise<FaultServer> {
  const sockets = new Set<net.Socket>()
  return listen(net.createServer(), host, sockets)
}

export function startTlsFaultProxy(options: {
  host: string
  target: { host: string; port: number }
  mode: ProxyMode
}): Promise<FaultServer> {
  const sockets = new Set<net.Socket>()
  const { mode } = options
  const server = net.createServer(client => {
    const upstream = net.connect(options.target)
    sockets.add(upstream)
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
    client.on('close', () => upstream.destroy())
    let handshaking = false
    // One promise chain per direction keeps the order of delayed chunks.
    let toServer = Promise.resolve()
    let toClient = Promise.resolve()
    const later = (write: () => void): Promise<void> =>
      new Promise(resolve =>
        setTimeout(
          () => {
            write()
            resolve()
          },
          mode.kind === 'slow-handshake' ? mode.delayMs : 0
        )
      )

    client.on('data', (chunk: Buffer) => {
      if (!handshaking && chunk[0] === 22) {
        handshaking = true
        switch (mode.kind) {
          case 'reset-after-client-hello':
            client.resetAndDestroy()
            upstream.destroy()
            return
          case 'garbage-instead-of-handshake':
            client.write(GARBAGE)
            return
          case 'stall-handshake':
            return
          case 'slow-handshake':
            break
        }
      }
      if (handshaking && mode.kind !== 'slow-handshake') return
      if (handshaking) toServer = toServer.then(() => later(() => upstream.write(chunk)))
      else upstream.write(chunk)
    })
    upstream.on('data', (chunk: Buffer) => {
      if (handshaking && mode.kind !== 'slow-handshake') return
      if (handshaking) toClient = toClient.then(() => later(() => client.write(chunk)))
      else client.write(chunk)
    })
  })
  return listen(server, options.host, sockets)
}
