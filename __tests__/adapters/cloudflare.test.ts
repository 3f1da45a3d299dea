// The Cloudflare adapter through its real fetch client against a local server that follows the
// Cloudflare v4 API contract (__tests__/helpers/cloudflare-server.ts), driven by the real plan and
// write steps, so races and conflicts go through the same re-read/re-plan loop as a run. What
// every provider owes is in __tests__/providers/cloudflare.test.ts; this file keeps what is
// Cloudflare's own: records by id, proxied, several records per name, its retry policy and tokens.

import { after, before, beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  backoff,
  createCloudflareProvider,
  type CloudflareRetryPolicy
} from '../../src/adapters/providers/cloudflare.ts'
import type { DnsProvider } from '../../src/adapters/providers/provider.ts'
import { startCloudflareServer, type CloudflareServer, type FakeZone } from '../helpers/cloudflare-server.ts'
import { settingsFrom } from '../helpers/settings.ts'
import { upsert as upsertWith } from '../helpers/upsert.ts'

const HOST = '127.0.7.11'
const TOKEN = 'cf-test-token-edit'
const READ_ONLY_TOKEN = 'cf-test-token-read'
const NAME = 'ldaps.contoso100.com'
const IP = '203.0.113.10'
const FAST_RETRY: CloudflareRetryPolicy = { maxAttempts: 5, baseDelayMs: 20, maxDelayMs: 2000, maxTotalDelayMs: 10_000 }

let server: CloudflareServer
let zone: FakeZone

before(async () => {
  server = await startCloudflareServer(HOST)
})
after(() => server.close())

beforeEach(() => {
  server.reset()
  zone = server.addZone('contoso100.com')
  const other = server.addZone('fabrikam.com')
  server.tokens.set(TOKEN, { zones: [zone.id, other.id], edit: true })
  server.tokens.set(READ_ONLY_TOKEN, { zones: [zone.id], edit: false })
})

function provider(token = TOKEN, zoneId?: string, retry = FAST_RETRY): DnsProvider {
  return createCloudflareProvider({ kind: 'cloudflare', apiToken: token, zoneId }, { baseUrl: server.baseUrl, retry })
}

/** Plans and writes as a run with these inputs would; returns the report. */
async function upsert(p: DnsProvider, inputs: Record<string, string> = {}) {
  const settings = settingsFrom({
    domain: NAME,
    ip: IP,
    provider: 'cloudflare',
    'cloudflare-api-token': TOKEN,
    ...inputs
  })
  return (await upsertWith(p, settings)).report
}

const atName = (type = 'A') => server.records.filter(r => r.name === NAME && r.type === type)
const recordReads = () => server.requests.filter(r => r.method === 'GET' && r.path.endsWith('/dns_records'))

describe('Cloudflare zone discovery', () => {
  it('finds the longest zone suffix of the domain by name', async () => {
    const corp = server.addZone('corp.contoso100.com')
    server.tokens.set(TOKEN, { zones: [zone.id, corp.id], edit: true })
    const found = await provider().findZone('ldaps.corp.contoso100.com', undefined)
    assert.deepEqual(found, { name: 'corp.contoso100.com', id: corp.id, visibility: 'public' })
    const names = server.requests.filter(r => r.path.endsWith('/zones')).map(r => r.query.get('name'))
    assert.deepEqual(names, ['ldaps.corp.contoso100.com', 'corp.contoso100.com'])
  })

  it('uses cloudflare-zone-id and checks the domain is inside it', async () => {
    assert.deepEqual(await provider(TOKEN, zone.id).findZone(NAME, undefined), {
      name: 'contoso100.com',
      id: zone.id,
      visibility: 'public'
    })
    const other = server.zones.find(z => z.name === 'fabrikam.com')!
    await assert.rejects(provider(TOKEN, other.id).findZone(NAME, undefined), /not in zone fabrikam\.com/)
  })

  it('works with a DNS-only token when cloudflare-zone-id and zone are both given', async () => {
    server.tokens.set('dns-only', { zones: [zone.id], edit: true, zoneRead: false })
    await assert.rejects(provider('dns-only').findZone(NAME, undefined), /Zone → Zone → Read/)
    await assert.rejects(
      provider('dns-only', zone.id).findZone(NAME, undefined),
      /Zone → Zone → Read .*set cloudflare-zone-id and zone/
    )
    const p = provider('dns-only', zone.id)
    assert.deepEqual(await p.findZone(NAME, 'contoso100.com'), {
      name: 'contoso100.com',
      id: zone.id,
      visibility: 'public'
    })
    await upsert(p, { zone: 'contoso100.com' })
    assert.equal(atName()[0]?.content, IP)
  })

  it('says which zones it tried when the token sees none of them', async () => {
    await assert.rejects(
      provider().findZone('ldaps.northwind.com', undefined),
      /none of ldaps\.northwind\.com, northwind\.com is a zone the API token can see/
    )
  })
})

describe('Cloudflare upsert', () => {
  it('creates the record with proxied false (DNS only, so the name points at the endpoint itself)', async () => {
    await upsert(provider())
    assert.deepEqual(
      server.writes().map(w => [w.method, w.body.proxied]),
      [['POST', false]]
    )
    assert.equal(atName()[0]?.proxied, false)
  })

  it('replaces by record id keeping comment and tags, then deletes the surplus records', async () => {
    const kept = server.addRecord(zone, {
      name: NAME,
      type: 'A',
      content: '198.51.100.1',
      ttl: 3600,
      comment: 'LDAPS for Entra DS',
      tags: ['owner:identity', 'env:prod']
    })
    const surplus = server.addRecord(zone, { name: NAME, type: 'A', content: '198.51.100.2', ttl: 3600 })
    const txt = server.addRecord(zone, { name: NAME, type: 'TXT', content: '"v=keep"' })
    const neighbour = server.addRecord(zone, { name: 'www.contoso100.com', type: 'A', content: '198.51.100.1' })
    const aaaa = server.addRecord(zone, { name: NAME, type: 'AAAA', content: '2001:db8::1' })

    const report = await upsert(provider())
    assert.equal(report.record?.action, 'replace')
    assert.deepEqual(report.record?.found?.values, ['198.51.100.1', '198.51.100.2'])
    assert.deepEqual(
      server.writes().map(w => `${w.method} ${w.path.split('/').pop()}`),
      [`PATCH ${kept.id}`, `DELETE ${surplus.id}`]
    )
    const [record, ...rest] = atName()
    assert.equal(rest.length, 0)
    assert.equal(record?.id, kept.id)
    assert.equal(record?.content, IP)
    assert.equal(record?.ttl, 300)
    assert.equal(record?.comment, 'LDAPS for Entra DS')
    assert.deepEqual(record?.tags, ['owner:identity', 'env:prod'])
    for (const untouched of [txt, neighbour, aaaa]) assert.ok(server.records.includes(untouched))
  })

  it('keeps the record that already holds the address when several exist', async () => {
    server.addRecord(zone, { name: NAME, type: 'A', content: '198.51.100.7' })
    const right = server.addRecord(zone, { name: NAME, type: 'A', content: IP, comment: 'the right one' })
    await upsert(provider())
    assert.deepEqual(
      atName().map(r => [r.id, r.content, r.comment]),
      [[right.id, IP, 'the right one']]
    )
  })

  it('rewrites a proxied record with the right address as proxied false', async () => {
    const proxied = server.addRecord(zone, { name: NAME, type: 'A', content: IP, ttl: 1, proxied: true })
    const report = await upsert(provider())
    assert.equal(report.record?.action, 'replace')
    assert.equal(proxied.proxied, false)
    assert.equal(proxied.ttl, 300)
  })

  it('writes AAAA for an IPv6 address and compares addresses canonically', async () => {
    server.addRecord(zone, { name: NAME, type: 'AAAA', content: '2001:DB8:0:0::10' })
    const report = await upsert(provider(), { ip: '2001:db8::10' })
    assert.equal(report.record?.action, 'none')
    assert.equal(server.writes().length, 0)
  })

  it('notices a record created by someone else before its own create', async () => {
    let raced = false
    server.afterRequest = request => {
      if (!raced && request.method === 'GET' && request.path.endsWith('/dns_records')) {
        raced = true
        server.addRecord(zone, { name: NAME, type: 'A', content: '198.51.100.50' })
      }
    }
    await upsert(provider())
    assert.deepEqual(
      atName().map(r => r.content),
      [IP]
    )
    assert.deepEqual(
      server.writes().map(w => w.method),
      ['PATCH']
    )
  })

  it('notices a record another writer adds while it creates, and re-plans to exactly ip', async () => {
    let raced = false
    server.afterRequest = request => {
      if (!raced && request.method === 'POST') {
        raced = true
        server.addRecord(zone, { name: NAME, type: 'A', content: '198.51.100.60' })
      }
    }
    const report = await upsert(provider())
    assert.equal(report.record?.changed, true)
    assert.deepEqual(
      atName().map(r => r.content),
      [IP]
    )
    assert.deepEqual(
      server.writes().map(w => w.method),
      ['POST', 'DELETE']
    )
  })

  it('follows result_info pages when listing the records at the name', async () => {
    for (let i = 0; i < 150; i++) server.addRecord(zone, { name: NAME, type: 'TXT', content: `"note ${i}"` })
    server.addRecord(zone, { name: NAME, type: 'A', content: IP, ttl: 300 })
    const current = await provider().read({ name: 'contoso100.com', id: zone.id }, NAME, 'A')
    assert.deepEqual(current.recordSet?.values, [IP])
    assert.deepEqual(
      recordReads().map(r => r.query.get('page')),
      ['1', '2']
    )
  })
})

describe('Cloudflare errors and retries', () => {
  it('reads CLOUDFLARE_BASE_URL and refuses to send the token over plain HTTP off loopback', async () => {
    const saved = process.env['CLOUDFLARE_BASE_URL']
    try {
      process.env['CLOUDFLARE_BASE_URL'] = server.baseUrl
      const fromEnv = createCloudflareProvider({ kind: 'cloudflare', apiToken: TOKEN, zoneId: undefined })
      assert.equal((await fromEnv.findZone(NAME, undefined)).id, zone.id)
      process.env['CLOUDFLARE_BASE_URL'] = 'http://api.example.net/client/v4'
      assert.throws(
        () => createCloudflareProvider({ kind: 'cloudflare', apiToken: TOKEN, zoneId: undefined }),
        /CLOUDFLARE_BASE_URL must be an https URL/
      )
    } finally {
      if (saved === undefined) delete process.env['CLOUDFLARE_BASE_URL']
      else process.env['CLOUDFLARE_BASE_URL'] = saved
    }
  })

  it('explains a token that may read but not edit DNS, after reading only', async () => {
    await assert.rejects(
      upsert(provider(READ_ONLY_TOKEN)),
      /refused while trying to create ldaps\.contoso100\.com A in zone contoso100\.com .*Zone → DNS → Edit/
    )
    assert.equal(server.records.length, 0)
  })

  it('survives three consecutive 429 answers, honouring Retry-After', async () => {
    server.faults.push(
      { status: 429, retryAfter: '1' },
      { status: 429, retryAfter: '1' },
      { status: 429, retryAfter: '1' }
    )
    const started = Date.now()
    await upsert(provider())
    const zoneLookups = server.requests.filter(r => r.path.endsWith('/zones'))
    assert.ok(zoneLookups.length >= 4, 'the throttled request was repeated three times')
    // Honouring Retry-After is a correctness property: the client may not come back earlier.
    assert.ok(Date.now() - started >= 2900)
    assert.equal(atName()[0]?.content, IP)
  })

  it('honours Retry-After as an HTTP date too, and caps what it waits for', () => {
    const policy: CloudflareRetryPolicy = {
      maxAttempts: 5,
      baseDelayMs: 100,
      maxDelayMs: 5000,
      maxTotalDelayMs: 10_000
    }
    assert.equal(backoff(policy, 1, '2'), 2000)
    assert.equal(backoff(policy, 1, '3600'), 5000)
    const date = backoff(policy, 1, new Date(Date.now() + 3000).toUTCString())
    assert.ok(date > 1000 && date <= 3000, String(date))
    for (let attempt = 1; attempt <= 8; attempt++) {
      const ceiling = Math.min(100 * 2 ** (attempt - 1), 5000)
      const delay = backoff(policy, attempt, null)
      assert.ok(delay >= ceiling / 2 && delay <= ceiling, `attempt ${attempt}: ${delay}`)
    }
  })

  it('gives up after a bounded number of attempts with a clear message', async () => {
    for (let i = 0; i < 10; i++) server.faults.push({ status: 429, retryAfter: '0' })
    await assert.rejects(
      provider().findZone(NAME, undefined),
      /Cloudflare: GET \/zones\?name=.* answered HTTP 429 5 times in a row.*971 Please wait/
    )
    assert.equal(server.requests.length, 5)
  })

  it('turns a Cloudflare validation error into a message naming the record', async () => {
    await assert.rejects(
      upsert(provider(), { ttl: '100000' }),
      /Cloudflare: could not create ldaps\.contoso100\.com A in zone contoso100\.com: HTTP 400: 9021 Invalid TTL/
    )
  })
})
