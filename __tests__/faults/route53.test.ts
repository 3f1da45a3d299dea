// Faults of the Route 53 API, through the bundled action (dist/index.js; `npm run build` first)
// against the local Route 53 stand-in on 127.0.10.41 (AWS_ENDPOINT_URL_ROUTE_53): status-code
// faults with Route 53's XML error bodies (the stand-in's `faults`: Throttling is HTTP 400 there,
// and 429 is what its edge answers too) and transport faults (`networkFaults`). The SDK's
// standard retry mode does the retrying; LDAPS_DNS_ACTION_REQUEST_TIMEOUT_MS sets its
// requestTimeout (default 30 s) so a stalled answer costs about a second.

import { after, before, beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction } from '../helpers/run-action.ts'
import { startRoute53Server, type FakeHostedZone, type Route53Server } from '../helpers/route53-server.ts'

const HOST = '127.0.10.41'
const KEY_ID = 'AKIAFAULTSKEY0000000'
const SECRET = 'faults/secret/key/not/real/000000000000'
const NAME = 'ldaps.contoso100.com'
const IP = '203.0.113.10'
const OLD = '198.51.100.1'

let server: Route53Server
let zone: FakeHostedZone

before(async () => {
  assert.ok(existsSync(new URL('../../dist/index.js', import.meta.url)), 'run npm run build first')
  server = await startRoute53Server(HOST)
})
after(() => server.close())

beforeEach(() => {
  server.reset()
  server.credentials.set(KEY_ID, { secretAccessKey: SECRET, canWrite: true })
  zone = server.addZone('contoso100.com')
})

function run(env: Record<string, string> = {}) {
  return runAction(
    {
      domain: NAME,
      ip: IP,
      provider: 'route53',
      'wait-for-propagation': 'false',
      'verify-certificate': 'false'
    },
    {
      env: {
        AWS_ENDPOINT_URL_ROUTE_53: server.endpoint,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: KEY_ID,
        AWS_SECRET_ACCESS_KEY: SECRET,
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_CONFIG_FILE: join(tmpdir(), 'ldaps-dns-action-no-aws-config'),
        AWS_SHARED_CREDENTIALS_FILE: join(tmpdir(), 'ldaps-dns-action-no-aws-credentials'),
        ...env
      }
    }
  )
}

const stored = () => server.find(zone, NAME, 'A')?.ResourceRecords
const batches = () => server.writes().map(w => w.operation)
const errorMessages = (result: Awaited<ReturnType<typeof run>>): string =>
  (result.report?.findings ?? [])
    .filter((f: any) => f.severity === 'error')
    .map((f: any) => f.message)
    .join('\n')
const withOld = () => zone.recordSets.push({ Name: `${NAME}.`, Type: 'A', TTL: 300, ResourceRecords: [OLD] })

describe('Route 53 API faults through the bundled action', () => {
  it('503 that never ends: fails after the SDK attempts with the service error, the old set untouched', async () => {
    withOld()
    for (let i = 0; i < 20; i++) {
      server.faults.push({ status: 503, code: 'ServiceUnavailable', operation: 'ChangeResourceRecordSets' })
    }
    const result = await run()
    assert.equal(result.exitCode, 1)
    assert.match(
      errorMessages(result),
      /^Route 53: could not change ldaps\.contoso100\.com A in hosted zone Z\w+ \(ServiceUnavailable, HTTP 503\): We encountered an internal error/
    )
    assert.equal(batches().length, 6)
    assert.deepEqual(stored(), [OLD])
  })

  it('connection reset mid-answer on a read: the read is repeated', async () => {
    withOld()
    server.networkFaults.push({ kind: 'cut', method: 'GET', pathIncludes: '/rrset', times: 1 })
    const result = await run()
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(server.networkFaults[0]!.times, 0)
    assert.deepEqual(batches(), ['ChangeResourceRecordSets'])
    assert.deepEqual(stored(), [IP])
  })

  it('connection reset mid-answer after the batch was applied: the repeat fails its DELETE, the re-read finds it done', async () => {
    withOld()
    server.networkFaults.push({ kind: 'cut', method: 'POST', times: 1 })
    const result = await run()
    assert.equal(result.exitCode, 0, result.stdout)
    // The first batch was applied although its answer was lost; the SDK's repeat carried the
    // same DELETE of the old value, which Route 53 refuses as a whole: nothing applied twice.
    assert.deepEqual(batches(), ['ChangeResourceRecordSets', 'ChangeResourceRecordSets'])
    assert.match(result.stdout, /changed between read and write .*values provided do not match the current values/)
    assert.deepEqual(stored(), [IP])
    assert.equal(result.outputs['record-changed'], 'true')
    assert.equal(result.outputs['previous-ips'], OLD)
  })

  it('an answer that stops mid-body on an open connection: abandoned after the timeout and repeated', async () => {
    withOld()
    server.networkFaults.push({ kind: 'hang-mid-body', method: 'GET', pathIncludes: '/rrset', times: 1 })
    const result = await run({ LDAPS_DNS_ACTION_REQUEST_TIMEOUT_MS: '1000' })
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(server.requests.filter(r => r.operation === 'ListResourceRecordSets').length, 2)
    assert.deepEqual(batches(), ['ChangeResourceRecordSets'])
    assert.deepEqual(stored(), [IP])
  })

  it('an answer slower than the client timeout: abandoned and repeated', async () => {
    withOld()
    server.networkFaults.push({ kind: 'stall', method: 'GET', pathIncludes: '/rrset', stallMs: 5_000, times: 1 })
    const result = await run({ LDAPS_DNS_ACTION_REQUEST_TIMEOUT_MS: '1000' })
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(server.requests.filter(r => r.operation === 'ListResourceRecordSets').length, 2)
    assert.deepEqual(batches(), ['ChangeResourceRecordSets'])
    assert.deepEqual(stored(), [IP])
  })

  it('a change batch answered after the client gave up (applied meanwhile): the repeat is refused, nothing applied twice', async () => {
    withOld()
    server.networkFaults.push({ kind: 'stall', method: 'POST', stallMs: 5_000, times: 1 })
    const result = await run({ LDAPS_DNS_ACTION_REQUEST_TIMEOUT_MS: '1000' })
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(batches().length, 2)
    assert.match(result.stdout, /changed between read and write .*values provided do not match the current values/)
    assert.deepEqual(stored(), [IP])
    assert.equal(result.outputs['record-changed'], 'true')
    assert.equal(result.outputs['previous-ips'], OLD)
  })

  it('an API that never answers in time: fails naming the call and the timeout, nothing written', async () => {
    withOld()
    server.networkFaults.push({ kind: 'stall', method: 'GET', stallMs: 10_000, times: 100 })
    const result = await run({ LDAPS_DNS_ACTION_REQUEST_TIMEOUT_MS: '300' })
    assert.equal(result.exitCode, 1)
    assert.match(errorMessages(result), /^Route 53: could not list hosted zones named \S+ \(TimeoutError\): .*300 ms/)
    assert.equal(server.requests.filter(r => r.operation === 'ListHostedZonesByName').length, 6)
    assert.equal(batches().length, 0)
    assert.deepEqual(stored(), [OLD])
  })
})
