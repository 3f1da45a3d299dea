// End to end: the bundled action (dist/index.js, run `npm run build` first) spawned as a runner
// would, with provider azure pointed at the local ARM stand-in through
// azure-resource-manager-endpoint and at the local Microsoft Entra stand-in through
// AZURE_AUTHORITY_HOST; the child trusts the run's CA through NODE_EXTRA_CA_CERTS. The Azure CLI
// sign-in is exercised with a fake `az` script first on PATH (the real CLI would need a real
// tenant): it prints what `az account get-access-token` prints, and the token it hands out is one
// the ARM stand-in accepts. What every provider owes end to end (create, no-op, replace, race,
// check mode, CNAME, a refused secret) is in __tests__/providers/azure-dns.test.ts; this file keeps
// Azure's sign-in paths, zone listing, its error wording and the chunked bundle.

import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { ldapsASet } from '../helpers/arm-server.ts'
import { errorMessages, runAction } from '../helpers/run-action.ts'
import { freshAzureZone, useAzureWorld } from '../helpers/stand-ins.ts'
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

const RG = 'rg-dns'
const ZONE = 'contoso100.com'
const DOMAIN = 'ldaps.contoso100.com'
const IP = '52.165.38.113'

let world: AzureWorld

useAzureWorld(w => (world = w), { bundle: true, fresh: freshAzureZone(RG, ZONE) }) // fresh and empty for every test

function inputs(over: Record<string, string> = {}): Record<string, string> {
  return {
    domain: DOMAIN,
    ip: IP,
    ...azureInputs(world, RG),
    zone: ZONE,
    'wait-for-propagation': 'false',
    'verify-certificate': 'false',
    ...over
  }
}

function env(over: Record<string, string> = {}): Record<string, string> {
  return { NODE_EXTRA_CA_CERTS: world.pki.caFile, AZURE_AUTHORITY_HOST: world.entra.url, ...over }
}

const stored = () => world.arm.getRecordSet(SUBSCRIPTION, RG, ZONE, 'A', 'ldaps')
const failure = errorMessages

describe('the bundled action with provider azure', () => {
  test('a reader identity: the role to assign on the zone scope, nothing changed', async () => {
    world.arm.putRecordSet(SUBSCRIPTION, RG, ZONE, ldapsASet(['20.1.2.3']))
    const reader = await runAction(inputs({ 'azure-client-id': READER_CLIENT }), { env: env() })
    assert.equal(reader.exitCode, 1)
    const message = failure(reader)
    assert.match(message, /DNS Zone Contributor role on the zone/)
    assert.match(
      message,
      new RegExp(`subscription ${SUBSCRIPTION}, resource group ${RG}, zone ${ZONE.replace('.', '\\.')}`)
    )
    assert.deepEqual(stored()?.aRecords, [{ ipv4Address: '20.1.2.3' }])
  })

  test('unknown subscription is one sentence naming it', async () => {
    const other = '0a0a0a0a-1b1b-4c2c-8d3d-4e4e4e4e4e4e'
    const run = await runAction(inputs({ 'azure-subscription-id': other }), { env: env() })
    assert.equal(run.exitCode, 1)
    assert.match(failure(run), new RegExp(`subscription ${other} does not exist in this cloud`))
  })

  test('zone and resource group empty: found by listing the subscription', async () => {
    world.arm.addZone(SUBSCRIPTION, 'rg-identity', 'corp.contoso100.com')
    const run = await runAction(inputs({ zone: '', 'azure-resource-group': '', domain: 'ldaps.corp.contoso100.com' }), {
      env: env()
    })
    assert.equal(run.exitCode, 0, run.stdout)
    assert.equal(run.outputs['zone'], 'corp.contoso100.com')
    assert.match(run.stdout, /resource group rg-identity/)
    assert.deepEqual(
      world.arm.getRecordSet(SUBSCRIPTION, 'rg-identity', 'corp.contoso100.com', 'A', 'ldaps')?.aRecords,
      [{ ipv4Address: IP }]
    )
  })

  describe('credential selection', () => {
    test('OIDC: client and tenant ids without a secret use the runner ID token', async () => {
      const issuedBefore = world.github.issued.length
      const run = await runAction(inputs({ 'azure-client-id': OIDC_CLIENT, 'azure-client-secret': '' }), {
        env: env({
          ACTIONS_ID_TOKEN_REQUEST_URL: world.github.requestUrl,
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: world.github.requestToken
        })
      })
      assert.equal(run.exitCode, 0, run.stdout)
      assert.match(run.stdout, /signing in with GitHub OIDC/)
      assert.ok(world.github.issued.length > issuedBefore)
      const token = world.entra.requests.find(r => r.path === `/${TENANT}/oauth2/v2.0/token`)
      assert.equal(token?.form['client_id'], OIDC_CLIENT)
      assert.ok(token?.form['client_assertion'])
      assert.equal(token?.form['scope'], `${world.arm.url}/.default`)
      assert.deepEqual(stored()?.aRecords, [{ ipv4Address: IP }])
    })

    test('OIDC without id-token: write says which permission to add', async () => {
      const run = await runAction(inputs({ 'azure-client-id': OIDC_CLIENT, 'azure-client-secret': '' }), { env: env() })
      assert.equal(run.exitCode, 1)
      assert.match(failure(run), /permissions: id-token: write/)
      assert.equal(world.arm.requests.length, 0)
    })

    test('no client id: DefaultAzureCredential signs in from AZURE_CLIENT_* environment variables', async () => {
      const run = await runAction(inputs({ 'azure-client-id': '', 'azure-tenant-id': '', 'azure-client-secret': '' }), {
        env: env({
          AZURE_CLIENT_ID: SECRET_CLIENT,
          AZURE_TENANT_ID: TENANT,
          AZURE_CLIENT_SECRET: CLIENT_SECRET,
          AZURE_TOKEN_CREDENTIALS: 'EnvironmentCredential'
        })
      })
      assert.equal(run.exitCode, 0, run.stdout)
      const token = world.entra.requests.find(r => r.path === `/${TENANT}/oauth2/v2.0/token`)
      assert.equal(token?.form['client_id'], SECRET_CLIENT)
      assert.equal(token?.status, 200)
      assert.deepEqual(stored()?.aRecords, [{ ipv4Address: IP }])
    })

    test('no client id: DefaultAzureCredential signs in through the Azure CLI (fake az on PATH)', async () => {
      const logBefore = existsSync(world.cliLog) ? readFileSync(world.cliLog, 'utf8').length : 0
      const run = await runAction(inputs({ 'azure-client-id': '', 'azure-tenant-id': '', 'azure-client-secret': '' }), {
        env: env({
          PATH: `${world.cliDir}:${process.env['PATH'] ?? ''}`,
          // Limit the default chain to the CLI, as documented for AZURE_TOKEN_CREDENTIALS, so
          // the managed-identity probe (169.254.169.254) never leaves this machine's loopback.
          AZURE_TOKEN_CREDENTIALS: 'AzureCliCredential'
        })
      })
      assert.equal(run.exitCode, 0, run.stdout)
      assert.match(run.stdout, /default Azure credential chain/)
      const calls = readFileSync(world.cliLog, 'utf8').slice(logBefore)
      assert.match(
        calls,
        new RegExp(`account get-access-token --output json --resource ${world.arm.url.replace(/\./g, '\\.')}`)
      )
      assert.equal(world.entra.requests.length, 0)
      assert.deepEqual(stored()?.aRecords, [{ ipv4Address: IP }])
    })
  })

  test('the Azure SDK chunks are loaded only when provider azure is chosen', async () => {
    // A preloaded module hook (NODE_OPTIONS=--import) logs every file the bundle loads.
    const dist = new URL('../../dist/', import.meta.url).pathname
    const azureChunks = readdirSync(dist).filter(
      f => /^\d+\.index\.js$/.test(f) && readFileSync(join(dist, f), 'utf8').includes('DnsManagementClient')
    )
    assert.ok(azureChunks.length > 0, 'the Azure provider is a separate chunk of the bundle')
    const hook = join(world.pki.dir, 'log-loads.mjs')
    const logFor = (name: string) => join(world.pki.dir, `loads-${name}.log`)
    writeFileSync(
      hook,
      `import { registerHooks } from 'node:module'
import { appendFileSync } from 'node:fs'
registerHooks({ load(url, context, next) { appendFileSync(process.env.LOAD_LOG, url + '\\n'); return next(url, context) } })
`
    )
    const loaded = async (provider: string) => {
      const log = logFor(provider)
      writeFileSync(log, '')
      const run = await runAction(
        provider === 'none'
          ? { domain: DOMAIN, ip: IP, provider: 'none', 'wait-for-propagation': 'false', 'verify-certificate': 'false' }
          : inputs(),
        {
          env: env({ NODE_OPTIONS: `--import=${hook}`, LOAD_LOG: log })
        }
      )
      assert.equal(run.exitCode, 0, run.stdout + run.stderr)
      return readFileSync(log, 'utf8')
    }
    const withNone = await loaded('none')
    assert.match(withNone, /dist\/index\.js/)
    for (const chunk of azureChunks)
      assert.ok(!withNone.includes(`dist/${chunk}`), `${chunk} loaded with provider none`)
    const withAzure = await loaded('azure')
    for (const chunk of azureChunks)
      assert.ok(withAzure.includes(`dist/${chunk}`), `${chunk} not loaded with provider azure`)
  })
})
