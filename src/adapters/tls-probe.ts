// The TLS/LDAP probe: connect to an address (never a resolved name), speak LDAPS, StartTLS or
// plain implicit TLS with SNI set to the name clients use, and bring back what a verdict needs:
// the chain exactly as the server sent it, the negotiated version and cipher, Node's own
// verification result, and (for LDAP) the root DSE.
//
// Why the handshake runs with rejectUnauthorized: false. The probe must see the certificates of
// a server that is NOT trusted, to say why. Nothing is sent over that connection except an
// anonymous root DSE search (no credentials, no data of the user's), and the verdict is never
// taken from "the handshake completed": it requires our evaluator to pass AND Node's own result
// for the same handshake (`authorized`, with ca = bundled roots + ca-certificate, plus
// tls.checkServerIdentity for the name) to be positive. So the verdict can only be stricter
// than Node's verification, never more lenient.
//
// Why the chain comes from the handshake bytes. `getPeerCertificate(true)` completes the chain
// from the local trust store, so a server that omits its intermediate looks fine when the
// intermediate happens to be known locally. With TLS 1.2 the Certificate message travels in the
// clear, so the probe reads it off the wire (a tee between socket and TLS); when the main
// connection negotiated TLS 1.3 a second connection limited to TLS 1.2 captures it, and for a
// TLS 1.3-only server the chain is taken from a connection with an empty trust store (nothing to
// complete it from), which loses only certificates that chain to nothing.
//
// The optional authenticated bind (ldap-bind-dn) runs on the SAME connection whose handshake was
// just judged, never on a new one. Why not reconnect with the verified chain pinned: a second
// handshake may meet another certificate (a server with RSA and ECDSA keys, a load balancer in
// front of two domain controllers), and a pin checked after the handshake still leaves a window
// in which a client library could write first. Keeping the connection open instead means: with
// `holdForBind` the probe hands back an LdapChannel after reading the root DSE (anonymously, no
// credentials) and does not close the connection; the certificate step computes the verdict;
// only then can it call channel.bindAndSearch, which refuses (throws, sending nothing) unless the
// verdict it is given is trusted AND judged the very leaf this socket's handshake presented. The
// socket hooks given to ldapts work once, so ldapts cannot silently reconnect and replay the bind
// over an unjudged connection. An untrusted verdict never reaches bindAndSearch: the channel is
// closed unused, and the credentials are never written to any socket.
//
// ldapts does the LDAP side (StartTLS extended operation, root DSE search); its
// createConnection/createSecureConnection hooks hand it sockets this probe opened itself, so each
// phase has its own time limit and the TLS socket stays inspectable.

import { createHash } from 'node:crypto'
import net from 'node:net'
import tls from 'node:tls'
import { Duplex } from 'node:stream'
import { Client } from 'ldapts'
import type { CertificateVerdict, NodeVerification } from '../core/certificate.ts'
import type { LdapAnswer } from '../core/ldap-bind.ts'
import type { TlsProtocol } from '../core/settings.ts'

export interface ProbeTimeouts {
  readonly connectMs: number
  readonly startTlsMs: number
  readonly handshakeMs: number
  readonly ldapMs: number
}

export const DEFAULT_TIMEOUTS: ProbeTimeouts = {
  connectMs: 10_000,
  startTlsMs: 10_000,
  handshakeMs: 15_000,
  ldapMs: 15_000
}

export interface ProbeOptions {
  readonly protocol: TlsProtocol
  /** Address (or host) to connect to; the verdict must not depend on resolving `peer`. */
  readonly connectTo: string
  readonly port: number
  /** The name clients use: SNI and identity check. */
  readonly peer: string
  readonly trustAnchorsPem: readonly string[]
  readonly rootsPem?: readonly string[]
  readonly timeouts?: Partial<ProbeTimeouts>
  /** Skip the root DSE read (LDAP protocols only). */
  readonly readRootDse?: boolean
  /**
   * Keep the LDAP connection open after the root DSE read and return it as `channel`, for a bind
   * once the verdict is known (see the file header). The caller must close it.
   */
  readonly holdForBind?: boolean
}

export interface RootDse {
  readonly namingContexts: readonly string[]
  readonly supportedLDAPVersion: readonly string[]
  readonly defaultNamingContext?: string | undefined
}

export interface BindRequest {
  readonly dn: string
  readonly password: string
  readonly searchBase: string
  readonly searchFilter: string
}

export interface BindAnswer {
  readonly bind: LdapAnswer
  /** Only after a successful bind. */
  readonly search?: { readonly answer: LdapAnswer; readonly entries: number } | undefined
}

/** The judged connection, held open for an authenticated bind. */
export interface LdapChannel {
  /** SHA-256 (lowercase hex) of the leaf certificate this connection's handshake presented. */
  readonly leafSha256: string
  /**
   * Binds and makes a base search (size limit 1) over this connection. Throws without sending
   * anything unless `verdict` is trusted and about this connection's leaf.
   */
  bindAndSearch(verdict: Pick<CertificateVerdict, 'trusted' | 'served'>, request: BindRequest): Promise<BindAnswer>
  close(): Promise<void>
}

export interface ProbeResult {
  readonly tlsVersion: string
  readonly cipher: string
  /** DER, leaf first, as sent. */
  readonly served: readonly Buffer[]
  /** handshake: read from the TLS 1.2 Certificate message; linked: rebuilt from an empty-store connection. */
  readonly servedFrom: 'handshake' | 'linked'
  readonly node: NodeVerification
  readonly ldap?: RootDse | undefined
  /** Why the root DSE could not be read, when it could not. */
  readonly ldapError?: string | undefined
  /** With holdForBind, when the root DSE was read: the open connection (close it). */
  readonly channel?: LdapChannel | undefined
}

export type ProbePhase = 'connect' | 'StartTLS' | 'TLS handshake' | 'LDAP root DSE read'

export class ProbeError extends Error {
  readonly phase: ProbePhase
  constructor(phase: ProbePhase, message: string) {
    super(message)
    this.name = 'ProbeError'
    this.phase = phase
  }
}

export async function probeTls(options: ProbeOptions): Promise<ProbeResult> {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts }
  const ca = [...(options.rootsPem ?? tls.rootCertificates), ...options.trustAnchorsPem]
  const main = await openSession(options, timeouts, { ca })
  let handedOver = false
  try {
    const socket = main.tls
    const peerCertificate = socket.getPeerCertificate()
    const identity = tls.checkServerIdentity(options.peer, peerCertificate)
    const authorizationError = socket.authorizationError as unknown as Error | string | null | undefined
    // A name mismatch also lands in authorizationError once the chain is fine; the identity
    // result is kept separately, so `authorized` here is about the chain.
    const chainAuthorized =
      socket.authorized || (identity !== undefined && errorCode(authorizationError) === errorCode(identity))
    const node: NodeVerification = {
      authorized: chainAuthorized,
      error: chainAuthorized ? undefined : errorCode(authorizationError),
      identityError: identity?.message
    }
    const tlsVersion = socket.getProtocol() ?? 'unknown'
    const cipher = socket.getCipher().standardName ?? socket.getCipher().name
    let served = main.captured()
    let servedFrom: ProbeResult['servedFrom'] = 'handshake'
    let ldap: RootDse | undefined
    let ldapError: string | undefined
    if (main.client !== undefined && options.readRootDse !== false) {
      try {
        ldap = await readRootDse(main.client, main.tls, options, timeouts)
      } catch (error) {
        ldapError = error instanceof Error ? error.message : String(error)
      }
    }
    const mainLeaf = Buffer.from(peerCertificate.raw)
    const channel =
      options.holdForBind === true && main.client !== undefined && ldap !== undefined
        ? holdChannel(main, mainLeaf, timeouts)
        : undefined
    if (channel === undefined) await main.close()
    // Later connections must have met the same leaf that Node verified (a server with RSA and
    // ECDSA certificates may choose differently for TLS 1.2); otherwise the verdict would judge
    // another certificate than the one verified.
    const sameLeaf = (chain: Buffer[] | undefined): chain is Buffer[] => chain?.[0]?.equals(mainLeaf) === true
    if (!sameLeaf(served)) {
      served = await captureServedChain(options, timeouts)
      if (!sameLeaf(served)) {
        servedFrom = 'linked'
        served = await linkedChain(options, timeouts)
        if (!sameLeaf(served)) served = [mainLeaf]
      }
    }
    handedOver = channel !== undefined
    return { tlsVersion, cipher, served, servedFrom, node, ldap, ldapError, channel }
  } finally {
    if (!handedOver) await main.close()
  }
}

function holdChannel(main: Session, leaf: Buffer, timeouts: ProbeTimeouts): LdapChannel {
  const leafSha256 = createHash('sha256').update(leaf).digest('hex')
  let used = false
  return {
    leafSha256,
    close: () => main.close(),
    async bindAndSearch(verdict, request) {
      // The guard of the whole design: nothing below runs for an untrusted or foreign verdict.
      if (verdict.trusted !== true) throw new Error('LDAP bind refused: the certificate verdict is not trusted')
      if (verdict.served[0]?.sha256 !== leafSha256) {
        throw new Error('LDAP bind refused: the verdict is about another certificate than this connection presented')
      }
      const client = main.client
      const socket = main.tls
      if (client === undefined || socket.destroyed || !socket.encrypted) {
        return {
          bind: { resultCode: undefined, diagnosticMessage: 'the verified connection was closed before the bind' }
        }
      }
      if (used) throw new Error('LDAP bind: the channel binds once')
      used = true
      const limit = limitBytes(
        socket,
        MAX_LDAP_ANSWER_BYTES,
        () =>
          new Error(
            `the server's answer is larger than ${MAX_LDAP_ANSWER_BYTES} bytes; the probe stopped reading it (a bind response is a few hundred)`
          )
      )
      try {
        const bind = await ldapAnswer(
          Promise.race([client.bind(request.dn, request.password), limit.exceeded]),
          timeouts.ldapMs,
          `no answer to the bind within ${seconds(timeouts.ldapMs)}`
        )
        if (bind.resultCode !== 0) return { bind }
        let entries = 0
        const search = await ldapAnswer(
          Promise.race([
            client
              .search(request.searchBase, {
                scope: 'base',
                filter: request.searchFilter,
                sizeLimit: 1,
                attributes: ['1.1'],
                timeLimit: Math.ceil(timeouts.ldapMs / 1000)
              })
              .then(result => {
                entries = result.searchEntries.length
              }),
            limit.exceeded
          ]),
          timeouts.ldapMs,
          `no answer to the search within ${seconds(timeouts.ldapMs)}`
        )
        return { bind, search: { answer: search, entries } }
      } finally {
        limit.stop()
      }
    }
  }
}

/** An ldapts operation as an LDAP answer: its result code and diagnostic message, or why none came. */
async function ldapAnswer(work: Promise<unknown>, ms: number, timeoutText: string): Promise<LdapAnswer> {
  try {
    await withTimeout(work, ms, () => new Error(timeoutText))
    return { resultCode: 0, diagnosticMessage: '' }
  } catch (error) {
    const code = (error as { code?: unknown }).code
    const message = error instanceof Error ? error.message : String(error)
    if (typeof code === 'number') {
      // ldapts appends " Code: 0x31" to the server's diagnosticMessage (a class default when
      // the server sent none at all); the code is kept apart, so the suffix goes.
      return { resultCode: code, diagnosticMessage: message.replace(/\s*Code: 0x[0-9a-f]+$/i, '') }
    }
    return { resultCode: undefined, diagnosticMessage: message.split('\n')[0]! }
  }
}

/** A second connection limited to TLS 1.2, where the Certificate message is readable. */
async function captureServedChain(options: ProbeOptions, timeouts: ProbeTimeouts): Promise<Buffer[] | undefined> {
  let session: Session | undefined
  try {
    session = await openSession(options, timeouts, { ca: [], maxVersion: 'TLSv1.2' })
    return session.captured()
  } catch {
    return undefined
  } finally {
    await session?.close()
  }
}

/** TLS 1.3 only: the chain as OpenSSL links it with nothing in the trust store to add. */
async function linkedChain(options: ProbeOptions, timeouts: ProbeTimeouts): Promise<Buffer[]> {
  const session = await openSession(options, timeouts, { ca: [] })
  try {
    const chain: Buffer[] = []
    let current: tls.DetailedPeerCertificate | undefined = session.tls.getPeerCertificate(true)
    const seen = new Set<string>()
    while (current?.raw !== undefined && !seen.has(current.fingerprint256)) {
      seen.add(current.fingerprint256)
      chain.push(Buffer.from(current.raw))
      current = current.issuerCertificate
    }
    return chain
  } finally {
    await session.close()
  }
}

interface Session {
  readonly tls: tls.TLSSocket
  readonly client: Client | undefined
  /** The served chain from the handshake bytes, when it travelled in the clear. */
  captured(): Buffer[] | undefined
  close(): Promise<void>
}

async function openSession(
  options: ProbeOptions,
  timeouts: ProbeTimeouts,
  tlsOptions: Pick<tls.ConnectionOptions, 'ca' | 'maxVersion'>
): Promise<Session> {
  const target = `${options.connectTo.includes(':') ? `[${options.connectTo}]` : options.connectTo}:${options.port}`
  const fail = (phase: ProbePhase, detail: string): ProbeError =>
    new ProbeError(phase, `TLS probe (${options.protocol}) of ${target} for ${options.peer}: ${phase} ${detail}`)
  const raw = net.connect({ host: options.connectTo, port: options.port })
  await withTimeout(
    new Promise<void>((resolve, reject) => {
      raw.once('connect', () => {
        raw.removeListener('error', reject)
        resolve()
      })
      raw.once('error', reject)
    }),
    timeouts.connectMs,
    () => fail('connect', `got no answer within ${seconds(timeouts.connectMs)} (is the port filtered?)`),
    error => fail('connect', `failed: ${describeSocketError(error)}`)
  ).catch((error: unknown) => {
    raw.destroy()
    throw error
  })
  let wire: WireTap | undefined
  let client: Client | undefined
  let secure: tls.TLSSocket | undefined
  let markHandshakeStarted: () => void = () => undefined
  const handshakeStarted = new Promise<void>(resolve => (markHandshakeStarted = resolve))
  const handshake = (): tls.TLSSocket => {
    // Attached only now: plain LDAP bytes before StartTLS must not reach the TLS layer.
    wire = new WireTap(raw)
    markHandshakeStarted()
    return tls.connect({
      socket: wire,
      ...(net.isIP(options.peer) === 0 ? { servername: options.peer } : {}),
      host: options.peer,
      ...tlsOptions,
      // Only to see untrusted chains; the verdict requires `authorized` (see the file header).
      rejectUnauthorized: false
    })
  }
  const close = async (): Promise<void> => {
    const c = client
    client = undefined
    if (c !== undefined)
      await withTimeout(
        c.unbind().catch(() => undefined),
        2_000,
        () => new Error('unbind')
      ).catch(() => undefined)
    secure?.destroy()
    raw.destroy()
  }
  try {
    if (options.protocol === 'starttls') {
      client = new Client({
        url: `ldap://${target}`,
        timeout: timeouts.startTlsMs + timeouts.handshakeMs + timeouts.ldapMs,
        createConnection: once('TCP', () => raw) as unknown as typeof net.connect,
        createSecureConnection: once('TLS', () => {
          secure = handshake()
          return secure
        }) as unknown as typeof tls.connect
      })
      const upgrade = client.startTLS({})
      upgrade.catch(() => undefined)
      // ldapts waits for the StartTLS response, then calls createSecureConnection: that call
      // ends the StartTLS phase and starts the handshake phase.
      await withTimeout(
        Promise.race([handshakeStarted, upgrade]),
        timeouts.startTlsMs,
        () => fail('StartTLS', `got no response to the StartTLS request within ${seconds(timeouts.startTlsMs)}`),
        error =>
          typeof (error as { code?: unknown }).code === 'number'
            ? fail('StartTLS', `was refused: ${describeLdapError(error)}`)
            : fail(
                'StartTLS',
                `failed: ${describeLdapError(error)} (if this port speaks TLS from the first byte, use protocol ldaps)`
              )
      )
      await withTimeout(
        upgrade,
        timeouts.handshakeMs,
        () => fail('TLS handshake', `did not complete within ${seconds(timeouts.handshakeMs)} after StartTLS`),
        error => fail('TLS handshake', `failed after StartTLS: ${describeSocketError(error, wire)}`)
      )
    } else {
      secure = handshake()
      const s = secure
      await withTimeout(
        new Promise<void>((resolve, reject) => {
          s.once('secureConnect', () => resolve())
          s.once('error', reject)
          s.once('close', () => reject(new Error('the server closed the connection')))
        }),
        timeouts.handshakeMs,
        () =>
          fail(
            'TLS handshake',
            `did not complete within ${seconds(timeouts.handshakeMs)} (the server accepted TCP but did not answer the ClientHello${options.protocol === 'ldaps' ? '; is this a plain LDAP port? try protocol starttls' : ''})`
          ),
        error =>
          fail(
            'TLS handshake',
            `failed: ${describeSocketError(error, wire)}${options.protocol === 'ldaps' ? ' (if this port speaks plain LDAP, use protocol starttls)' : ''}`
          )
      )
      if (options.protocol === 'ldaps') {
        const ready = s
        client = new Client({
          url: `ldaps://${target}`,
          timeout: timeouts.ldapMs + 1_000,
          createSecureConnection: once('TLS', () => ready) as unknown as typeof tls.connect
        })
      }
    }
  } catch (error) {
    await close()
    throw error
  }
  const established = secure!
  established.on('error', () => undefined)
  return {
    tls: established,
    get client() {
      return client
    },
    captured: () => wire?.certificates(),
    close
  }
}

/**
 * A socket hook for ldapts that works once: ldapts reconnects through its hooks when a connection
 * drops, and a reconnect would be a connection nobody judged (see the file header).
 */
function once<T>(what: string, make: () => T): () => T {
  let made = false
  return () => {
    if (made) throw new Error(`the probe's ${what} connection was closed; it is not reopened`)
    made = true
    return make()
  }
}

/**
 * Bytes of LDAP answer read for the root DSE, and for the bind with its search, before the probe
 * stops reading. The three root DSE attributes asked for take well under 1 KB on Active
 * Directory, its whole root DSE (a server may send every attribute) about 10 KB, a bind response
 * and a base search for no attributes a few hundred bytes; 64 KiB leaves room. ldapts buffers a
 * message until it is complete, so without a bound a server could make the probe hold (and
 * report) megabytes.
 */
export const MAX_LDAP_ANSWER_BYTES = 64 * 1024

/**
 * Counts what arrives on `socket` (the decrypted LDAP stream ldapts reads) from now on; past
 * `maxBytes` it closes the connection and `exceeded` rejects with `error()`.
 */
function limitBytes(
  socket: tls.TLSSocket,
  maxBytes: number,
  error: () => Error
): { readonly exceeded: Promise<never>; stop(): void } {
  let received = 0
  let reject: (reason: Error) => void = () => undefined
  const exceeded = new Promise<never>((_, r) => (reject = r))
  exceeded.catch(() => undefined)
  const onData = (chunk: Buffer): void => {
    received += chunk.length
    if (received <= maxBytes) return
    socket.off('data', onData)
    reject(error())
    socket.destroy()
  }
  socket.on('data', onData)
  return { exceeded, stop: () => socket.off('data', onData) }
}

async function readRootDse(
  client: Client,
  socket: tls.TLSSocket,
  options: ProbeOptions,
  timeouts: ProbeTimeouts
): Promise<RootDse> {
  const limit = limitBytes(
    socket,
    MAX_LDAP_ANSWER_BYTES,
    () =>
      new ProbeError(
        'LDAP root DSE read',
        `TLS probe (${options.protocol}) of ${options.connectTo}:${options.port}: the LDAP root DSE answer is larger than ${MAX_LDAP_ANSWER_BYTES} bytes; the probe stopped reading it (a root DSE is a few KB)`
      )
  )
  const result = await withTimeout(
    Promise.race([
      client.search('', {
        scope: 'base',
        filter: '(objectClass=*)',
        attributes: ['namingContexts', 'supportedLDAPVersion', 'defaultNamingContext'],
        timeLimit: Math.ceil(timeouts.ldapMs / 1000)
      }),
      limit.exceeded
    ]),
    timeouts.ldapMs,
    () =>
      new ProbeError(
        'LDAP root DSE read',
        `TLS probe (${options.protocol}) of ${options.connectTo}:${options.port}: the LDAP root DSE read got no answer within ${seconds(timeouts.ldapMs)} (TLS works, but no LDAP server answers behind it)`
      ),
    error =>
      new ProbeError(
        'LDAP root DSE read',
        `TLS probe (${options.protocol}) of ${options.connectTo}:${options.port}: the LDAP root DSE read failed: ${describeLdapError(error)}`
      )
  ).finally(() => limit.stop())
  const entry = result.searchEntries[0]
  const values = (name: string): string[] => {
    const v = entry?.[name]
    if (v === undefined) return []
    return (Array.isArray(v) ? v : [v]).map(x => (Buffer.isBuffer(x) ? x.toString('utf8') : String(x)))
  }
  const defaultNamingContext = values('defaultNamingContext')[0]
  return {
    namingContexts: values('namingContexts'),
    supportedLDAPVersion: values('supportedLDAPVersion'),
    ...(defaultNamingContext === undefined ? {} : { defaultNamingContext })
  }
}

/** Rejects with `onTimeout()` after `ms`, or with `onError(e)` when `work` fails. */
async function withTimeout<T>(
  work: Promise<T>,
  ms: number,
  onTimeout: () => Error,
  onError: (error: unknown) => Error = error => (error instanceof Error ? error : new Error(String(error)))
): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([
      work.catch((error: unknown) => {
        throw error instanceof ProbeError ? error : onError(error)
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(onTimeout()), ms)
      })
    ])
  } finally {
    clearTimeout(timer)
  }
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`
}

function errorCode(error: Error | string | null | undefined): string | undefined {
  if (error === null || error === undefined) return undefined
  if (typeof error === 'string') return error
  return (error as NodeJS.ErrnoException).code ?? error.message
}

// OpenSSL's answer to bytes that do not parse as a TLS record (an HTTP or plain-text server).
const NOT_TLS_CODES = new Set([
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_PACKET_LENGTH_TOO_LONG',
  'ERR_SSL_HTTP_REQUEST'
])

function describeSocketError(error: unknown, wire?: WireTap): string {
  const e = error as NodeJS.ErrnoException
  if (e?.code !== undefined && NOT_TLS_CODES.has(e.code)) {
    const sent = wire?.preview()
    return `the server answered with bytes that are not TLS${sent ? ` (it sent ${sent})` : ''} (${e.code})`
  }
  switch (e?.code) {
    case 'ECONNREFUSED':
      return 'connection refused (nothing listens on that port)'
    case 'ECONNRESET':
      return 'the server reset the connection (ECONNRESET)'
    case 'EHOSTUNREACH':
      return 'host unreachable (EHOSTUNREACH)'
    case 'ENETUNREACH':
      return 'network unreachable (ENETUNREACH)'
    default:
      return e instanceof Error ? (e.code !== undefined ? `${e.message} (${e.code})` : e.message) : String(error)
  }
}

function describeLdapError(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const code = (error as { code?: unknown }).code
  return typeof code === 'number' ? `${error.message} (LDAP result code ${code})` : describeSocketError(error)
}

/**
 * A duplex between the TCP socket and TLS that keeps the server's handshake records until the
 * cipher changes, so the Certificate message of TLS 1.2 and earlier can be read as sent.
 */
class WireTap extends Duplex {
  private readonly socket: net.Socket
  private inbound: Buffer[] = []
  private inboundBytes = 0
  constructor(socket: net.Socket) {
    super()
    this.socket = socket
    socket.on('data', (chunk: Buffer) => {
      if (this.inboundBytes < 1_000_000) {
        this.inbound.push(chunk)
        this.inboundBytes += chunk.length
      }
      if (!this.push(chunk)) socket.pause()
    })
    socket.on('end', () => this.push(null))
    socket.on('error', error => this.destroy(error))
    socket.on('close', () => this.destroy())
  }

  override _read(): void {
    this.socket.resume()
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.socket.write(chunk, callback)
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.socket.end(callback)
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.socket.destroy()
    callback(error)
  }

  /** The first bytes the server sent, printable characters kept, for messages. */
  preview(): string | undefined {
    const head = Buffer.concat(this.inbound).subarray(0, 40)
    if (head.length === 0) return undefined
    return JSON.stringify(head.toString('latin1').replace(/[^\x20-\x7e]/g, '.'))
  }

  /** The certificate_list of a cleartext TLS Certificate message, or undefined. */
  certificates(): Buffer[] | undefined {
    return parseCertificateMessage(Buffer.concat(this.inbound))
  }
}

/**
 * Reads TLS records up to the first ChangeCipherSpec and returns the certificates of the
 * Certificate handshake message (type 11). The inbound bytes may start with a plain LDAP
 * StartTLS response, so the first TLS record is located by its header.
 */
export function parseCertificateMessage(bytes: Buffer): Buffer[] | undefined {
  let offset = findFirstRecord(bytes)
  if (offset < 0) return undefined
  let handshake = Buffer.alloc(0)
  while (offset + 5 <= bytes.length) {
    const type = bytes[offset]!
    const length = bytes.readUInt16BE(offset + 3)
    if (offset + 5 + length > bytes.length) break
    if (type === 20 || type === 23) break // ChangeCipherSpec / application data: encrypted from here
    if (type === 22) handshake = Buffer.concat([handshake, bytes.subarray(offset + 5, offset + 5 + length)])
    offset += 5 + length
  }
  let at = 0
  while (at + 4 <= handshake.length) {
    const msgType = handshake[at]!
    const msgLength = handshake.readUIntBE(at + 1, 3)
    if (at + 4 + msgLength > handshake.length) return undefined
    if (msgType === 11) {
      const body = handshake.subarray(at + 4, at + 4 + msgLength)
      const listLength = body.readUIntBE(0, 3)
      const certificates: Buffer[] = []
      let p = 3
      while (p + 3 <= 3 + listLength && p + 3 <= body.length) {
        const certLength = body.readUIntBE(p, 3)
        certificates.push(Buffer.from(body.subarray(p + 3, p + 3 + certLength)))
        p += 3 + certLength
      }
      return certificates
    }
    at += 4 + msgLength
  }
  return undefined
}

function findFirstRecord(bytes: Buffer): number {
  for (let i = 0; i + 5 <= bytes.length; i++) {
    // handshake record, TLS 1.0-1.2 record version, then a ServerHello (type 2)
    if (bytes[i] === 22 && bytes[i + 1] === 3 && bytes[i + 2]! <= 3 && bytes[i + 5] === 2) return i
  }
  return -1
}
