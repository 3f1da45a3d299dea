// Faults of the Route 53 API, through the bundled action (dist/index.js; `npm run build` first)
// against the local Route 53 stand-in on 127.0.10.41 (AWS_ENDPOINT_URL_ROUTE_53): status-code
// faults with Route 53's XML error bodies (the stand-in's `faults`: Throttling is HTTP 400 there,
// and 429 is what its edge answers too) and transport faults (`networkFaults`). The SDK's
// standard retry mode does the retrying; LDAPS_DNS_ACTION_REQUEST_TIMEOUT_MS sets its
// requestTimeout (default 30 s) so a stalled answer costs about a second.

import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { errorMessages, runAction } from '../helpers/run-action.ts'
import type { NetworkFault } from '../helpers/http-faults.ts'
import type { FakeHostedZone, Route53Server } from '../helpers/route53-server.ts'
import { awsEnvironment, useRoute53 } from '../helpers/stand-ins.ts'
import { lostWriteAnswerCases, readFaultCases } from '../helpers/transport-faults.ts'
import { IP, NAME, OLD, ZONE } from '../fixtures/record.ts'

const KEY_ID = 'AKIAFAULTSKEY0000000'
const SECRET = 'faults/secret/key/not/real/000000000000'

let server: Route53Server
let zone: FakeHostedZone

useRoute53('127.0.10.41', s => (server = s), {
  bundle: true,
  fresh(s) {
    s.credentials.set(KEY_ID, { secretAccessKey: SECRET, canWrite: true })
    zone = s.addZone(ZONE)
  }
})

function run(env: Record<string, string> = {}) {
  const inputs = {
    domain: NAME,
    ip: IP,
    provider: 'route53',
    'wait-for-propagation': 'false',
    'verify-certificate': 'false'
  }
  return runAction(inputs, { env: { ...awsEnvironment(server.endpoint, KEY_ID, SECRET), ...env } })
}

const stored = () => server.find(zone, NAME, 'A')?.ResourceRecords
const batches = () => server.writes().map(w => w.operation)
const withOld = () => zone.recordSets.push({ Name: `${NAME}.`, Type: 'A', TTL: 300, ResourceRecords: [OLD] })

const transport = {
  readPath: '/rrset',
  writeMethod: 'POST',
  ip: IP,
  old: OLD,
  seedOld: withOld,
  arm: (fault: NetworkFault) => server.networkFaults.push({ ...fault }),
  pending: () => server.networkFaults.reduce((n, f) => n + f.times, 0),
  reads: () => server.requests.filter(r => r.operation === 'ListResourceRecordSets').length,
  writes: () => batches().length,
  stored,
  run
}

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

  readFaultCases(transport)
  lostWriteAnswerCases(transport, result =>
    // The SDK's repeat carried the same DELETE of the old value, which Route 53 refuses as a whole.
    assert.match(result.stdout, /values provided do not match the current values/)
  )

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
