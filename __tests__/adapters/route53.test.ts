// The Route 53 adapter through the real @aws-sdk/client-route-53 client (default credential chain,
// endpoint from AWS_ENDPOINT_URL_ROUTE_53, SigV4 signing, standard retry mode) against a local
// server that follows the Route 53 REST-XML API (__tests__/helpers/route53-server.ts), driven by
// the real plan and write steps. What every provider owes is in __tests__/providers/route53.test.ts;
// this file keeps what is Route 53's own: hosted zones, change batches, INSYNC, alias and routing
// sets, the SDK's credential chain, region and retry strategy.

import { after, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { createRoute53Provider } from '../../src/adapters/providers/route53.ts'
import { ProviderError, type DnsProvider } from '../../src/adapters/providers/provider.ts'
import type { FakeHostedZone, Route53Server } from '../helpers/route53-server.ts'
import { awsEnvironment, useRoute53 } from '../helpers/stand-ins.ts'
import { settingsFrom } from '../helpers/settings.ts'
import { upsert as upsertWith } from '../helpers/upsert.ts'
import { IP, NAME } from '../fixtures/record.ts'

const HOST = '127.0.7.21'
const KEY_ID = 'AKIAIOSFODNN7EXAMPLE'
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
const READ_ONLY_KEY = 'AKIAREADONLYEXAMPLE0'

let server: Route53Server
let zone: FakeHostedZone
const savedEnv = { ...process.env }

// The set as Route 53 stores it after the action wrote NAME -> IP with the default TTL.
const STORED_RECORD = {
  Name: `${NAME}.`,
  Type: 'A',
  TTL: 300,
  ResourceRecords: [IP],
  SetIdentifier: undefined,
  AliasTarget: undefined
}

// The SDK's own configuration, as a runner after configure-aws-credentials would have it.
useRoute53(
  HOST,
  s => {
    server = s
    Object.assign(process.env, awsEnvironment(s.endpoint, KEY_ID, SECRET))
  },
  {
    fresh(s) {
      s.credentials.set(KEY_ID, { secretAccessKey: SECRET, canWrite: true })
      s.credentials.set(READ_ONLY_KEY, { secretAccessKey: SECRET, canWrite: false })
      process.env['AWS_ACCESS_KEY_ID'] = KEY_ID
      process.env['AWS_SECRET_ACCESS_KEY'] = SECRET
      zone = s.addZone('contoso100.com')
      s.addZone('fabrikam.com')
    }
  }
)
after(() => {
  process.env = savedEnv
})

function provider(hostedZoneId?: string): DnsProvider {
  return createRoute53Provider({ kind: 'route53', hostedZoneId }, { pollIntervalMs: 20, maxPollIntervalMs: 50 })
}

/** Plans and writes as a run with these inputs would (`ttl` past what the inputs allow reaches Route 53's own check). */
async function upsert(p: DnsProvider, inputs: Record<string, string> = {}, ttl?: number) {
  const settings = settingsFrom({ domain: NAME, ip: IP, provider: 'route53', ...inputs })
  return upsertWith(p, ttl === undefined ? settings : { ...settings, ttl })
}

const listCalls = () => server.requests.filter(r => r.operation === 'ListResourceRecordSets')

describe('Route 53 zone discovery', () => {
  it('finds the longest suffix and prefers the public zone over a private one of the same name', async () => {
    const privateCorp = server.addZone('corp.contoso100.com', { private: true })
    const publicCorp = server.addZone('corp.contoso100.com')
    const found = await provider().findZone('ldaps.corp.contoso100.com', undefined)
    assert.deepEqual(found, { name: 'corp.contoso100.com', id: publicCorp.Id, visibility: 'public' })
    assert.notEqual(found.id, privateCorp.Id)
    const asked = server.requests.filter(r => r.operation === 'ListHostedZonesByName').map(r => r.query.get('dnsname'))
    assert.deepEqual(asked, ['ldaps.corp.contoso100.com', 'corp.contoso100.com'])
  })

  it('takes a private zone when it is the only one of that name', async () => {
    const only = server.addZone('internal.contoso100.com', { private: true })
    assert.equal((await provider().findZone('ldaps.internal.contoso100.com', undefined)).id, only.Id)
  })

  it('refuses to guess between two public zones of the same name', async () => {
    server.addZone('contoso100.com')
    await assert.rejects(
      provider().findZone(NAME, undefined),
      /2 public hosted zones are named contoso100\.com .*route53-hosted-zone-id/
    )
  })

  it('looks up only the zone input when it is given', async () => {
    server.addZone('ldaps.contoso100.com')
    assert.deepEqual((await provider().findZone(NAME, 'contoso100.com')).id, zone.Id)
    const asked = server.requests.filter(r => r.operation === 'ListHostedZonesByName').map(r => r.query.get('dnsname'))
    assert.deepEqual(asked, ['contoso100.com'])
    await assert.rejects(provider().findZone(NAME, 'fabrikam.org'), /not inside the zone fabrikam\.org/)
  })

  it('tells a public hosted zone from a private one, found by name or by id', async () => {
    const internal = server.addZone('corp.contoso100.net', { private: true })
    assert.equal((await provider().findZone('ldaps.corp.contoso100.net', undefined)).visibility, 'private')
    assert.equal((await provider(internal.Id).findZone('ldaps.corp.contoso100.net', undefined)).visibility, 'private')
    assert.equal((await provider().findZone(NAME, undefined)).visibility, 'public')
  })

  it('uses route53-hosted-zone-id and checks the domain is inside it', async () => {
    assert.deepEqual(await provider(zone.Id).findZone(NAME, undefined), {
      name: 'contoso100.com',
      id: zone.Id,
      visibility: 'public'
    })
    const other = server.zones.find(z => z.Name === 'fabrikam.com.')!
    await assert.rejects(provider(other.Id).findZone(NAME, undefined), /not in hosted zone .* \(fabrikam\.com\)/)
    await assert.rejects(
      provider('ZNOSUCHZONE0000').findZone(NAME, undefined),
      /hosted zone ZNOSUCHZONE0000 does not exist/
    )
  })
})

describe('Route 53 upsert', () => {
  it('creates the set with CREATE alone and reports INSYNC through GetChange', async () => {
    server.pendingPolls = 2
    const p = provider()
    const { report, changeId } = await upsert(p)
    assert.equal(report.record?.action, 'create')
    assert.deepEqual(server.find(zone, NAME, 'A'), STORED_RECORD)
    const [write] = server.writes()
    const actions = write!
      .body!.child('ChangeBatch')!
      .child('Changes')!
      .children.map(c => c.child('Action')!.text)
    assert.deepEqual(actions, ['CREATE'])
    assert.ok(changeId !== undefined && !changeId.startsWith('/'))
    assert.equal(await p.waitInSync!({ changeId }, AbortSignal.timeout(10_000)), true)
    const statuses = server.requests.filter(r => r.operation === 'GetChange').length
    assert.equal(statuses, 3, 'PENDING twice, then INSYNC')
  })

  it('stops waiting for INSYNC when aborted', async () => {
    server.pendingPolls = 1_000_000
    const p = provider()
    const { changeId } = await upsert(p)
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 200)
    assert.equal(await p.waitInSync!({ changeId }, controller.signal), false)
  })

  it('replaces with DELETE of the exact old set plus CREATE in one batch, touching nothing else', async () => {
    zone.recordSets.push(
      { Name: `${NAME}.`, Type: 'A', TTL: 3600, ResourceRecords: ['198.51.100.1', '198.51.100.2'] },
      { Name: `${NAME}.`, Type: 'TXT', TTL: 300, ResourceRecords: ['"keep me"'] },
      { Name: `${NAME}.`, Type: 'AAAA', TTL: 300, ResourceRecords: ['2001:db8::1'] },
      { Name: 'www.contoso100.com.', Type: 'A', TTL: 300, ResourceRecords: ['198.51.100.1'] }
    )
    const before = zone.recordSets.filter(s => s.Type !== 'A' || s.Name !== `${NAME}.`).map(s => JSON.stringify(s))
    const { report } = await upsert(provider())
    assert.equal(report.record?.action, 'replace')
    assert.deepEqual(report.record?.found?.values, ['198.51.100.1', '198.51.100.2'])
    assert.equal(server.writes().length, 1)
    const changes = server.writes()[0]!.body!.child('ChangeBatch')!.child('Changes')!.children
    assert.deepEqual(
      changes.map(c => [c.child('Action')!.text, c.child('ResourceRecordSet')!.child('TTL')!.text]),
      [
        ['DELETE', '3600'],
        ['CREATE', '300']
      ]
    )
    assert.deepEqual(server.find(zone, NAME, 'A')?.ResourceRecords, [IP])
    assert.deepEqual(
      zone.recordSets.filter(s => s.Type !== 'A' || s.Name !== `${NAME}.`).map(s => JSON.stringify(s)),
      before
    )
  })

  it('turns a CREATE that meets a set created meanwhile into a re-plan', async () => {
    let raced = false
    server.afterRequest = request => {
      if (!raced && request.operation === 'ListResourceRecordSets') {
        raced = true
        zone.recordSets.push({ Name: `${NAME}.`, Type: 'A', TTL: 60, ResourceRecords: ['198.51.100.50'] })
      }
    }
    await upsert(provider())
    assert.deepEqual(server.find(zone, NAME, 'A'), STORED_RECORD)
    assert.equal(server.writes().length, 2)
  })

  it('refuses alias and routing-policy sets before writing', async () => {
    zone.recordSets.push({
      Name: `${NAME}.`,
      Type: 'A',
      AliasTarget: {
        HostedZoneId: 'Z35SXDOTRQ7X7K',
        DNSName: 'lb-1.us-east-1.elb.amazonaws.com.',
        EvaluateTargetHealth: false
      }
    })
    await assert.rejects(upsert(provider()), /is an alias to lb-1\.us-east-1\.elb\.amazonaws\.com/)
    zone.recordSets.pop()
    zone.recordSets.push(
      { Name: `${NAME}.`, Type: 'A', TTL: 60, SetIdentifier: 'blue', ResourceRecords: ['198.51.100.1'] },
      { Name: `${NAME}.`, Type: 'A', TTL: 60, SetIdentifier: 'green', ResourceRecords: ['198.51.100.2'] }
    )
    await assert.rejects(upsert(provider()), /routing policy \(2 record sets with set identifiers blue, green\)/)
    assert.equal(server.writes().length, 0)
  })

  it('writes AAAA and compares addresses canonically', async () => {
    zone.recordSets.push({ Name: `${NAME}.`, Type: 'AAAA', TTL: 300, ResourceRecords: ['2001:DB8:0:0::10'] })
    const { report } = await upsert(provider(), { ip: '2001:db8::10' })
    assert.equal(report.record?.action, 'none')
    assert.equal(server.writes().length, 0)
  })
})

describe('Route 53 errors and retries', () => {
  it('explains credentials that may read but not change the zone, after reading only', async () => {
    process.env['AWS_ACCESS_KEY_ID'] = READ_ONLY_KEY
    await assert.rejects(upsert(provider()), (error: Error) => {
      assert.ok(error instanceof ProviderError)
      assert.match(
        error.message,
        /^Route 53: the AWS credentials were refused while trying to change ldaps\.contoso100\.com A in hosted zone Z/
      )
      assert.match(error.message, /AccessDenied, HTTP 403/)
      assert.match(error.message, /route53:ChangeResourceRecordSets on arn:aws:route53:::hostedzone\/Z/)
      return true
    })
    assert.equal(server.find(zone, NAME, 'A'), undefined)
  })

  it('explains an unknown access key (InvalidClientTokenId)', async () => {
    process.env['AWS_ACCESS_KEY_ID'] = 'AKIAUNKNOWNKEY000000'
    await assert.rejects(
      provider().findZone(NAME, undefined),
      /credentials were refused .*InvalidClientTokenId, HTTP 403/
    )
  })

  it('says where to get credentials when the chain finds none', async () => {
    delete process.env['AWS_ACCESS_KEY_ID']
    delete process.env['AWS_SECRET_ACCESS_KEY']
    await assert.rejects(
      provider().findZone(NAME, undefined),
      /Route 53: no AWS credentials .*configure-aws-credentials/
    )
    assert.equal(server.requests.length, 0)
  })

  it('retries Throttling, PriorRequestNotComplete and 5xx through the SDK retry strategy', async () => {
    server.faults.push(
      { status: 400, code: 'Throttling', operation: 'ChangeResourceRecordSets' },
      { status: 400, code: 'PriorRequestNotComplete', operation: 'ChangeResourceRecordSets' },
      { status: 400, code: 'Throttling', operation: 'ChangeResourceRecordSets' },
      { status: 503, code: 'ServiceUnavailable', operation: 'ListResourceRecordSets' },
      { status: 500, code: 'InternalFailure', operation: 'ListResourceRecordSets' }
    )
    const { report } = await upsert(provider())
    assert.equal(report.record?.changed, true)
    assert.equal(server.writes().length, 4, 'three throttled attempts, then the batch')
    assert.equal(listCalls().length, 3)
    assert.deepEqual(server.find(zone, NAME, 'A')?.ResourceRecords, [IP])
  })

  it('signs for us-east-1 when no region is configured (Route 53 is global)', async () => {
    delete process.env['AWS_REGION']
    try {
      assert.equal((await provider().findZone(NAME, undefined)).id, zone.Id)
    } finally {
      process.env['AWS_REGION'] = 'us-east-1'
    }
    assert.match(server.requests[0]!.authorization, /\/\d{8}\/us-east-1\/route53\/aws4_request/)
  })

  it('takes the region from the shared config profile when AWS_REGION is unset', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ldaps-dns-action-aws-'))
    writeFileSync(join(dir, 'config'), '[default]\nregion = eu-west-1\n')
    const savedConfig = process.env['AWS_CONFIG_FILE']
    delete process.env['AWS_REGION']
    process.env['AWS_CONFIG_FILE'] = join(dir, 'config')
    try {
      assert.equal((await provider().findZone(NAME, undefined)).id, zone.Id)
    } finally {
      process.env['AWS_REGION'] = 'us-east-1'
      process.env['AWS_CONFIG_FILE'] = savedConfig
      rmSync(dir, { recursive: true, force: true })
    }
    // With an endpoint override the SDK signs for the configured region.
    assert.match(server.requests[0]!.authorization, /\/\d{8}\/eu-west-1\/route53\/aws4_request/)
  })

  it('gives up after the configured attempts with the service message', async () => {
    for (let i = 0; i < 10; i++) server.faults.push({ status: 400, code: 'Throttling' })
    const p = createRoute53Provider({ kind: 'route53', hostedZoneId: undefined }, { maxAttempts: 3 })
    await assert.rejects(
      p.findZone(NAME, undefined),
      /Route 53: could not list hosted zones named ldaps\.contoso100\.com \(Throttling, HTTP 400\): Rate exceeded/
    )
    assert.equal(server.requests.length, 3)
  })

  it('turns another InvalidChangeBatch into a message naming the record', async () => {
    await assert.rejects(
      upsert(provider(), {}, 2147483647 + 1),
      /Route 53: could not change ldaps\.contoso100\.com A in hosted zone Z\w+: \[Invalid Resource Record: FATAL problem: TTL/
    )
  })
})
