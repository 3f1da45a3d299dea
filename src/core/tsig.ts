// TSIG (RFC 8945): signing a DNS request and verifying the signed response. Pure: the time is
// passed in, and the messages are byte buffers, so every step of the MAC computation is visible.
//
// Request MAC  = HMAC(key, request without TSIG  || TSIG variables)
// Response MAC = HMAC(key, request MAC size || request MAC || response without TSIG || variables)
// where "without TSIG" means ARCOUNT one less and the header ID set to the TSIG Original ID, and
// the variables are key name and algorithm name in canonical (lowercase, uncompressed) wire form,
// class ANY, TTL 0, time signed (48 bits), fudge, error, other len and other data (§4.3.3).

import { createHmac, timingSafeEqual } from 'node:crypto'
import type { TsigAlgorithm } from './settings.ts'

export interface TsigKey {
  /** Key name as configured on the server, e.g. "update-key" (trailing dot optional). */
  readonly name: string
  readonly algorithm: TsigAlgorithm
  /** The shared secret, base64. */
  readonly secret: string
}

const TYPE_TSIG = 250
const CLASS_ANY = 255
export const DEFAULT_FUDGE_SECONDS = 300

const ALGORITHM_NAMES: Record<TsigAlgorithm, { wire: string; hash: string; size: number }> = {
  'hmac-md5': { wire: 'hmac-md5.sig-alg.reg.int', hash: 'md5', size: 16 },
  'hmac-sha1': { wire: 'hmac-sha1', hash: 'sha1', size: 20 },
  'hmac-sha224': { wire: 'hmac-sha224', hash: 'sha224', size: 28 },
  'hmac-sha256': { wire: 'hmac-sha256', hash: 'sha256', size: 32 },
  'hmac-sha384': { wire: 'hmac-sha384', hash: 'sha384', size: 48 },
  'hmac-sha512': { wire: 'hmac-sha512', hash: 'sha512', size: 64 }
}

/** TSIG error codes (RFC 8945 §5.2, RFC 2845) with what each means for the user. */
export const TSIG_ERRORS: Record<number, string> = {
  16: 'BADSIG (the server knows the key name but the signature does not verify: wrong secret or algorithm)',
  17: 'BADKEY (the server does not know this key name and algorithm)',
  18: 'BADTIME (the clocks of the runner and the server differ by more than the fudge)',
  22: 'BADTRUNC (the MAC was truncated too far)'
}

export class TsigError extends Error {
  /** The TSIG error code from the response (16 BADSIG, 17 BADKEY, 18 BADTIME), when there is one. */
  readonly code: number | undefined
  constructor(message: string, code?: number) {
    super(message)
    this.name = 'TsigError'
    this.code = code
  }
}

/** A name in canonical wire form: lowercase labels, uncompressed, ending in the root label. */
export function encodeCanonicalName(name: string): Buffer {
  const trimmed = name.replace(/\.$/, '').toLowerCase()
  const labels = trimmed === '' ? [] : trimmed.split('.')
  const parts: Buffer[] = []
  for (const label of labels) {
    const bytes = Buffer.from(label, 'ascii')
    if (bytes.length === 0 || bytes.length > 63) throw new TsigError(`TSIG: invalid label in name "${name}"`)
    parts.push(Buffer.from([bytes.length]), bytes)
  }
  parts.push(Buffer.from([0]))
  return Buffer.concat(parts)
}

function uint16(n: number): Buffer {
  const b = Buffer.alloc(2)
  b.writeUInt16BE(n)
  return b
}

function uint48(n: number): Buffer {
  const b = Buffer.alloc(6)
  b.writeUIntBE(n, 0, 6)
  return b
}

interface TimersAndError {
  readonly timeSigned: number
  readonly fudge: number
  readonly error: number
  readonly otherData: Buffer
}

function variables(key: TsigKey, t: TimersAndError): Buffer {
  return Buffer.concat([
    encodeCanonicalName(key.name),
    uint16(CLASS_ANY),
    Buffer.from([0, 0, 0, 0]), // TTL
    encodeCanonicalName(ALGORITHM_NAMES[key.algorithm].wire),
    uint48(t.timeSigned),
    uint16(t.fudge),
    uint16(t.error),
    uint16(t.otherData.length),
    t.otherData
  ])
}

function hmac(key: TsigKey, parts: readonly Buffer[]): Buffer {
  const mac = createHmac(ALGORITHM_NAMES[key.algorithm].hash, Buffer.from(key.secret, 'base64'))
  for (const part of parts) mac.update(part)
  return mac.digest()
}

export interface SignedRequest {
  /** The request with the TSIG record appended and ARCOUNT incremented. */
  readonly message: Buffer
  /** The request MAC, which the response MAC covers. */
  readonly mac: Buffer
}

/** Signs a complete DNS message (without TSIG) at `now`. */
export function signTsig(message: Buffer, key: TsigKey, now: Date, fudge = DEFAULT_FUDGE_SECONDS): SignedRequest {
  if (message.length < 12) throw new TsigError('TSIG: message shorter than a DNS header')
  const timeSigned = Math.floor(now.getTime() / 1000)
  const t = { timeSigned, fudge, error: 0, otherData: Buffer.alloc(0) }
  const mac = hmac(key, [message, variables(key, t)])
  const originalId = message.readUInt16BE(0)
  const rdata = Buffer.concat([
    encodeCanonicalName(ALGORITHM_NAMES[key.algorithm].wire),
    uint48(timeSigned),
    uint16(fudge),
    uint16(mac.length),
    mac,
    uint16(originalId),
    uint16(0), // error
    uint16(0) // other len
  ])
  const record = Buffer.concat([
    encodeCanonicalName(key.name),
    uint16(TYPE_TSIG),
    uint16(CLASS_ANY),
    Buffer.from([0, 0, 0, 0]),
    uint16(rdata.length),
    rdata
  ])
  const signed = Buffer.concat([message, record])
  signed.writeUInt16BE(message.readUInt16BE(10) + 1, 10)
  return { message: signed, mac }
}

/** Reads a possibly compressed name at `offset`; returns it and the offset after it. */
function readName(buf: Buffer, offset: number): { name: string; next: number } {
  const labels: string[] = []
  let next: number | undefined
  let position = offset
  for (let jumps = 0; jumps < 128; jumps++) {
    if (position >= buf.length) throw new TsigError('TSIG: truncated name in response')
    const len = buf[position]!
    if (len === 0) {
      return { name: labels.join('.').toLowerCase(), next: next ?? position + 1 }
    }
    if ((len & 0xc0) === 0xc0) {
      if (next === undefined) next = position + 2
      position = buf.readUInt16BE(position) & 0x3fff
      continue
    }
    if ((len & 0xc0) !== 0) throw new TsigError('TSIG: bad label in response')
    labels.push(buf.toString('latin1', position + 1, position + 1 + len))
    position += 1 + len
  }
  throw new TsigError('TSIG: name compression loop in response')
}

/** Offset of the last record of the additional section, or undefined when ARCOUNT is 0. */
function lastAdditionalOffset(buf: Buffer): number | undefined {
  const counts = [buf.readUInt16BE(4), buf.readUInt16BE(6), buf.readUInt16BE(8), buf.readUInt16BE(10)]
  if (counts[3] === 0) return undefined
  let offset = 12
  for (let i = 0; i < counts[0]!; i++) offset = readName(buf, offset).next + 4
  const records = counts[1]! + counts[2]! + counts[3]!
  let last = offset
  for (let i = 0; i < records; i++) {
    last = offset
    offset = readName(buf, offset).next
    if (offset + 10 > buf.length) throw new TsigError('TSIG: truncated record in response')
    offset += 10 + buf.readUInt16BE(offset + 8)
  }
  if (offset > buf.length) throw new TsigError('TSIG: truncated record in response')
  return last
}

export interface TsigRecord {
  readonly keyName: string
  readonly algorithm: string
  readonly timeSigned: number
  readonly fudge: number
  readonly mac: Buffer
  readonly originalId: number
  readonly error: number
  readonly otherData: Buffer
  /** Where the TSIG record starts in the message. */
  readonly offset: number
}

/** The TSIG record at the end of a message, or undefined when the message is not signed. */
export function parseTsigRecord(buf: Buffer): TsigRecord | undefined {
  const offset = lastAdditionalOffset(buf)
  if (offset === undefined) return undefined
  const owner = readName(buf, offset)
  let p = owner.next
  if (buf.readUInt16BE(p) !== TYPE_TSIG) return undefined
  p += 10
  const algorithm = readName(buf, p)
  p = algorithm.next
  const timeSigned = buf.readUIntBE(p, 6)
  const fudge = buf.readUInt16BE(p + 6)
  const macSize = buf.readUInt16BE(p + 8)
  const mac = buf.subarray(p + 10, p + 10 + macSize)
  p += 10 + macSize
  const originalId = buf.readUInt16BE(p)
  const error = buf.readUInt16BE(p + 2)
  const otherLen = buf.readUInt16BE(p + 4)
  const otherData = buf.subarray(p + 6, p + 6 + otherLen)
  return {
    keyName: owner.name,
    algorithm: algorithm.name,
    timeSigned,
    fudge,
    mac,
    originalId,
    error,
    otherData,
    offset
  }
}

/**
 * Verifies the TSIG of a response to a request signed with `requestMac`. Throws TsigError naming
 * the problem (TSIG error from the server, unsigned response, wrong MAC, time outside the fudge);
 * returns the record when the response is authentic.
 */
export function verifyTsigResponse(response: Buffer, requestMac: Buffer, key: TsigKey, now: Date): TsigRecord {
  const record = parseTsigRecord(response)
  if (record === undefined) {
    throw new TsigError('TSIG: the response is not signed (a server that knows the key signs its answers)')
  }
  if (record.error !== 0) {
    throw new TsigError(
      `TSIG: the server rejected the key: ${TSIG_ERRORS[record.error] ?? `error ${record.error}`}`,
      record.error
    )
  }
  const keyName = key.name.replace(/\.$/, '').toLowerCase()
  if (record.keyName !== keyName) {
    throw new TsigError(`TSIG: the response is signed with key "${record.keyName}", not "${keyName}"`)
  }
  const algorithm = ALGORITHM_NAMES[key.algorithm]
  if (record.algorithm !== algorithm.wire) {
    throw new TsigError(`TSIG: the response is signed with ${record.algorithm}, not ${algorithm.wire}`)
  }
  const minimum = Math.max(10, Math.ceil(algorithm.size / 2))
  if (record.mac.length < minimum || record.mac.length > algorithm.size) {
    throw new TsigError(
      `TSIG: the response MAC has ${record.mac.length} bytes, outside ${minimum} to ${algorithm.size}`
    )
  }
  const unsigned = Buffer.from(response.subarray(0, record.offset))
  unsigned.writeUInt16BE(record.originalId, 0)
  unsigned.writeUInt16BE(unsigned.readUInt16BE(10) - 1, 10)
  const expected = hmac(key, [uint16(requestMac.length), requestMac, unsigned, variables(key, record)])
  if (!timingSafeEqual(expected.subarray(0, record.mac.length), record.mac)) {
    throw new TsigError('TSIG: the response signature does not verify (the answer may have been altered)', 16)
  }
  const skew = Math.abs(Math.floor(now.getTime() / 1000) - record.timeSigned)
  if (skew > record.fudge) {
    throw new TsigError(
      `TSIG: the response was signed ${skew} s away from the runner's clock (fudge ${record.fudge} s)`,
      18
    )
  }
  return record
}

/** Verifies a signed request (what a server does); used by tests to check the signer. */
export function verifyTsigRequest(request: Buffer, key: TsigKey): TsigRecord {
  const record = parseTsigRecord(request)
  if (record === undefined) throw new TsigError('TSIG: the request is not signed')
  const unsigned = Buffer.from(request.subarray(0, record.offset))
  unsigned.writeUInt16BE(record.originalId, 0)
  unsigned.writeUInt16BE(unsigned.readUInt16BE(10) - 1, 10)
  const expected = hmac(key, [unsigned, variables(key, record)])
  if (expected.length !== record.mac.length || !timingSafeEqual(expected, record.mac)) {
    throw new TsigError('TSIG: the request signature does not verify', 16)
  }
  return record
}
