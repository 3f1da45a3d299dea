// TSIG signing and verification (RFC 8945) without a server: the signer's output must verify as
// a server would check it, and a response MAC must cover the request MAC. The interoperability
// proof (BIND accepts our signatures and we accept BIND's) is in __tests__/adapters/rfc2136.test.ts.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac, randomBytes } from 'node:crypto'
import dnsPacket from 'dns-packet'
import {
  encodeCanonicalName,
  parseTsigRecord,
  signTsig,
  TsigError,
  verifyTsigRequest,
  verifyTsigResponse,
  type TsigKey
} from '../../src/core/tsig.ts'

const key: TsigKey = { name: 'Update-Key.', algorithm: 'hmac-sha256', secret: randomBytes(32).toString('base64') }
const now = new Date('2026-11-25T12:00:00Z')

function query(id: number): Buffer {
  return dnsPacket.encode({ type: 'query', id, questions: [{ type: 'SOA', name: 'example.test' }] })
}

/** Builds a signed response the way a server does (RFC 8945 §5.3), to test the verifier. */
function serverResponse(
  requestMac: Buffer,
  signingKey: TsigKey,
  options: { error?: number; time?: Date; tamper?: boolean } = {}
): Buffer {
  const id = 4321
  const body = dnsPacket.encode({
    type: 'response',
    id,
    flags: dnsPacket.AUTHORITATIVE_ANSWER,
    questions: [{ type: 'A', name: 'ldaps.example.test' }],
    answers: [{ type: 'A', name: 'ldaps.example.test', ttl: 60, data: '192.0.2.7' }]
  })
  const timeSigned = Math.floor((options.time ?? now).getTime() / 1000)
  const alg = encodeCanonicalName('hmac-sha256')
  const time = Buffer.alloc(8)
  time.writeUIntBE(timeSigned, 0, 6)
  time.writeUInt16BE(300, 6)
  const tail = Buffer.alloc(4)
  tail.writeUInt16BE(options.error ?? 0, 0)
  const vars = Buffer.concat([encodeCanonicalName(signingKey.name), Buffer.from([0, 255, 0, 0, 0, 0]), alg, time, tail])
  const macLen = Buffer.alloc(2)
  macLen.writeUInt16BE(requestMac.length)
  const mac =
    options.error === 17 || options.error === 16
      ? Buffer.alloc(0)
      : createHmac('sha256', Buffer.from(signingKey.secret, 'base64'))
          .update(Buffer.concat([macLen, requestMac, body, vars]))
          .digest()
  const rdataHead = Buffer.concat([alg, time])
  const macSize = Buffer.alloc(2)
  macSize.writeUInt16BE(mac.length)
  const rest = Buffer.alloc(6)
  rest.writeUInt16BE(id, 0)
  rest.writeUInt16BE(options.error ?? 0, 2)
  const rdata = Buffer.concat([rdataHead, macSize, mac, rest])
  const rr = Buffer.concat([
    encodeCanonicalName(signingKey.name),
    Buffer.from([0, 250, 0, 255, 0, 0, 0, 0]),
    Buffer.alloc(2),
    rdata
  ])
  rr.writeUInt16BE(rdata.length, rr.length - rdata.length - 2)
  const message = Buffer.concat([body, rr])
  message.writeUInt16BE(1, 10)
  if (options.tamper) message[message.indexOf(Buffer.from([192, 0, 2, 7])) + 3] = 8
  return message
}

test('a signed request carries a TSIG record a server verifies, with the key name in canonical form', () => {
  const signed = signTsig(query(1234), key, now)
  assert.equal(signed.message.readUInt16BE(10), 1, 'ARCOUNT counts the TSIG record')
  const record = verifyTsigRequest(signed.message, key)
  assert.equal(record.keyName, 'update-key')
  assert.equal(record.algorithm, 'hmac-sha256')
  assert.equal(record.timeSigned, now.getTime() / 1000)
  assert.equal(record.fudge, 300)
  assert.equal(record.originalId, 1234)
  assert.deepEqual(record.mac, signed.mac)
  assert.equal(record.mac.length, 32)
  assert.equal(parseTsigRecord(query(1))?.keyName, undefined)
})

test('each algorithm produces its full-length MAC', () => {
  for (const [algorithm, size] of [
    ['hmac-sha1', 20],
    ['hmac-sha224', 28],
    ['hmac-sha384', 48],
    ['hmac-sha512', 64],
    ['hmac-md5', 16]
  ] as const) {
    const k: TsigKey = { ...key, algorithm }
    const signed = signTsig(query(7), k, now)
    assert.equal(verifyTsigRequest(signed.message, k).mac.length, size, algorithm)
    assert.throws(
      () => verifyTsigRequest(signed.message, { ...k, secret: randomBytes(16).toString('base64') }),
      TsigError
    )
  }
})

test('a request signed with another secret does not verify', () => {
  const signed = signTsig(query(1), key, now)
  assert.throws(
    () => verifyTsigRequest(signed.message, { ...key, secret: randomBytes(32).toString('base64') }),
    /does not verify/
  )
})

test('a response verifies only with the request MAC it answers', () => {
  const signed = signTsig(query(4321), key, now)
  const response = serverResponse(signed.mac, key)
  assert.equal(verifyTsigResponse(response, signed.mac, key, now).error, 0)
  const other = signTsig(query(4321), key, new Date(now.getTime() + 1000))
  assert.throws(() => verifyTsigResponse(response, other.mac, key, now), /does not verify/)
})

test('an altered response is rejected', () => {
  const signed = signTsig(query(4321), key, now)
  assert.throws(
    () => verifyTsigResponse(serverResponse(signed.mac, key, { tamper: true }), signed.mac, key, now),
    /does not verify/
  )
})

test('BADKEY and BADSIG from the server become TsigErrors with the code and its meaning', () => {
  const signed = signTsig(query(4321), key, now)
  assert.throws(
    () => verifyTsigResponse(serverResponse(signed.mac, key, { error: 17 }), signed.mac, key, now),
    (e: unknown) => e instanceof TsigError && e.code === 17 && /BADKEY/.test(e.message)
  )
  assert.throws(
    () => verifyTsigResponse(serverResponse(signed.mac, key, { error: 16 }), signed.mac, key, now),
    (e: unknown) => e instanceof TsigError && e.code === 16 && /BADSIG/.test(e.message)
  )
})

test('a response signed outside the fudge is BADTIME; an unsigned one is rejected', () => {
  const signed = signTsig(query(4321), key, now)
  const late = serverResponse(signed.mac, key, { time: new Date(now.getTime() - 301_000) })
  assert.throws(
    () => verifyTsigResponse(late, signed.mac, key, now),
    (e: unknown) => e instanceof TsigError && e.code === 18
  )
  const unsigned = dnsPacket.encode({ type: 'response', id: 4321, questions: [{ type: 'A', name: 'x.test' }] })
  assert.throws(() => verifyTsigResponse(unsigned, signed.mac, key, now), /not signed/)
})

test('names are encoded lowercase and uncompressed, ending in the root label', () => {
  assert.deepEqual(encodeCanonicalName('AB.c.'), Buffer.from([2, 0x61, 0x62, 1, 0x63, 0]))
  assert.deepEqual(encodeCanonicalName('.'), Buffer.from([0]))
})
