// Transport faults for the HTTP stand-ins (ARM, Cloudflare, Route 53), beside their own
// status-code faults (429/5xx with the provider's error bodies): an answer whose connection is
// reset after its headers and part of its body, and an answer held back beyond the client's
// timeout. In both the request is handled as usual first, so a write IS applied: the client
// cannot tell a lost answer from a lost request, and its retry must cope with that.

import type { IncomingMessage, ServerResponse } from 'node:http'
import { TLSSocket } from 'node:tls'

export interface NetworkFault {
  readonly method?: string
  /** Case-insensitive substring of the path (query excluded). */
  readonly pathIncludes?: string
  /**
   * cut: headers and half the body are sent, then the socket is reset (RST; over TLS: closed).
   * stall: the whole answer is held back `stallMs`, then sent to whoever still listens.
   * hang-mid-body: headers and half the body are sent, then nothing more (the socket stays open).
   */
  readonly kind: 'cut' | 'stall' | 'hang-mid-body'
  readonly stallMs?: number
  /** How many matching requests get this fault; counted down. */
  times: number
}

/** Arms the first matching fault on `res` before the stand-in handles the request. */
export function armNetworkFault(faults: readonly NetworkFault[], req: IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname.toLowerCase()
  const fault = faults.find(
    f =>
      f.times > 0 &&
      (f.method === undefined || f.method === req.method) &&
      (f.pathIncludes === undefined || path.includes(f.pathIncludes.toLowerCase()))
  )
  if (fault === undefined) return
  fault.times--
  const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse
  if (fault.kind === 'hang-mid-body') {
    res.end = ((chunk?: unknown) => {
      const body = Buffer.from(typeof chunk === 'string' ? chunk : ((chunk as Buffer | undefined) ?? ''))
      res.write(body.subarray(0, Math.floor(body.length / 2)))
      return res
    }) as typeof res.end
    return
  }
  if (fault.kind === 'cut') {
    res.end = ((chunk?: unknown) => {
      const body = Buffer.from(typeof chunk === 'string' ? chunk : ((chunk as Buffer | undefined) ?? ''))
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => {
        const socket = res.socket
        // A TLS socket cannot send a bare RST (Node refuses resetAndDestroy there): it is closed
        // without close_notify instead, which the client sees as a truncated answer too.
        if (socket instanceof TLSSocket) socket.destroy()
        else socket?.resetAndDestroy()
      })
      return res
    }) as typeof res.end
    return
  }
  // stall: replay writeHead and end later; the client has usually given up by then.
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse
  let head: unknown[] | undefined
  res.writeHead = ((...args: unknown[]) => {
    head = args
    return res
  }) as typeof res.writeHead
  res.end = ((chunk?: unknown) => {
    const timer = setTimeout(() => {
      if (res.socket === null || res.socket.destroyed) return
      if (head !== undefined) writeHead(...head)
      end(chunk)
    }, fault.stallMs ?? 60_000)
    timer.unref()
    return res
  }) as typeof res.end
}

/** The whole request body as text (the stand-ins read it before arming faults or routing). */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (data += chunk))
    req.on('end', () => resolve(data))
    req.on('error', reject)
  })
}
