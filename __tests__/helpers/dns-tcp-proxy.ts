// A DNS-over-TCP relay in front of a real server, for playing another writer at an exact moment:
// every message goes through byte for byte (TSIG signatures stay valid), but before an UPDATE that
// changes something (opcode 5 with a non-empty update section) the test's hook runs and finishes,
// so the change it makes lands between the client's read and its write. Prerequisite-only UPDATEs
// (no update section) and queries pass straight through.

import { createServer, connect, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'

export interface DnsTcpProxy {
  /** host:port for the client, e.g. the rfc2136-server input. */
  readonly address: string
  /** Runs (once) before the next changing UPDATE is passed on. */
  beforeUpdate: (() => Promise<void>) | undefined
  close(): Promise<void>
}

const OPCODE_UPDATE = 5

export async function startDnsTcpProxy(host: string, upstream: { host: string; port: number }): Promise<DnsTcpProxy> {
  const sockets = new Set<Socket>()
  const proxy: DnsTcpProxy = {
    address: '',
    beforeUpdate: undefined,
    close: () =>
      new Promise<void>(resolve => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
  const server: Server = createServer(client => {
    sockets.add(client)
    const target = connect(upstream.port, upstream.host)
    sockets.add(target)
    target.pipe(client)
    let buffered = Buffer.alloc(0)
    let chain = Promise.resolve()
    client.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk])
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        const frame = buffered.subarray(0, 2 + buffered.readUInt16BE(0))
        buffered = buffered.subarray(frame.length)
        chain = chain.then(async () => {
          const opcode = (frame.readUInt8(4) >> 3) & 0x0f
          const updates = frame.length >= 14 ? frame.readUInt16BE(2 + 8) : 0
          const hook = proxy.beforeUpdate
          if (opcode === OPCODE_UPDATE && updates > 0 && hook !== undefined) {
            proxy.beforeUpdate = undefined
            await hook()
          }
          target.write(frame)
        })
      }
    })
    const end = (): void => {
      client.destroy()
      target.destroy()
      sockets.delete(client)
      sockets.delete(target)
    }
    client.on('close', end)
    client.on('error', end)
    target.on('close', end)
    target.on('error', end)
  })
  await new Promise<void>(resolve => server.listen(0, host, resolve))
  const { port } = server.address() as AddressInfo
  ;(proxy as { address: string }).address = `${host}:${port}`
  return proxy
}
