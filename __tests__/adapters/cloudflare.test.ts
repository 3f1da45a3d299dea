// The Cloudflare adapter through its real fetch client against a local server that follows the
// Cloudflare v4 API contract (__tests__/helpers/cloudflare-server.ts), driven by the real plan and
// write steps, so races and conflicts go through the same re-read/re-plan loop as a run.

import { after, before, beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  backoff,
  createCloudflareProvider,
  type CloudflareRetryPolicy
} from '../../src/adapters/providers/cloudflare.ts'
import { ProviderError, type DnsProvider } from '../../src/adapters/providers/provider.ts'
import { planDnsChange, writeDnsChange } from '../../src/steps/dns-record.ts'
import { createReport, type Report } from '../../src/core/report.ts'
import type { Settings } from '../../src/core/settings.ts'
import { startCloudflareServer, type CloudflareServer, type FakeZone } from '../helpers/cloudflare-server.ts'

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
  server.zones.length = 0
  server.records.length = 0
  server.requests.length = 0
  server.faults.length = 0
  server.afterRequest = undefined
  server.tokens.clear()
  zone = server.addZone('contoso100.com')
  const other = server.addZone('fabrikam.com')
  server.tokens.set(TOKEN, { zones: [zone.id, other.id], edit: true })
  server.tokens.set(READ_ONLY_TOKEN, { zones: [zone.id], edit: false })
})

function provider(token = TOKEN, zoneId?: string, retry = FAST_RETRY): DnsProvider {
  return createCloudflareProvider({ kind: 'cloudflare', apiToken: token, zoneId }, { baseUrl: server.baseUrl, retry })
}

function settings(overrides: Partial<Settings> = {}): Settings {
  return {
    domain: NAME,
    ip: IP,
    recordType: 'A',
    mode: 'apply',
    ttl: 300,
    zone: undefined,
    ...overrides
  } as Settings
}

async function upsert(p: DnsProvider, s: Settings = settings()): Promise<Report> {
  const report = createReport({ ...s, provider: 'cloudflare', now: new Date() })
  const planned = await planDnsChange(s, p, report)
  if (s.mode === 'apply') await writeDnsChange(p, planned, report)
  return report
}

const atName = (type = 'A') => server.records.filter(r => r.name === NAME && r.type === type)
const recordReads = () => server.requests.filter(r => r.method === 'GET' && r.path.endsWith('/dns_records'))

describe('Cloudflare zone discovery', () => {
  it('finds the longest zone suffix of the domain by name', async () => {
    const corp = server.addZone('corp.contoso100.com')
    server.tokens.set(TOKEN, { zones: [zone.id, corp.id], edit: true })
    const found = await provider().findZone('ldaps.corp.contoso100.com', undefined)
    assert.deepEqual(found, { name: 'corp.contoso100.com', id: corp.id })
    const names = server.requests.filter(r => r.path.endsWith('/zones')).map(r => r.query.get('name'))
    assert.deepEqual(names, ['ldaps.corp.contoso100.com', 'corp.contoso100.com'])
  })

  it('uses cloudflare-zone-id and checks the domain is inside it', async () => {
    assert.deepEqual(await provider(TOKEN, zone.id).findZone(NAME, undefined), { name: 'contoso100.com', id: zone.id })
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
    assert.deepEqual(await p.findZone(NAME, 'contoso100.com'), { name: 'contoso100.com', id: zone.id })
    await upsert(p, settings({ zone: 'contoso100.com' }))
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
  it('creates the record with proxied false when none exists', async () => {
    const report = await upsert(provider())
    assert.equal(report.record?.action, 'create')
    assert.equal(report.record?.changed, true)
    const [record, ...rest] = atName()
    assert.equal(rest.length, 0)
    assert.equal(record?.content, IP)
    assert.equal(record?.ttl, 300)
    assert.equal(record?.proxied, false)
    assert.deepEqual(
      server.writes().map(w => w.method),
      ['POST']
    )
    assert.equal(server.writes()[0]!.body.proxied, false)
  })

  it('makes one read and zero writes when the record is already right', async () => {
    server.addRecord(zone, { name: NAME, type: 'A', content: IP, ttl: 300 })
    const p = provider()
    const report = await upsert(p)
    assert.equal(report.record?.action, 'none')
    assert.equal(report.record?.changed, false)
    assert.equal(server.writes().length, 0)
    assert.equal(recordReads().length, 1)
    assert.deepEqual(p.stats, { reads: 1, writes: 0 })
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
    const report = await upsert(provider(), settings({ ip: '2001:db8::10', recordType: 'AAAA' }))
    assert.equal(report.record?.action, 'none')
    assert.equal(server.writes().length, 0)
  })

  it('re-reads and re-plans when another writer changes the record between read and write', async () => {
    const record = server.addRecord(zone, { name: NAME, type: 'A', content: '198.51.100.1' })
    let raced = false
    server.afterRequest = request => {
      if (!raced && request.method === 'GET' && request.path.endsWith('/dns_records')) {
        raced = true
        record.content = '198.51.100.99' // the concurrent writer
      }
    }
    const report = await upsert(provider())
    assert.equal(report.record?.changed, true)
    assert.deepEqual(report.record?.found?.values, ['198.51.100.99'], 'the plan was made anew on what the racer wrote')
    assert.equal(record.content, IP)
    assert.equal(server.writes().length, 1)
    assert.ok(recordReads().length >= 3, 'read, pre-write check that failed, read again')
  })

  it('gives up without writing when the record keeps changing under it', async () => {
    const record = server.addRecord(zone, { name: NAME, type: 'A', content: '198.51.100.1' })
    let n = 10
    server.afterRequest = request => {
      if (request.method === 'GET' && request.path.endsWith('/dns_records')) record.content = `198.51.100.${++n}`
    }
    await assert.rejects(upsert(provider()), /changed under us 3 times in a row.*nothing was overwritten/)
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

  it('reports a CNAME at the name before any write and never replaces it', async () => {
    const cname = server.addRecord(zone, { name: NAME, type: 'CNAME', content: 'ldaps.contoso100.onmicrosoft.com' })
    const p = provider()
    const report = createReport({ ...settings(), provider: 'cloudflare', now: new Date() })
    const planned = await planDnsChange(settings(), p, report)
    assert.equal(planned.plan.action, 'conflict')
    assert.equal(report.record?.found?.cname, 'ldaps.contoso100.onmicrosoft.com')
    await assert.rejects(writeDnsChange(p, planned, report), /is a CNAME to ldaps\.contoso100\.onmicrosoft\.com/)
    assert.equal(server.writes().length, 0)
    assert.ok(server.records.includes(cname))
  })

  it('reads only in check mode, reporting drift', async () => {
    server.addRecord(zone, { name: NAME, type: 'A', content: '198.51.100.1' })
    const report = await upsert(provider(), settings({ mode: 'check' }))
    assert.equal(report.record?.action, 'replace')
    assert.ok(report.findings.some(f => f.drift === true && /198\.51\.100\.1 → 203\.0\.113\.10/.test(f.message)))
    assert.equal(server.writes().length, 0)
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

  it('explains a refused token', async () => {
    await assert.rejects(provider('not-a-known-token').findZone(NAME, undefined), (error: Error) => {
      assert.ok(error instanceof ProviderError)
      assert.match(error.message, /^Cloudflare: the API token was refused/)
      assert.match(error.message, /HTTP 400: 6003 Invalid request headers/)
      assert.match(error.message, /Zone → DNS → Edit/)
      return true
    })
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

  it('retries 5xx answers on writes', async () => {
    server.faults.push(
      { status: 502, method: 'POST' },
      { status: 503, method: 'POST' },
      { status: 500, method: 'POST' }
    )
    await upsert(provider())
    assert.equal(server.writes().length, 4)
    assert.deepEqual(
      atName().map(r => r.content),
      [IP]
    )
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
      upsert(provider(), settings({ ttl: 100_000 })),
      /Cloudflare: could not create ldaps\.contoso100\.com A in zone contoso100\.com: HTTP 400: 9021 Invalid TTL/
    )
  })
})
