// The Azure DNS provider through the real @azure/arm-dns and @azure/identity clients, against
// local HTTPS stand-ins for Azure Resource Manager (DNS, api-version 2018-05-01), the Microsoft
// Entra token endpoint and GitHub's ID-token service (see __tests__/helpers). Nothing is mocked
// inside the process: the SDKs make real HTTPS requests to 127.0.6.x, trusting the run's CA.

import assert from 'node:assert/strict'
import { request } from 'node:https'
import { after, before, beforeEach, describe, test } from 'node:test'
import { createAzureDnsProvider, AZURE_RETRY } from '../../src/adapters/providers/azure-dns.ts'
import type { DnsProvider } from '../../src/adapters/providers/provider.ts'
import { createReport } from '../../src/core/report.ts'
import type { AzureSettings, Settings } from '../../src/core/settings.ts'
import { planDnsChange, writeDnsChange } from '../../src/steps/dns-record.ts'
import { trustTestCa } from '../helpers/azure-tls.ts'
import {
  CLIENT_SECRET,
  OIDC_CLIENT,
  READER_CLIENT,
  SECRET_CLIENT,
  SUBSCRIPTION,
  TENANT,
  startAzureWorld,
  type AzureWorld
} from '../helpers/azure-world.ts'

const RG = 'rg-dns'
// (every test below also checks, through the ARM stand-in, that no PUT went out unconditionally)
const ZONE = 'contoso100.com'
const DOMAIN = 'ldaps.contoso100.com'

let world: AzureWorld
let untrust: () => void

before(async () => {
  world = await startAzureWorld()
  untrust = trustTestCa(world.pki.caPem)
})
after(async () => {
  assert.equal(world?.arm.unconditionalWrites(), 0, 'a record set PUT without If-Match / If-None-Match')
  untrust?.()
  await world?.close()
})
beforeEach(() => {
  world.arm.requests.length = 0
  world.arm.faults.length = 0
  world.arm.beforeWrite = undefined
  world.arm.pageSize = 2
  world.entra.requests.length = 0
  world.arm.addZone(SUBSCRIPTION, RG, ZONE) // a fresh, empty zone for every test
})

function azureSettings(over: Partial<AzureSettings> = {}): AzureSettings {
  return {
    kind: 'azure',
    subscriptionId: SUBSCRIPTION,
    resourceGroup: RG,
    clientId: SECRET_CLIENT,
    tenantId: TENANT,
    clientSecret: CLIENT_SECRET,
    environment: 'AzureCloud',
    resourceManagerEndpoint: world.arm.url,
    ...over
  }
}

function runSettings(provider: AzureSettings, over: Partial<Settings> = {}): Settings {
  return {
    domain: DOMAIN,
    ip: '52.165.38.113',
    recordType: 'A',
    mode: 'apply',
    ttl: 300,
    zone: ZONE,
    provider,
    ...over
  } as Settings
}

async function provider(over: Partial<AzureSettings> = {}, env: NodeJS.ProcessEnv = {}): Promise<DnsProvider> {
  return createAzureDnsProvider(azureSettings(over), { env: { AZURE_AUTHORITY_HOST: world.entra.url, ...env } })
}

/** Plan and write as the action does; returns the report and the provider's counters. */
async function upsert(p: DnsProvider, settings: Settings) {
  const report = createReport({
    domain: settings.domain,
    ip: settings.ip,
    mode: settings.mode,
    provider: 'azure',
    now: new Date()
  })
  const planned = await planDnsChange(settings, p, report)
  if (settings.mode === 'apply') await writeDnsChange(p, planned, report)
  return { report, planned }
}

const armWrites = () => world.arm.requests.filter(r => r.method === 'PUT')
const stored = (type = 'A', name = 'ldaps') => world.arm.getRecordSet(SUBSCRIPTION, RG, ZONE, type, name)

describe('Azure DNS provider against the local ARM and Entra stand-ins', () => {
  test('create: a PUT with If-None-Match: * and the client-secret sign-in for the ARM scope', async () => {
    const p = await provider()
    const { report } = await upsert(p, runSettings(azureSettings()))
    assert.equal(report.record?.action, 'create')
    assert.equal(report.record?.changed, true)
    const puts = armWrites()
    assert.equal(puts.length, 1)
    assert.equal(puts[0]!.ifNoneMatch, '*')
    assert.equal(puts[0]!.ifMatch, undefined)
    assert.match(
      puts[0]!.path,
      /\/resourceGroups\/rg-dns\/providers\/Microsoft\.Network\/dnsZones\/contoso100\.com\/A\/ldaps$/
    )
    assert.deepEqual(stored()?.aRecords, [{ ipv4Address: '52.165.38.113' }])
    assert.equal(stored()?.ttl, 300)
    const tokenRequest = world.entra.requests.find(r => r.path.endsWith('/oauth2/v2.0/token'))
    assert.equal(tokenRequest?.form['scope'], `${world.arm.url}/.default`)
    assert.equal(tokenRequest?.form['client_secret'], CLIENT_SECRET)
    assert.equal(tokenRequest?.form['client_id'], SECRET_CLIENT)
  })

  test('no-op: zone and resource group given, two GETs (A and CNAME) and zero writes', async () => {
    world.arm.putRecordSet(SUBSCRIPTION, RG, ZONE, {
      name: 'ldaps',
      type: 'A',
      ttl: 300,
      aRecords: [{ ipv4Address: '52.165.38.113' }]
    })
    const p = await provider()
    const { report } = await upsert(p, runSettings(azureSettings()))
    assert.equal(report.record?.action, 'none')
    assert.equal(report.record?.changed, false)
    assert.equal(world.arm.writeCount(), 0)
    assert.equal(p.stats.writes, 0)
    assert.ok(world.arm.requests.length <= 2, `ARM saw ${world.arm.requests.length} requests`)
    assert.deepEqual(world.arm.requests.map(r => r.path.split('/').slice(-2).join('/')).sort(), [
      'A/ldaps',
      'CNAME/ldaps'
    ])
  })

  test('replace: If-Match with the ETag read, metadata kept, previous value reported', async () => {
    const etag = world.arm.putRecordSet(SUBSCRIPTION, RG, ZONE, {
      name: 'ldaps',
      type: 'A',
      ttl: 3600,
      metadata: { owner: 'identity-team', ticket: 'CHG-1234' },
      aRecords: [{ ipv4Address: '20.1.2.3' }]
    })
    const p = await provider()
    const { report } = await upsert(p, runSettings(azureSettings()))
    assert.equal(report.record?.action, 'replace')
    assert.deepEqual(report.record?.found?.values, ['20.1.2.3'])
    const puts = armWrites()
    assert.equal(puts.length, 1)
    assert.equal(puts[0]!.ifMatch, etag)
    assert.equal(puts[0]!.ifNoneMatch, undefined)
    assert.deepEqual(stored()?.metadata, { owner: 'identity-team', ticket: 'CHG-1234' })
    assert.deepEqual(stored()?.aRecords, [{ ipv4Address: '52.165.38.113' }])
    assert.equal(stored()?.ttl, 300)
  })

  test('AAAA at the apex: relative name @ and canonical IPv6 comparison', async () => {
    world.arm.putRecordSet(SUBSCRIPTION, RG, ZONE, {
      name: '@',
      type: 'AAAA',
      ttl: 300,
      aaaaRecords: [{ ipv6Address: '2001:DB8:0:0:0:0:0:10' }]
    })
    const p = await provider()
    const { report } = await upsert(
      p,
      runSettings(azureSettings(), { domain: ZONE, ip: '2001:db8::10', recordType: 'AAAA' })
    )
    assert.equal(report.record?.action, 'none')
    assert.equal(world.arm.writeCount(), 0)
    assert.ok(world.arm.requests.every(r => r.path.endsWith('/@')))
  })

  test('an existing set without records is filled conditionally on its ETag, keeping metadata', async () => {
    const etag = world.arm.putRecordSet(SUBSCRIPTION, RG, ZONE, {
      name: 'ldaps',
      type: 'A',
      ttl: 3600,
      metadata: { reserved: 'yes' },
      aRecords: []
    })
    const p = await provider()
    await upsert(p, runSettings(azureSettings()))
    const puts = armWrites()
    assert.equal(puts.length, 1)
    assert.equal(puts[0]!.ifMatch, etag)
    assert.deepEqual(stored()?.metadata, { reserved: 'yes' })
  })

  test('three 429s with Retry-After, then 5xx on the write: the SDK retries and the run succeeds', async () => {
    world.arm.faults.push(
      { method: 'GET', pathIncludes: '/A/ldaps', times: 3, status: 429, headers: { 'Retry-After': '1' } },
      { method: 'PUT', times: 2, status: 503 }
    )
    const p = await provider()
    const { report } = await upsert(p, runSettings(azureSettings()))
    assert.equal(report.record?.changed, true)
    const gets = world.arm.requests.filter(r => r.method === 'GET' && r.path.endsWith('/A/ldaps'))
    assert.deepEqual(
      gets.map(r => r.status),
      [429, 429, 429, 404]
    )
    assert.deepEqual(
      armWrites().map(r => r.status),
      [503, 503, 201]
    )
    assert.deepEqual(stored()?.aRecords, [{ ipv4Address: '52.165.38.113' }])
  })

  test('throttling that never ends fails after a bounded number of retries, naming the scope', async () => {
    world.arm.faults.push({
      method: 'GET',
      pathIncludes: '/A/ldaps',
      times: 100,
      status: 429,
      headers: { 'Retry-After': '0' }
    })
    const p = await provider()
    await assert.rejects(upsert(p, runSettings(azureSettings())), (error: Error) => {
      assert.match(error.message, /throttling/)
      assert.match(error.message, new RegExp(`subscription ${SUBSCRIPTION}, resource group ${RG}, zone ${ZONE}`))
      return true
    })
    const gets = world.arm.requests.filter(r => r.method === 'GET' && r.path.endsWith('/A/ldaps'))
    assert.equal(gets.length, AZURE_RETRY.maxRetries + 1)
  })

  test('ETag race: another writer changes the set between GET and PUT → 412 → re-read → re-plan', async () => {
    const first = world.arm.putRecordSet(SUBSCRIPTION, RG, ZONE, {
      name: 'ldaps',
      type: 'A',
      ttl: 300,
      metadata: { owner: 'identity-team' },
      aRecords: [{ ipv4Address: '20.1.2.3' }]
    })
    let raced = ''
    world.arm.beforeWrite = () => {
      world.arm.beforeWrite = undefined
      raced = world.arm.putRecordSet(SUBSCRIPTION, RG, ZONE, {
        name: 'ldaps',
        type: 'A',
        ttl: 300,
        metadata: { owner: 'identity-team', changedBy: 'other-pipeline' },
        aRecords: [{ ipv4Address: '20.9.9.9' }]
      })
    }
    const p = await provider()
    const { report } = await upsert(p, runSettings(azureSettings()))
    const puts = armWrites()
    assert.deepEqual(
      puts.map(r => [r.ifMatch, r.status]),
      [
        [first, 412],
        [raced, 200]
      ]
    )
    assert.deepEqual(report.record?.found?.values, ['20.9.9.9'], 'previous-ips is what the last read saw')
    assert.deepEqual(stored()?.metadata, { owner: 'identity-team', changedBy: 'other-pipeline' })
    assert.deepEqual(stored()?.aRecords, [{ ipv4Address: '52.165.38.113' }])
  })

  test('create race: the set appears before our PUT → 412 → re-read finds it right → nothing written', async () => {
    world.arm.beforeWrite = () => {
      world.arm.beforeWrite = undefined
      world.arm.putRecordSet(SUBSCRIPTION, RG, ZONE, {
        name: 'ldaps',
        type: 'A',
        ttl: 300,
        aRecords: [{ ipv4Address: '52.165.38.113' }]
      })
    }
    const p = await provider()
    const { report } = await upsert(p, runSettings(azureSettings()))
    assert.deepEqual(
      armWrites().map(r => [r.ifNoneMatch, r.status]),
      [['*', 412]]
    )
    assert.equal(report.record?.action, 'none')
  })

  test('CNAME at the name: a conflict found before any write', async () => {
    world.arm.putRecordSet(SUBSCRIPTION, RG, ZONE, {
      name: 'ldaps',
      type: 'CNAME',
      ttl: 300,
      cnameRecord: { cname: 'ldaps.example.net' }
    })
    const p = await provider()
    const report = createReport({
      domain: DOMAIN,
      ip: '52.165.38.113',
      mode: 'apply',
      provider: 'azure',
      now: new Date()
    })
    const planned = await planDnsChange(runSettings(azureSettings()), p, report)
    assert.equal(planned.plan.action, 'conflict')
    await assert.rejects(writeDnsChange(p, planned, report), /CNAME to ldaps\.example\.net/)
    assert.equal(world.arm.writeCount(), 0)
  })

  test('an alias record set is refused, not overwritten', async () => {
    world.arm.putRecordSet(SUBSCRIPTION, RG, ZONE, {
      name: 'ldaps',
      type: 'A',
      ttl: 300,
      targetResource: {
        id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-net/providers/Microsoft.Network/publicIPAddresses/pip-ldaps`
      }
    })
    const p = await provider()
    await assert.rejects(upsert(p, runSettings(azureSettings())), /alias record set pointing at .*pip-ldaps/)
    assert.equal(world.arm.writeCount(), 0)
  })

  test('zone in another resource group, found by listing the subscription (nextLink paging)', async () => {
    world.arm.pageSize = 1
    world.arm.addZone(SUBSCRIPTION, 'rg-other', 'example.org')
    world.arm.addZone(SUBSCRIPTION, 'rg-identity', 'corp.contoso100.com')
    const p = await provider({ resourceGroup: undefined })
    const settings = runSettings(azureSettings({ resourceGroup: undefined }), {
      zone: undefined,
      domain: 'ldaps.corp.contoso100.com'
    })
    const { report, planned } = await upsert(p, settings)
    assert.equal(planned.zone.name, 'corp.contoso100.com')
    assert.equal(planned.zone.resourceGroup, 'rg-identity')
    assert.equal(report.record?.changed, true)
    const lists = world.arm.requests.filter(r => r.path.toLowerCase().endsWith('/providers/microsoft.network/dnszones'))
    assert.ok(lists.length >= 3, `listing used ${lists.length} pages`)
    assert.ok(lists.slice(1).every(r => r.query['$skipToken'] !== undefined))
    const put = armWrites()[0]!
    assert.match(put.path, /\/resourceGroups\/rg-identity\/.*\/corp\.contoso100\.com\/A\/ldaps$/)
    assert.deepEqual(
      world.arm.getRecordSet(SUBSCRIPTION, 'rg-identity', 'corp.contoso100.com', 'A', 'ldaps')?.aRecords,
      [{ ipv4Address: '52.165.38.113' }]
    )
  })

  test('unknown subscription: one sentence naming it and what to check', async () => {
    const other = '0a0a0a0a-1b1b-4c2c-8d3d-4e4e4e4e4e4e'
    const p = await provider({ subscriptionId: other })
    await assert.rejects(upsert(p, runSettings(azureSettings({ subscriptionId: other }))), (error: Error) => {
      assert.match(error.message, new RegExp(`subscription ${other} does not exist in this cloud`))
      assert.match(error.message, /azure-subscription-id/)
      assert.match(error.message, /SubscriptionNotFound/)
      return true
    })
  })

  test('missing resource group and missing zone are told apart', async () => {
    const p1 = await provider({ resourceGroup: 'rg-typo' })
    await assert.rejects(
      upsert(p1, runSettings(azureSettings({ resourceGroup: 'rg-typo' }))),
      /resource group rg-typo does not exist in subscription/
    )
    const p2 = await provider()
    await assert.rejects(
      upsert(p2, runSettings(azureSettings(), { zone: 'contoso200.com', domain: 'ldaps.contoso200.com' })),
      /zone contoso200\.com is not in resource group rg-dns of subscription .*ParentResourceNotFound/
    )
  })

  test('403 on write names the role and the zone scope; nothing changes', async () => {
    world.arm.putRecordSet(SUBSCRIPTION, RG, ZONE, {
      name: 'ldaps',
      type: 'A',
      ttl: 300,
      aRecords: [{ ipv4Address: '20.1.2.3' }]
    })
    const p = await provider({ clientId: READER_CLIENT })
    await assert.rejects(upsert(p, runSettings(azureSettings({ clientId: READER_CLIENT }))), (error: Error) => {
      assert.match(error.message, /DNS Zone Contributor role on the zone/)
      assert.match(
        error.message,
        new RegExp(
          `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RG}/providers/Microsoft.Network/dnszones/${ZONE.replace('.', '\\.')}`
        )
      )
      assert.match(error.message, /AuthorizationFailed/)
      return true
    })
    assert.deepEqual(stored()?.aRecords, [{ ipv4Address: '20.1.2.3' }])
  })

  test('wrong client secret: the AADSTS reason and what to fix', async () => {
    const p = await provider({ clientSecret: 'not-the-secret' })
    await assert.rejects(upsert(p, runSettings(azureSettings())), (error: Error) => {
      assert.match(error.message, /AADSTS7000215/)
      assert.match(error.message, /azure-client-secret is wrong or expired/)
      return true
    })
    assert.equal(world.arm.requests.length, 0, 'no ARM request without a token')
  })

  test('401 from ARM (token no longer accepted) names the endpoint and tenant to check', async () => {
    const p = await provider()
    await p.read({ name: ZONE, resourceGroup: RG }, DOMAIN, 'A')
    world.tokens.clear() // ARM forgets every token: the next request is a 401
    await assert.rejects(p.read({ name: ZONE, resourceGroup: RG }, DOMAIN, 'A'), (error: Error) => {
      assert.match(error.message, /rejected the sign-in/)
      assert.match(error.message, /InvalidAuthenticationToken/)
      assert.match(error.message, /azure-tenant-id/)
      return true
    })
  })

  test('the ARM stand-in answers 401 AuthenticationFailed without a bearer token', async () => {
    const path = `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Network/dnszones?api-version=2018-05-01`
    const { status, body, challenge } = await new Promise<{ status: number; body: any; challenge: string | undefined }>(
      (resolve, reject) => {
        const req = request(`${world.arm.url}${path}`, res => {
          let text = ''
          res.on('data', d => (text += d))
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body: JSON.parse(text),
              challenge: res.headers['www-authenticate'] as string
            })
          )
        })
        req.on('error', reject)
        req.end()
      }
    )
    assert.equal(status, 401)
    assert.equal(body.error.code, 'AuthenticationFailed')
    assert.match(challenge ?? '', /^Bearer /)
  })

  test('a CNAME created between read and write: the 409 becomes a clear error, nothing replaced', async () => {
    world.arm.beforeWrite = () => {
      world.arm.beforeWrite = undefined
      world.arm.putRecordSet(SUBSCRIPTION, RG, ZONE, {
        name: 'ldaps',
        type: 'CNAME',
        ttl: 300,
        cnameRecord: { cname: 'elsewhere.example.net' }
      })
    }
    const p = await provider()
    await assert.rejects(upsert(p, runSettings(azureSettings())), /conflict .*CNAME now exists at that name/)
    assert.deepEqual(
      armWrites().map(r => r.status),
      [409]
    )
    assert.equal(stored(), undefined)
  })

  test('zone given without resource group: its group is found by listing; ambiguous names are refused', async () => {
    world.arm.addZone(SUBSCRIPTION, 'rg-a', 'contoso300.com')
    const p = await provider({ resourceGroup: undefined })
    const zone = await p.findZone('ldaps.contoso300.com', 'contoso300.com')
    assert.deepEqual([zone.name, zone.resourceGroup], ['contoso300.com', 'rg-a'])
    const inGroup = await (await provider({ resourceGroup: 'rg-a' })).findZone('x.ldaps.contoso300.com', undefined)
    assert.deepEqual([inGroup.name, inGroup.resourceGroup], ['contoso300.com', 'rg-a'])
    assert.ok(
      world.arm.requests.some(r => /\/resourceGroups\/rg-a\/providers\/Microsoft\.Network\/dnszones$/i.test(r.path))
    )
    world.arm.addZone(SUBSCRIPTION, 'rg-b', 'contoso300.com')
    await assert.rejects(
      p.findZone('ldaps.contoso300.com', 'contoso300.com'),
      /exists in several resource groups .*rg-a, rg-b.*set azure-resource-group/
    )
    await assert.rejects(
      p.findZone('ldaps.fabrikam.com', undefined),
      /no zone holding ldaps\.fabrikam\.com in subscription/
    )
  })

  describe('OIDC: the runner ID token as client assertion', () => {
    const saved: Record<string, string | undefined> = {}
    const setEnv = (vars: Record<string, string | undefined>) => {
      for (const [k, v] of Object.entries(vars)) {
        if (!(k in saved)) saved[k] = process.env[k]
        if (v === undefined) delete process.env[k]
        else process.env[k] = v
      }
    }
    after(() => setEnv(saved))

    test('client and tenant ids without a secret sign in with GitHub OIDC', async () => {
      setEnv({
        ACTIONS_ID_TOKEN_REQUEST_URL: world.github.requestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: world.github.requestToken
      })
      const issuedBefore = world.github.issued.length
      const over = { clientId: OIDC_CLIENT, clientSecret: undefined }
      const p = await provider(over)
      const { report } = await upsert(p, runSettings(azureSettings(over)))
      assert.equal(report.record?.changed, true)
      // MSAL may ask the assertion callback more than once per sign-in; each call gets a fresh token.
      const issued = world.github.issued.slice(issuedBefore)
      assert.ok(issued.length >= 1)
      assert.ok(issued.every(i => i.audience === 'api://AzureADTokenExchange'))
      const tokenRequest = world.entra.requests.find(r => r.path === `/${TENANT}/oauth2/v2.0/token`)
      assert.equal(
        tokenRequest?.form['client_assertion_type'],
        'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
      )
      assert.equal(tokenRequest?.form['client_secret'], undefined)
      assert.equal(tokenRequest?.status, 200)
    })

    test('a workflow subject without a federated credential: AADSTS70021 and how to fix it', async () => {
      setEnv({
        ACTIONS_ID_TOKEN_REQUEST_URL: world.github.requestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: world.github.requestToken
      })
      world.github.subject = 'repo:octo-org/ldaps-infra:pull_request'
      try {
        const over = { clientId: OIDC_CLIENT, clientSecret: undefined }
        const p = await provider(over)
        await assert.rejects(upsert(p, runSettings(azureSettings(over))), (error: Error) => {
          assert.match(error.message, /AADSTS70021/)
          assert.match(error.message, /add a federated credential/)
          return true
        })
      } finally {
        world.github.subject = 'repo:octo-org/ldaps-infra:ref:refs/heads/main'
      }
    })

    test('the runner refusing the ID token request: the runner error and the permission to add', async () => {
      const over = { clientId: OIDC_CLIENT, clientSecret: undefined }
      const p = await createAzureDnsProvider(azureSettings(over), {
        env: { AZURE_AUTHORITY_HOST: world.entra.url },
        getIdToken: async () => {
          throw new Error('Failed to get ID Token. Error Code : 403 Error Message: Forbidden')
        }
      })
      await assert.rejects(
        upsert(p, runSettings(azureSettings(over))),
        /^ProviderError: Azure DNS: the runner gave no OIDC ID token \(Failed to get ID Token\. Error Code : 403.*id-token: write/
      )
    })

    test('no ID token (job without id-token: write): says which permission to add', async () => {
      setEnv({ ACTIONS_ID_TOKEN_REQUEST_URL: undefined, ACTIONS_ID_TOKEN_REQUEST_TOKEN: undefined })
      const over = { clientId: OIDC_CLIENT, clientSecret: undefined }
      const p = await provider(over)
      await assert.rejects(upsert(p, runSettings(azureSettings(over))), /permissions: id-token: write/)
      assert.equal(world.arm.requests.length, 0)
    })
  })
})
