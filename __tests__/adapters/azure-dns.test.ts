// The Azure DNS provider through the real @azure/arm-dns and @azure/identity clients, against
// local HTTPS stand-ins for Azure Resource Manager (DNS, api-version 2018-05-01), the Microsoft
// Entra token endpoint and GitHub's ID-token service (see __tests__/helpers). Nothing is mocked
// inside the process: the SDKs make real HTTPS requests to 127.0.6.x, trusting the run's CA.
// What every provider owes (create, no-op, replace, races, CNAME, check mode, 429/5xx, a refused
// credential, an unknown zone) is in __tests__/providers/azure-dns.test.ts; this file keeps what
// is Azure's own: ETags, resource groups, alias sets, sign-in paths and ARM's error bodies.

import assert from 'node:assert/strict'
import { request } from 'node:https'
import { after, describe, test } from 'node:test'
import { createAzureDnsProvider, AZURE_RETRY } from '../../src/adapters/providers/azure-dns.ts'
import { ProviderError, type DnsProvider } from '../../src/adapters/providers/provider.ts'
import type { AzureSettings, Settings } from '../../src/core/settings.ts'
import {
  CLIENT_SECRET,
  OIDC_CLIENT,
  READER_CLIENT,
  SECRET_CLIENT,
  SUBSCRIPTION,
  TENANT,
  azureInputs,
  type AzureWorld
} from '../helpers/azure-world.ts'
import { settingsFrom } from '../helpers/settings.ts'
import { freshAzureZone, useAzureWorld } from '../helpers/stand-ins.ts'
import { upsert } from '../helpers/upsert.ts'
import { processEnvEdits } from '../helpers/process-env.ts'
import { ldapsASet } from '../helpers/arm-server.ts'

const RG = 'rg-dns'
// (every test below also checks, through the ARM stand-in, that no PUT went out unconditionally)
const ZONE = 'contoso100.com'
const DOMAIN = 'ldaps.contoso100.com'

let world: AzureWorld
useAzureWorld(w => (world = w), { inProcess: true, fresh: freshAzureZone(RG, ZONE) }) // a fresh, empty zone for every test

/** Settings as the action parses them from these inputs (and `over`). */
function settings(over: Record<string, string> = {}): Settings {
  return settingsFrom({
    domain: DOMAIN,
    ip: '52.165.38.113',
    ...azureInputs(world, RG),

    zone: ZONE,
    ...over
  })
}

async function provider(s: Settings = settings()): Promise<DnsProvider> {
  return createAzureDnsProvider(s.provider as AzureSettings, { env: { AZURE_AUTHORITY_HOST: world.entra.url } })
}

/** Plan and write as the action does, with the provider these settings make. */
async function run(over: Record<string, string> = {}) {
  const s = settings(over)
  return upsert(await provider(s), s)
}

const armWrites = () => world.arm.requests.filter(r => r.method === 'PUT')
const stored = (type = 'A', name = 'ldaps') => world.arm.getRecordSet(SUBSCRIPTION, RG, ZONE, type, name)
const putA = (ip: string, metadata?: Record<string, string>) =>
  world.arm.putRecordSet(SUBSCRIPTION, RG, ZONE, ldapsASet([ip], metadata))

describe('Azure DNS provider against the local ARM and Entra stand-ins', () => {
  test('every PUT is conditional: If-None-Match: * to create, If-Match with the ETag read to replace', async () => {
    const { report } = await run()
    assert.equal(report.record?.action, 'create')
    assert.match(
      armWrites()[0]!.path,
      /\/resourceGroups\/rg-dns\/providers\/Microsoft\.Network\/dnsZones\/contoso100\.com\/A\/ldaps$/
    )
    const tokenRequest = world.entra.requests.find(r => r.path.endsWith('/oauth2/v2.0/token'))
    assert.equal(tokenRequest?.form['scope'], `${world.arm.url}/.default`)
    assert.equal(tokenRequest?.form['client_secret'], CLIENT_SECRET)
    assert.equal(tokenRequest?.form['client_id'], SECRET_CLIENT)

    const etag = putA('20.1.2.3')
    await run()
    // A writer between our read and our PUT: the 412 is followed by a PUT on the ETag re-read.
    let raced = ''
    world.arm.beforeWrite = () => {
      world.arm.beforeWrite = undefined
      raced = putA('20.9.9.9')
    }
    const first = putA('20.1.2.4')
    await run()
    assert.deepEqual(
      armWrites().map(r => [r.ifNoneMatch, r.ifMatch, r.status]),
      [
        ['*', undefined, 201],
        [undefined, etag, 200],
        [undefined, first, 412],
        [undefined, raced, 200]
      ]
    )
  })

  test('create race: the set appears before our PUT → 412 → re-read finds it right → nothing written', async () => {
    world.arm.beforeWrite = () => {
      world.arm.beforeWrite = undefined
      putA('52.165.38.113')
    }
    const { report } = await run()
    assert.deepEqual(
      armWrites().map(r => [r.ifNoneMatch, r.status]),
      [['*', 412]]
    )
    assert.equal(report.record?.action, 'none')
  })

  test('AAAA at the apex: relative name @ and canonical IPv6 comparison', async () => {
    world.arm.putRecordSet(SUBSCRIPTION, RG, ZONE, {
      name: '@',
      type: 'AAAA',
      ttl: 300,
      aaaaRecords: [{ ipv6Address: '2001:DB8:0:0:0:0:0:10' }]
    })
    const { report } = await run({ domain: ZONE, ip: '2001:db8::10' })
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
    await run()
    const puts = armWrites()
    assert.equal(puts.length, 1)
    assert.equal(puts[0]!.ifMatch, etag)
    assert.deepEqual(stored()?.metadata, { reserved: 'yes' })
  })

  test('throttling that never ends fails after a bounded number of retries, naming the scope', async () => {
    world.arm.faults.push({
      method: 'GET',
      pathIncludes: '/A/ldaps',
      times: 100,
      status: 429,
      headers: { 'Retry-After': '0' }
    })
    await assert.rejects(run(), (error: Error) => {
      assert.match(error.message, /throttling/)
      assert.match(error.message, new RegExp(`subscription ${SUBSCRIPTION}, resource group ${RG}, zone ${ZONE}`))
      return true
    })
    const gets = world.arm.requests.filter(r => r.method === 'GET' && r.path.endsWith('/A/ldaps'))
    assert.equal(gets.length, AZURE_RETRY.maxRetries + 1)
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
    await assert.rejects(run(), /alias record set pointing at .*pip-ldaps/)
    assert.equal(world.arm.writeCount(), 0)
  })

  test('zone in another resource group, found by listing the subscription (nextLink paging)', async () => {
    world.arm.pageSize = 1
    world.arm.addZone(SUBSCRIPTION, 'rg-other', 'example.org')
    world.arm.addZone(SUBSCRIPTION, 'rg-identity', 'corp.contoso100.com')
    const { report, planned } = await run({ 'azure-resource-group': '', zone: '', domain: 'ldaps.corp.contoso100.com' })
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
    await assert.rejects(run({ 'azure-subscription-id': other }), (error: Error) => {
      assert.match(error.message, new RegExp(`subscription ${other} does not exist in this cloud`))
      assert.match(error.message, /azure-subscription-id/)
      assert.match(error.message, /SubscriptionNotFound/)
      return true
    })
  })

  test('a missing resource group is told apart from a missing zone (the conformance suite has that one)', async () => {
    await assert.rejects(
      run({ 'azure-resource-group': 'rg-typo' }),
      /resource group rg-typo does not exist in subscription .*ResourceGroupNotFound/
    )
  })

  test('403 on write names the role and the zone scope; nothing changes', async () => {
    putA('20.1.2.3')
    await assert.rejects(run({ 'azure-client-id': READER_CLIENT }), (error: Error) => {
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

  test('wrong client secret: no ARM request is made without a token', async () => {
    await assert.rejects(run({ 'azure-client-secret': 'not-the-secret' }), /AADSTS7000215/)
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
    await assert.rejects(run(), /conflict .*CNAME now exists at that name/)
    assert.deepEqual(
      armWrites().map(r => r.status),
      [409]
    )
    assert.equal(stored(), undefined)
  })

  test('zone given without resource group: its group is found by listing; ambiguous names are refused', async () => {
    world.arm.addZone(SUBSCRIPTION, 'rg-a', 'contoso300.com')
    const p = await provider(settings({ 'azure-resource-group': '' }))
    const zone = await p.findZone('ldaps.contoso300.com', 'contoso300.com')
    assert.deepEqual([zone.name, zone.resourceGroup], ['contoso300.com', 'rg-a'])
    const inGroup = await (
      await provider(settings({ 'azure-resource-group': 'rg-a' }))
    ).findZone('x.ldaps.contoso300.com', undefined)
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
    const OIDC = { 'azure-client-id': OIDC_CLIENT, 'azure-client-secret': '' }
    const processEnv = processEnvEdits()
    const setEnv = processEnv.set
    after(() => processEnv.restore())

    test('client and tenant ids without a secret sign in with GitHub OIDC', async () => {
      setEnv({
        ACTIONS_ID_TOKEN_REQUEST_URL: world.github.requestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: world.github.requestToken
      })
      const issuedBefore = world.github.issued.length
      const { report } = await run(OIDC)
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
        await assert.rejects(run(OIDC), (error: Error) => {
          assert.match(error.message, /AADSTS70021/)
          assert.match(error.message, /add a federated credential/)
          return true
        })
      } finally {
        world.github.subject = 'repo:octo-org/ldaps-infra:ref:refs/heads/main'
      }
    })

    test('the runner refusing the ID token request: the runner error and the permission to add', async () => {
      const s = settings(OIDC)
      const p = await createAzureDnsProvider(s.provider as AzureSettings, {
        env: { AZURE_AUTHORITY_HOST: world.entra.url },
        getIdToken: async () => {
          throw new Error('Failed to get ID Token. Error Code : 403 Error Message: Forbidden')
        }
      })
      await assert.rejects(upsert(p, s), (error: Error) => {
        assert.ok(error instanceof ProviderError, String(error))
        assert.match(
          error.message,
          /^Azure DNS: the runner gave no OIDC ID token \(Failed to get ID Token\. Error Code : 403.*id-token: write/
        )
        return true
      })
    })

    test('no ID token (job without id-token: write): says which permission to add', async () => {
      setEnv({ ACTIONS_ID_TOKEN_REQUEST_URL: undefined, ACTIONS_ID_TOKEN_REQUEST_TOKEN: undefined })
      await assert.rejects(run(OIDC), /permissions: id-token: write/)
      assert.equal(world.arm.requests.length, 0)
    })
  })
})
