// The DNS client: one query to one server address, over UDP with a fall back to TCP when the
// answer is truncated (or over TCP only), with a per-query timeout. Non-recursive (RD=0) for
// asking authoritative servers directly; recursive (RD=1) for discovery through a resolver.
// Network failures are classified (timeout, refused, unreachable) so callers can report them.

import { createSocket } from 'node:dgram'
import { getServers } from 'node:dns'
import { isIP, Socket } from 'node:net'
import { randomInt } from 'node:crypto'
import dnsPacket from 'dns-packet'
import type { HostPort } from '../core/settings.ts'
import { isInZone } from '../core/names.ts'

export type QueryType = 'A' | 'AAAA' | 'SOA' | 'NS' | 'CNAME' | 'TXT'

/**
 * One resource record as decoded: `name` lowercase without the trailing dot; `data` is the address
 * text for A/AAAA, a name for NS/CNAME, `{ serial, ... }` for SOA, a Buffer for other types.
 */
export interface DnsAnswer {
  readonly name: string
  readonly type: string
  readonly ttl: number
  readonly data: unknown
}

function toAnswers(records: readonly dnsPacket.Answer[] | undefined): DnsAnswer[] {
  return (records ?? [])
    .filter(r => r.type !== 'OPT')
    .map(r => {
      const record = r as { name: string; type: string; ttl?: number; data?: unknown }
      return {
        name: record.name.toLowerCase().replace(/\.$/, ''),
        type: record.type,
        ttl: record.ttl ?? 0,
        data: record.data
      }
    })
}

/** The serial of an SOA record. */
export function soaSerial(record: DnsAnswer): number | undefined {
  const data = record.data as { serial?: unknown } | undefined
  return typeof data?.serial === 'number' ? data.serial : undefined
}

/** A name in record data (NS, CNAME) in the same form as owner names. */
export function dataName(record: DnsAnswer): string {
  return String(record.data).toLowerCase().replace(/\.$/, '')
}

export interface DnsResponse {
  readonly server: HostPort
  /** NOERROR, NXDOMAIN, REFUSED, SERVFAIL, NOTAUTH, ... */
  readonly rcode: string
  readonly authoritative: boolean
  readonly truncated: boolean
  readonly answers: readonly DnsAnswer[]
  readonly authorities: readonly DnsAnswer[]
  readonly additionals: readonly DnsAnswer[]
  readonly transport: 'udp' | 'tcp'
  /** The response as received, for TSIG verification. */
  readonly raw: Buffer
  /** The question the answer is for (name lowercase, no trailing dot). */
  readonly question: { readonly name: string; readonly type: string } | undefined
}

export type NetworkFailure = 'timeout' | 'refused' | 'unreachable' | 'error'

/** The server could not be asked: no answer in time, port closed, no route, or a socket error. */
export class DnsNetworkError extends Error {
  readonly server: HostPort
  readonly failure: NetworkFailure
  /** What happened, without the server: "did not answer within 1500 ms". */
  readonly detail: string
  constructor(server: HostPort, failure: NetworkFailure, detail: string) {
    super(`DNS: ${formatServer(server)} ${detail}`)
    this.name = 'DnsNetworkError'
    this.server = server
    this.failure = failure
    this.detail = detail
  }
}

export function formatServer(server: HostPort): string {
  const host = server.host.includes(':') ? `[${server.host}]` : server.host
  return server.port === 53 ? host : `${host}:${server.port}`
}

export interface QueryOptions {
  /** RD bit; false (the default) asks the server about its own data only. */
  readonly recursive?: boolean
  readonly timeoutMs?: number
  /** 'udp' (default) falls back to TCP on truncation; 'tcp' uses TCP only. */
  readonly transport?: 'udp' | 'tcp'
}

export const DEFAULT_QUERY_TIMEOUT_MS = 2000

function classify(server: HostPort, error: NodeJS.ErrnoException): DnsNetworkError {
  switch (error.code) {
    case 'ECONNREFUSED':
      return new DnsNetworkError(server, 'refused', 'refused the connection (nothing listens on that port)')
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
    case 'EADDRNOTAVAIL':
    case 'EAFNOSUPPORT':
      return new DnsNetworkError(server, 'unreachable', `is unreachable from this runner (${error.code})`)
    case 'ECONNRESET':
      return new DnsNetworkError(server, 'error', 'reset the connection')
    default:
      return new DnsNetworkError(server, 'error', `failed: ${error.message}`)
  }
}

/** Sends one message over UDP and resolves with the first datagram carrying the same ID. */
export function exchangeUdp(server: HostPort, message: Buffer, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const family = isIP(server.host)
    if (family === 0) {
      reject(new DnsNetworkError(server, 'error', 'is not an IP address'))
      return
    }
    const socket = createSocket(family === 6 ? 'udp6' : 'udp4')
    const id = message.readUInt16BE(0)
    let done = false
    const finish = (fn: () => void): void => {
      if (done) return
      done = true
      clearTimeout(timer)
      socket.close()
      fn()
    }
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(new DnsNetworkError(server, 'timeout', `did not answer within ${Math.round(timeoutMs)} ms`))
        ),
      timeoutMs
    )
    socket.on('error', error => finish(() => reject(classify(server, error))))
    socket.on('message', data => {
      if (data.length >= 12 && data.readUInt16BE(0) === id) finish(() => resolve(data))
    })
    // A connected socket reports ICMP port unreachable as ECONNREFUSED instead of a timeout.
    socket.connect(server.port, server.host, () => {
      socket.send(message, error => {
        if (error) finish(() => reject(classify(server, error)))
      })
    })
  })
}

/** Sends one message over TCP (two-byte length prefix) and resolves with the answer. */
export function exchangeTcp(server: HostPort, message: Buffer, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (isIP(server.host) === 0) {
      reject(new DnsNetworkError(server, 'error', 'is not an IP address'))
      return
    }
    const socket = new Socket()
    let received = Buffer.alloc(0)
    let done = false
    const finish = (fn: () => void): void => {
      if (done) return
      done = true
      clearTimeout(timer)
      socket.destroy()
      fn()
    }
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(new DnsNetworkError(server, 'timeout', `did not answer over TCP within ${Math.round(timeoutMs)} ms`))
        ),
      timeoutMs
    )
    socket.on('error', error => finish(() => reject(classify(server, error))))
    socket.on('data', chunk => {
      received = Buffer.concat([received, chunk])
      if (received.length >= 2 && received.length >= 2 + received.readUInt16BE(0)) {
        const answer = received.subarray(2, 2 + received.readUInt16BE(0))
        finish(() => resolve(answer))
      }
    })
    socket.on('end', () =>
      finish(() => reject(new DnsNetworkError(server, 'error', 'closed the TCP connection without a full answer')))
    )
    socket.connect(server.port, server.host, () => {
      const length = Buffer.alloc(2)
      length.writeUInt16BE(message.length)
      socket.write(Buffer.concat([length, message]))
    })
  })
}

export function decodeResponse(server: HostPort, raw: Buffer, transport: 'udp' | 'tcp'): DnsResponse {
  let decoded: dnsPacket.DecodedPacket & { rcode?: string }
  try {
    decoded = dnsPacket.decode(raw) as typeof decoded
  } catch (error) {
    throw new DnsNetworkError(server, 'error', `sent an answer that does not parse (${(error as Error).message})`)
  }
  return {
    server,
    rcode: decoded.rcode ?? 'NOERROR',
    authoritative: decoded.flag_aa,
    truncated: decoded.flag_tc,
    answers: toAnswers(decoded.answers),
    authorities: toAnswers(decoded.authorities),
    additionals: toAnswers(decoded.additionals),
    transport,
    raw,
    question:
      decoded.questions?.[0] === undefined
        ? undefined
        : { name: decoded.questions[0].name.toLowerCase().replace(/\.$/, ''), type: decoded.questions[0].type }
  }
}

export function createQueryId(): number {
  return randomInt(0, 65536)
}

/** Encodes a standard query (EDNS0 with a 1232-byte payload, as DNS Flag Day 2020 advises). */
export function encodeQuery(id: number, name: string, type: QueryType, recursive: boolean): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id,
    flags: recursive ? dnsPacket.RECURSION_DESIRED : 0,
    questions: [{ type, name, class: 'IN' }],
    additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232, flags: 0 } as dnsPacket.Answer]
  })
}

/** Asks one server address one question. Throws DnsNetworkError when it cannot be asked. */
export async function queryDns(
  server: HostPort,
  name: string,
  type: QueryType,
  options: QueryOptions = {}
): Promise<DnsResponse> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS
  const id = createQueryId()
  const message = encodeQuery(id, name, type, options.recursive ?? false)
  if (options.transport !== 'tcp') {
    const response = decodeResponse(server, await exchangeUdp(server, message, timeoutMs), 'udp')
    if (!response.truncated) return checkQuestion(response, name, type)
  }
  return checkQuestion(decodeResponse(server, await exchangeTcp(server, message, timeoutMs), 'tcp'), name, type)
}

function checkQuestion(response: DnsResponse, name: string, type: QueryType): DnsResponse {
  const q = response.question
  if (q !== undefined && (q.name !== name.toLowerCase().replace(/\.$/, '') || q.type !== type)) {
    throw new DnsNetworkError(response.server, 'error', `answered a different question (${q.name} ${q.type})`)
  }
  return response
}

/** The runner's own resolvers (from /etc/resolv.conf), used only when no `resolver` is given. */
export function systemResolvers(): HostPort[] {
  return parseResolverList(getServers())
}

/** Node's resolver list entries ("1.2.3.4", "1.2.3.4:5300", "::1", "[::1]:5353") as host and port. */
export function parseResolverList(entries: readonly string[]): HostPort[] {
  return entries.map(entry => {
    const bracketed = /^\[(.+)\]:(\d+)$/.exec(entry)
    if (bracketed) return { host: bracketed[1]!, port: Number(bracketed[2]) }
    const v4 = /^([0-9.]+):(\d+)$/.exec(entry)
    if (v4) return { host: v4[1]!, port: Number(v4[2]) }
    return { host: entry, port: 53 }
  })
}

/**
 * Asks the resolvers in order (RD=1) until one answers with anything but SERVFAIL/REFUSED or a
 * network failure; returns that answer, or throws the last failure.
 */
export async function queryRecursive(
  resolvers: readonly HostPort[],
  name: string,
  type: QueryType,
  options: {
    timeoutMs?: number
    /** What is left of an overall budget: each resolver gets at most that, none once it is spent. */
    remainingMs?: () => number
  } = {}
): Promise<DnsResponse> {
  let last: Error | undefined
  let lastResponse: DnsResponse | undefined
  for (const resolver of resolvers) {
    const remaining = options.remainingMs?.()
    if (remaining !== undefined && remaining <= 0) break
    const timeoutMs =
      remaining === undefined
        ? options.timeoutMs
        : Math.max(1, Math.min(options.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS, Math.ceil(remaining)))
    try {
      const response = await queryDns(resolver, name, type, { recursive: true, timeoutMs })
      if (response.rcode === 'SERVFAIL' || response.rcode === 'REFUSED') {
        lastResponse = response
        continue
      }
      return response
    } catch (error) {
      last = error as Error
    }
  }
  if (lastResponse !== undefined) return lastResponse
  throw last ?? new Error('DNS: no resolver to ask')
}

/** Address texts of type A/AAAA owned by `name` in the answer section. */
export function addressesIn(answers: readonly DnsAnswer[], name: string, type: 'A' | 'AAAA'): string[] {
  const owner = name.toLowerCase().replace(/\.$/, '')
  return answers
    .filter(a => a.type === type && a.name === owner)
    .map(a => (type === 'AAAA' ? new URL(`http://[${String(a.data)}]/`).hostname.slice(1, -1) : String(a.data)))
}

/**
 * The zone an answer to "SOA of `candidate`" names: `candidate` itself when it has the SOA, the
 * zone above it when the SOA comes in the authority section (NODATA/NXDOMAIN), or undefined when
 * the answer says nothing (a CNAME at the name, no SOA, or an SOA of an unrelated zone).
 */
export function zoneFromSoaAnswer(candidate: string, response: DnsResponse): string | undefined {
  if (response.answers.some(a => a.type === 'SOA' && a.name === candidate)) return candidate
  if (response.answers.some(a => a.type === 'CNAME' && a.name === candidate)) return undefined
  const soa = response.authorities.find(a => a.type === 'SOA')
  if (soa === undefined || soa.name === '' || !isInZone(candidate, soa.name)) return undefined
  return soa.name
}
