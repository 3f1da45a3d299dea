// End to end: the bundled action (dist/index.js, build first with `npm run build`) run as a runner
// would, with provider cloudflare against the local Cloudflare API stand-in through
// CLOUDFLARE_BASE_URL. Propagation and the certificate probe are off (they have their own tests);
// check mode always checks nameservers, so it is pointed at an unused loopback address.

import { after, before, beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { runAction } from '../helpers/run-action.ts'
import { startCloudflareServer, type CloudflareServer, type FakeZone } from '../helpers/cloudflare-server.ts'

const HOST = '127.0.7.31'
const TOKEN = 'cf-e2e-token'
const NAME = 'ldaps.contoso100.com'
const IP = '203.0.113.10'

let server: CloudflareServer
let zone: FakeZone

before(async () => {
  assert.ok(existsSync(new URL('../../dist/index.js', import.meta.url)), 'run npm run build first')
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
  server.tokens.set(TOKEN, { zones: [zone.id], edit: true })
})

function run(inputs: Record<string, string> = {}) {
  return runAction(
    {
      domain: NAME,
      ip: IP,
      provider: 'cloudflare',
      'cloudflare-api-token': TOKEN,
      'wait-for-propagation': 'false',
      'verify-certificate': 'false',
      ...inputs
    },
    { env: { CLOUDFLARE_BASE_URL: server.baseUrl } }
  )
}

const atName = () => server.records.filter(r => r.name === NAME && r.type === 'A')

describe('action with provider cloudflare', () => {
  it('creates the record', async () => {
    const result = await run()
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(result.outputs['record-changed'], 'true')
    assert.equal(result.outputs['previous-ips'], '')
    assert.equal(result.outputs['zone'], 'contoso100.com')
    assert.deepEqual(
      atName().map(r => [r.content, r.ttl, r.proxied]),
      [[IP, 300, false]]
    )
  })

  it('writes nothing when the record is right (one read, zero writes)', async () => {
    server.addRecord(zone, { name: NAME, type: 'A', content: IP, ttl: 300 })
    const result = await run()
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(result.outputs['record-changed'], 'false')
    assert.equal(result.report.record.providerWrites, 0)
    assert.equal(result.report.record.providerReads, 1)
    assert.equal(server.writes().length, 0)
  })

  it('replaces the record keeping comment and tags, with previous-ips for a rollback', async () => {
    server.addRecord(zone, { name: NAME, type: 'A', content: '198.51.100.1', comment: 'Entra DS', tags: ['team:idm'] })
    const result = await run({ ttl: '600' })
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(result.outputs['record-changed'], 'true')
    assert.equal(result.outputs['previous-ips'], '198.51.100.1')
    assert.deepEqual(
      atName().map(r => [r.content, r.ttl, r.comment, r.tags]),
      [[IP, 600, 'Entra DS', ['team:idm']]]
    )
  })

  it('re-plans after a concurrent change between read and write', async () => {
    const record = server.addRecord(zone, { name: NAME, type: 'A', content: '198.51.100.1' })
    let raced = false
    server.afterRequest = request => {
      if (!raced && request.method === 'GET' && request.path.endsWith('/dns_records')) {
        raced = true
        record.content = '198.51.100.77'
      }
    }
    const result = await run()
    assert.equal(result.exitCode, 0, result.stdout)
    assert.match(result.stdout, /changed between read and write/)
    assert.equal(result.outputs['previous-ips'], '198.51.100.77')
    assert.equal(record.content, IP)
  })

  it('rides out three 429 answers and a 502', async () => {
    server.faults.push(
      { status: 429, retryAfter: '1' },
      { status: 429, retryAfter: '1' },
      { status: 429, retryAfter: '1' },
      { status: 502, method: 'POST' }
    )
    const result = await run()
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(server.faults.length, 0)
    assert.deepEqual(
      atName().map(r => r.content),
      [IP]
    )
  })

  it('fails on a CNAME at the name without writing', async () => {
    server.addRecord(zone, { name: NAME, type: 'CNAME', content: 'contoso100.onmicrosoft.com' })
    const result = await run()
    assert.equal(result.exitCode, 1)
    assert.match(result.stdout, /is a CNAME to contoso100\.onmicrosoft\.com/)
    assert.equal(result.outputs['record-changed'], 'false')
    assert.equal(server.writes().length, 0)
  })

  it('fails with a clear message when the token is refused', async () => {
    const result = await run({ 'cloudflare-api-token': 'revoked-token' })
    assert.equal(result.exitCode, 1)
    assert.match(result.stdout, /::error.*Cloudflare: the API token was refused.*Zone → DNS → Edit/)
    const printed = result.stdout.split('\n').filter(line => !line.startsWith('::add-mask::'))
    assert.ok(!printed.join('\n').includes('revoked-token'), 'the token never appears outside its mask command')
  })

  it('makes zero writes in check mode and reports drift', async () => {
    server.addRecord(zone, { name: NAME, type: 'A', content: '198.51.100.1' })
    const result = await run({ mode: 'check', nameservers: '127.0.7.32:53', 'propagation-timeout': '5' })
    assert.equal(server.writes().length, 0)
    assert.equal(result.outputs['drift'], 'true')
    assert.equal(result.outputs['record-changed'], 'false')
    assert.equal(result.report.record.action, 'replace')
    assert.equal(result.report.record.providerWrites, 0)
    assert.ok(result.report.findings.some((f: any) => f.step === 'dns-plan' && f.drift === true))
  })
})
