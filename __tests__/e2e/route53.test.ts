// End to end: the bundled action (dist/index.js, build first with `npm run build`) run as a runner
// would after aws-actions/configure-aws-credentials (AWS_* in the environment), with provider
// route53 against the local Route 53 stand-in through AWS_ENDPOINT_URL_ROUTE_53. Propagation and
// the certificate probe are off; check mode always checks nameservers, so it is pointed at an
// unused loopback address.

import { after, before, beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction } from '../helpers/run-action.ts'
import { startRoute53Server, type FakeHostedZone, type Route53Server } from '../helpers/route53-server.ts'

const HOST = '127.0.7.41'
const KEY_ID = 'AKIAE2ETESTKEY000000'
const SECRET = 'e2e/secret/key/not/real/0000000000000000'
const NAME = 'ldaps.contoso100.com'
const IP = '203.0.113.10'

let server: Route53Server
let zone: FakeHostedZone

before(async () => {
  assert.ok(existsSync(new URL('../../dist/index.js', import.meta.url)), 'run npm run build first')
  server = await startRoute53Server(HOST)
})
after(() => server.close())

beforeEach(() => {
  server.zones.length = 0
  server.requests.length = 0
  server.faults.length = 0
  server.afterRequest = undefined
  server.credentials.clear()
  server.credentials.set(KEY_ID, { secretAccessKey: SECRET, canWrite: true })
  zone = server.addZone('contoso100.com')
})

function run(inputs: Record<string, string> = {}, env: Record<string, string> = {}) {
  return runAction(
    {
      domain: NAME,
      ip: IP,
      provider: 'route53',
      'wait-for-propagation': 'false',
      'verify-certificate': 'false',
      ...inputs
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

describe('action with provider route53', () => {
  it('creates the record set', async () => {
    const result = await run()
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(result.outputs['record-changed'], 'true')
    assert.equal(result.outputs['zone'], 'contoso100.com')
    assert.deepEqual(server.find(zone, NAME, 'A')?.ResourceRecords, [IP])
  })

  it('writes nothing when the set is right (one read, zero writes)', async () => {
    zone.recordSets.push({ Name: `${NAME}.`, Type: 'A', TTL: 300, ResourceRecords: [IP] })
    const result = await run()
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(result.outputs['record-changed'], 'false')
    assert.equal(result.report.record.providerReads, 1)
    assert.equal(result.report.record.providerWrites, 0)
    assert.equal(server.writes().length, 0)
  })

  it('replaces the set, with previous-ips for a rollback', async () => {
    zone.recordSets.push({ Name: `${NAME}.`, Type: 'A', TTL: 300, ResourceRecords: ['198.51.100.1', '198.51.100.2'] })
    const result = await run({ 'route53-hosted-zone-id': `/hostedzone/${zone.Id}` })
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(result.outputs['previous-ips'], '198.51.100.1,198.51.100.2')
    assert.deepEqual(server.find(zone, NAME, 'A')?.ResourceRecords, [IP])
  })

  it('re-plans after a concurrent change between read and write', async () => {
    zone.recordSets.push({ Name: `${NAME}.`, Type: 'A', TTL: 300, ResourceRecords: ['198.51.100.1'] })
    let raced = false
    server.afterRequest = request => {
      if (!raced && request.operation === 'ListResourceRecordSets') {
        raced = true
        server.find(zone, NAME, 'A')!.ResourceRecords = ['198.51.100.77']
      }
    }
    const result = await run()
    assert.equal(result.exitCode, 0, result.stdout)
    assert.match(result.stdout, /changed between read and write .*values provided do not match/)
    assert.equal(result.outputs['previous-ips'], '198.51.100.77')
    assert.deepEqual(server.find(zone, NAME, 'A')?.ResourceRecords, [IP])
  })

  it('rides out Throttling, PriorRequestNotComplete and a 503', async () => {
    server.faults.push(
      { status: 400, code: 'Throttling', operation: 'ListHostedZonesByName' },
      { status: 400, code: 'PriorRequestNotComplete', operation: 'ChangeResourceRecordSets' },
      { status: 400, code: 'Throttling', operation: 'ChangeResourceRecordSets' },
      { status: 503, code: 'ServiceUnavailable', operation: 'ChangeResourceRecordSets' }
    )
    const result = await run()
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(server.faults.length, 0)
    assert.deepEqual(server.find(zone, NAME, 'A')?.ResourceRecords, [IP])
  })

  it('fails on a CNAME at the name without writing', async () => {
    zone.recordSets.push({ Name: `${NAME}.`, Type: 'CNAME', TTL: 300, ResourceRecords: ['contoso100.onmicrosoft.com'] })
    const result = await run()
    assert.equal(result.exitCode, 1)
    assert.match(result.stdout, /is a CNAME to contoso100\.onmicrosoft\.com/)
    assert.equal(server.writes().length, 0)
  })

  it('fails with a clear message when the credentials are refused', async () => {
    const result = await run({}, { AWS_SECRET_ACCESS_KEY: 'wrong-secret' })
    assert.equal(result.exitCode, 1)
    assert.match(result.stdout, /::error.*Route 53: the AWS credentials were refused .*SignatureDoesNotMatch/)
  })

  it('makes zero writes in check mode and reports drift', async () => {
    zone.recordSets.push({ Name: `${NAME}.`, Type: 'A', TTL: 300, ResourceRecords: ['198.51.100.1'] })
    const result = await run({ mode: 'check', nameservers: '127.0.7.42:53', 'propagation-timeout': '5' })
    assert.equal(server.writes().length, 0)
    assert.equal(result.outputs['drift'], 'true')
    assert.equal(result.report.record.action, 'replace')
    assert.equal(result.report.record.providerWrites, 0)
    assert.ok(result.report.findings.some((f: any) => f.step === 'dns-plan' && f.drift === true))
  })
})
