// Which cloud endpoints and which sign-in the Azure provider picks from its settings. These are
// decisions only (no request is made): the requests themselves are exercised against the local
// stand-ins in azure-dns.test.ts and e2e/azure.test.ts.

import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ClientAssertionCredential, ClientSecretCredential, DefaultAzureCredential } from '@azure/identity'
import * as identity from '@azure/identity'
import { createAzureCredential, resolveAzureEndpoints } from '../../src/adapters/azure/credential.ts'
import { relativeName } from '../../src/adapters/providers/azure-dns.ts'
import type { AzureSettings } from '../../src/core/settings.ts'

const base: AzureSettings = {
  kind: 'azure',
  subscriptionId: '6f1c2a9e-0b7d-4c55-9a31-2d8e4f0c7b11',
  resourceGroup: undefined,
  clientId: undefined,
  tenantId: undefined,
  clientSecret: undefined,
  environment: 'AzureCloud',
  resourceManagerEndpoint: undefined
}

describe('Azure cloud endpoints', () => {
  test('each cloud has its own ARM endpoint, token scope and Entra authority', () => {
    assert.deepEqual(resolveAzureEndpoints(base, {}), {
      resourceManager: 'https://management.azure.com',
      authorityHost: 'https://login.microsoftonline.com',
      scope: 'https://management.azure.com/.default'
    })
    assert.deepEqual(resolveAzureEndpoints({ ...base, environment: 'AzureUSGovernment' }, {}), {
      resourceManager: 'https://management.usgovcloudapi.net',
      authorityHost: 'https://login.microsoftonline.us',
      scope: 'https://management.usgovcloudapi.net/.default'
    })
    assert.deepEqual(resolveAzureEndpoints({ ...base, environment: 'AzureChinaCloud' }, {}), {
      resourceManager: 'https://management.chinacloudapi.cn',
      authorityHost: 'https://login.chinacloudapi.cn',
      scope: 'https://management.chinacloudapi.cn/.default'
    })
  })

  test('azure-resource-manager-endpoint sets the endpoint and the scope; AZURE_AUTHORITY_HOST the authority', () => {
    const endpoints = resolveAzureEndpoints(
      {
        ...base,
        environment: 'AzureUSGovernment',
        resourceManagerEndpoint: 'https://management.local.azurestack.external/'
      },
      { AZURE_AUTHORITY_HOST: 'https://adfs.local.azurestack.external/' }
    )
    assert.deepEqual(endpoints, {
      resourceManager: 'https://management.local.azurestack.external',
      authorityHost: 'https://adfs.local.azurestack.external',
      scope: 'https://management.local.azurestack.external/.default'
    })
  })
})

describe('Azure sign-in selection', () => {
  const ids = { clientId: 'a4e1b2c3-d4e5-4f60-8a7b-9c0d1e2f3a4b', tenantId: '3b0d5c7e-8a14-4f2b-b6e9-1c7a9d2e5f40' }

  test('client and tenant ids without a secret: OIDC through a client assertion', () => {
    const choice = createAzureCredential(identity, { ...base, ...ids }, 'Azure DNS', { env: {} })
    assert.equal(choice.kind, 'oidc')
    assert.ok(choice.credential instanceof ClientAssertionCredential)
  })

  test('with a secret: the client secret credential', () => {
    const choice = createAzureCredential(identity, { ...base, ...ids, clientSecret: 's3cr3t' }, 'Azure DNS', {
      env: {}
    })
    assert.equal(choice.kind, 'secret')
    assert.ok(choice.credential instanceof ClientSecretCredential)
    assert.doesNotMatch(choice.description, /s3cr3t/)
  })

  test('neither: the default chain (environment, workload identity, managed identity, Azure CLI)', () => {
    const choice = createAzureCredential(identity, base, 'Azure DNS', { env: {} })
    assert.equal(choice.kind, 'default')
    assert.ok(choice.credential instanceof DefaultAzureCredential)
  })

  test('a malformed AZURE_AUTHORITY_HOST is named, not an "Invalid URL", by the component signing in', () => {
    for (const component of ['Azure DNS', 'Entra Domain Services']) {
      assert.throws(
        () => createAzureCredential(identity, base, component, { env: { AZURE_AUTHORITY_HOST: 'login host' } }),
        new RegExp(`^AzureSignInError: ${component}: AZURE_AUTHORITY_HOST must be an https URL`)
      )
    }
  })

  test('the OIDC assertion is the runner ID token for api://AzureADTokenExchange, fetched per call', async () => {
    const audiences: string[] = []
    const choice = createAzureCredential(identity, { ...base, ...ids }, 'Azure DNS', {
      // Any sign-in request would go to a loopback address of this test's range, never out.
      env: { AZURE_AUTHORITY_HOST: 'https://127.0.6.99:9' },
      getIdToken: async audience => {
        audiences.push(audience)
        throw new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable')
      }
    })
    await assert.rejects(choice.credential.getToken('https://management.azure.com/.default'), /id-token: write/)
    assert.deepEqual(audiences, ['api://AzureADTokenExchange'])
  })
})

describe('record set names', () => {
  test('relative to the zone, @ at the apex, refused outside it', () => {
    assert.equal(relativeName('ldaps.contoso100.com', 'contoso100.com'), 'ldaps')
    assert.equal(relativeName('a.b.contoso100.com', 'contoso100.com'), 'a.b')
    assert.equal(relativeName('contoso100.com', 'contoso100.com'), '@')
    assert.throws(() => relativeName('ldaps.xcontoso100.com', 'contoso100.com'), /not in zone/)
  })
})
