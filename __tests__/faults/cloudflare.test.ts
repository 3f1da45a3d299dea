// Faults of the Cloudflare API, through the bundled action (dist/index.js; `npm run build` first)
// against the local Cloudflare stand-in on 127.0.10.31: status-code faults with Cloudflare's own
// error bodies (the stand-in's `faults`), and transport faults (`networkFaults`: a connection
// reset after the headers, an answer held back beyond the client timeout). Each run either ends
// right after bounded retries or fails with a precise message, and the zone never holds a
// half-applied change. LDAPS_DNS_ACTION_REQUEST_TIMEOUT_MS shortens the per-request timeout
// (default 30 s) so a stalled answer costs about a second.

import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { CloudflareServer, FakeZone } from '../helpers/cloudflare-server.ts'
import type { NetworkFault } from '../helpers/http-faults.ts'
import { errorMessages, runAction } from '../helpers/run-action.ts'
import { useCloudflare } from '../helpers/stand-ins.ts'
import { readFaultCases } from '../helpers/transport-faults.ts'
import { IP, NAME, OLD, ZONE } from '../fixtures/record.ts'

const TOKEN = 'cf-faults-token'

let server: CloudflareServer
let zone: FakeZone

useCloudflare('127.0.10.31', s => (server = s), {
  bundle: true,
  fresh(s) {
    zone = s.addZone(ZONE)
    s.tokens.set(TOKEN, { zones: [zone.id], edit: true })
  }
})

function run(env: Record<string, string> = {}) {
  const inputs = { domain: NAME, ip: IP, provider: 'cloudflare', 'cloudflare-api-token': TOKEN }
  return runAction(
    { ...inputs, 'wait-for-propagation': 'false', 'verify-certificate': 'false' },
    { env: { CLOUDFLARE_BASE_URL: server.baseUrl, ...env } }
  )
}

const atName = () =>
  server.records
    .filter(r => r.name === NAME && r.type === 'A')
    .map(r => r.content)
    .sort()
const writes = () => server.writes().map(r => r.method)

const transport = {
  readPath: '/dns_records',
  readsPerWrite: 2,
  ip: IP,
  seedOld: () => void server.addRecord(zone, { name: NAME, type: 'A', content: OLD }),
  arm: (fault: NetworkFault) => server.networkFaults.push({ ...fault }),
  pending: () => server.networkFaults.reduce((n, f) => n + f.times, 0),
  reads: () => server.requests.filter(r => r.method === 'GET' && r.path.includes('/dns_records')).length,
  writes: () => writes().length,
  stored: atName,
  run
}

describe('Cloudflare API faults through the bundled action', () => {
  it('503 that never ends on the write: fails naming the request and the count, the old record untouched', async () => {
    server.addRecord(zone, { name: NAME, type: 'A', content: OLD })
    for (let i = 0; i < 20; i++) server.faults.push({ status: 503, method: 'PATCH', retryAfter: '0' })
    const result = await run()
    assert.equal(result.exitCode, 1)
    assert.match(
      errorMessages(result),
      /^Cloudflare: PATCH \/zones\/\w+\/dns_records\/\w+ answered HTTP 503 6 times in a row .*10503 Internal server error; try again later$/
    )
    assert.deepEqual(writes(), Array(6).fill('PATCH'))
    assert.deepEqual(atName(), [OLD])
    assert.equal(result.outputs['record-changed'], 'false')
  })

  it('connection reset mid-answer after the create was applied: the repeat is refused as identical, the re-read finds it done', async () => {
    server.networkFaults.push({ kind: 'cut', method: 'POST', times: 1 })
    const result = await run()
    assert.equal(result.exitCode, 0, result.stdout)
    // The first POST was applied although its answer was lost; the repeat met "identical record".
    assert.deepEqual(writes(), ['POST', 'POST'])
    assert.deepEqual(atName(), [IP], 'exactly one record, not two')
    assert.match(result.stdout, /changed between read and write .*81058/)
    assert.equal(result.outputs['record-changed'], 'true')
    assert.equal(result.outputs['previous-ips'], '')
  })

  readFaultCases(transport)

  it('an answer slower than the client timeout on the write: the PATCH (idempotent) is repeated', async () => {
    server.addRecord(zone, { name: NAME, type: 'A', content: OLD })
    server.networkFaults.push({ kind: 'stall', method: 'PATCH', stallMs: 5_000, times: 1 })
    const result = await run({ LDAPS_DNS_ACTION_REQUEST_TIMEOUT_MS: '1000' })
    assert.equal(result.exitCode, 0, result.stdout)
    assert.deepEqual(writes(), ['PATCH', 'PATCH'])
    assert.deepEqual(atName(), [IP])
  })

  it('an API that never answers in time: fails naming the request and the timeout, nothing written', async () => {
    server.addRecord(zone, { name: NAME, type: 'A', content: OLD })
    server.networkFaults.push({ kind: 'stall', method: 'GET', stallMs: 10_000, times: 100 })
    const result = await run({ LDAPS_DNS_ACTION_REQUEST_TIMEOUT_MS: '300' })
    assert.equal(result.exitCode, 1)
    assert.match(
      errorMessages(result),
      /^Cloudflare: GET http:\/\/127\.0\.10\.31:\d+\/client\/v4\/zones\?name=\S+ failed: .*timeout/
    )
    assert.equal(server.writes().length, 0)
    assert.deepEqual(atName(), [OLD])
  })

  it('a replace over two records whose surplus delete keeps failing: fails saying what the name holds; a rerun finishes', async () => {
    server.addRecord(zone, { name: NAME, type: 'A', content: OLD })
    server.addRecord(zone, { name: NAME, type: 'A', content: '198.51.100.2' })
    for (let i = 0; i < 20; i++) server.faults.push({ status: 500, method: 'DELETE', retryAfter: '0' })
    const result = await run()
    assert.equal(result.exitCode, 1)
    // Cloudflare has no transaction for PATCH + DELETE: the kept record holds the new address
    // first (the name never answers nothing), and the failure says what is left over.
    assert.match(
      errorMessages(result),
      /^Cloudflare: DELETE \/zones\/\w+\/dns_records\/\w+ answered HTTP 500 6 times in a row.*\. ldaps\.contoso100\.com A now holds 203\.0\.113\.10 and still 198\.51\.100\.2: run again to delete the rest/
    )
    assert.deepEqual(writes(), ['PATCH', ...Array(6).fill('DELETE')])
    assert.deepEqual(atName(), ['198.51.100.2', IP])
    // Once the API recovers, the next run finishes the job: it keeps the new address and
    // deletes only the rest.
    server.faults.length = 0
    server.requests.length = 0
    const again = await run()
    assert.equal(again.exitCode, 0, again.stdout)
    assert.deepEqual(writes(), ['DELETE'])
    assert.deepEqual(atName(), [IP])
  })

  it('a malformed LDAPS_DNS_ACTION_REQUEST_TIMEOUT_MS is named before any request', async () => {
    const result = await run({ LDAPS_DNS_ACTION_REQUEST_TIMEOUT_MS: '30s' })
    assert.equal(result.exitCode, 1)
    assert.match(
      errorMessages(result),
      /^LDAPS_DNS_ACTION_REQUEST_TIMEOUT_MS must be a whole number of milliseconds from 1 to 600000, got "30s"$/
    )
    assert.equal(server.requests.length, 0)
  })
})
