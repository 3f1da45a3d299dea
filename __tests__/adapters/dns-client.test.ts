// The DNS client against a real BIND 9 server on 127.0.5.1, a UDP black hole (a socket that reads
// and never answers) and a closed port: answers, TCP fallback on truncation, and each failure
// classified so the propagation table can tell "no answer" from "refused" from "old data".

import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { createSocket, type Socket } from 'node:dgram'
import { ensureLoopbackAddress, startBindPair, type BindPair } from '../helpers/bind.ts'
import {
  DnsNetworkError,
  queryDns,
  queryRecursive,
  addressesIn,
  soaSerial,
  parseResolverList
} from '../../src/adapters/dns-client.ts'

const SERVER = { host: '127.0.5.1', port: 53 }
const BLACK_HOLE = { host: '127.0.5.9', port: 5353 }
let pair: BindPair
let hole: Socket

before(async () => {
  const big = Array.from({ length: 90 }, (_, i) => `big IN A 192.0.2.${i + 1}`)
  pair = await startBindPair({ primary: SERVER.host, withSecondary: false, records: ['ldaps IN A 192.0.2.7', ...big] })
  await ensureLoopbackAddress(BLACK_HOLE.host)
  hole = createSocket('udp4')
  hole.on('message', () => {})
  await new Promise<void>(resolve => hole.bind(BLACK_HOLE.port, BLACK_HOLE.host, resolve))
})
after(async () => {
  hole?.close()
  await pair?.stop()
})

test('an authoritative answer over UDP, without recursion', async () => {
  const response = await queryDns(SERVER, 'ldaps.example.test', 'A')
  assert.equal(response.rcode, 'NOERROR')
  assert.equal(response.authoritative, true)
  assert.equal(response.transport, 'udp')
  assert.deepEqual(addressesIn(response.answers, 'ldaps.example.test', 'A'), ['192.0.2.7'])
  const soa = await queryDns(SERVER, 'example.test', 'SOA')
  assert.equal(soaSerial(soa.answers[0]!), 1)
  const missing = await queryDns(SERVER, 'nothing.example.test', 'A')
  assert.equal(missing.rcode, 'NXDOMAIN')
  assert.equal(missing.authorities[0]?.type, 'SOA')
})

test('a truncated UDP answer is asked again over TCP', async () => {
  const response = await queryDns(SERVER, 'big.example.test', 'A')
  assert.equal(response.transport, 'tcp')
  assert.equal(addressesIn(response.answers, 'big.example.test', 'A').length, 90)
})

test('TCP only when asked', async () => {
  const response = await queryDns(SERVER, 'ldaps.example.test', 'A', { transport: 'tcp' })
  assert.equal(response.transport, 'tcp')
})

test('a server that never answers is a timeout naming the address', async () => {
  await assert.rejects(queryDns(BLACK_HOLE, 'ldaps.example.test', 'A', { timeoutMs: 200 }), (e: Error) => {
    assert.ok(e instanceof DnsNetworkError)
    assert.equal(e.failure, 'timeout')
    assert.match(e.message, /127\.0\.5\.9:5353 did not answer within 200 ms/)
    return true
  })
})

test('a closed port is "refused", not a timeout', async () => {
  await assert.rejects(
    queryDns({ host: '127.0.5.1', port: 5399 }, 'ldaps.example.test', 'A', { timeoutMs: 2000 }),
    (e: Error) => {
      assert.ok(e instanceof DnsNetworkError)
      assert.equal(e.failure, 'refused')
      return true
    }
  )
})

test('recursive queries try the next resolver when one fails', async () => {
  const response = await queryRecursive([BLACK_HOLE, SERVER], 'ldaps.example.test', 'A', { timeoutMs: 200 })
  assert.deepEqual(addressesIn(response.answers, 'ldaps.example.test', 'A'), ['192.0.2.7'])
  await assert.rejects(queryRecursive([BLACK_HOLE], 'ldaps.example.test', 'A', { timeoutMs: 100 }), DnsNetworkError)
})

test("the runner's own resolvers: Node's list entries are read as host and port", () => {
  assert.deepEqual(parseResolverList(['127.0.5.1', '127.0.5.2:5300', '::1', '[::1]:5353']), [
    { host: '127.0.5.1', port: 53 },
    { host: '127.0.5.2', port: 5300 },
    { host: '::1', port: 53 },
    { host: '::1', port: 5353 }
  ])
})
