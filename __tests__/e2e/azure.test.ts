// End to end: the bundled action (dist/index.js, run `npm run build` first) spawned as a runner
// would, with provider azure pointed at the local ARM stand-in through
// azure-resource-manager-endpoint and at the local Microsoft Entra stand-in through
// AZURE_AUTHORITY_HOST; the child trusts the run's CA through NODE_EXTRA_CA_CERTS. The Azure CLI
// sign-in is exercised with a fake `az` script first on PATH (the real CLI would need a real
// tenant): it prints what `az account get-access-token` prints, and the token it hands out is one
// the ARM stand-in accepts.

import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, beforeEach, describe, test } from 'node:test'
import { runAction } from '../helpers/run-action.ts'
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
const ZONE = 'contoso100.com'
const DOMAIN = 'ldaps.contoso100.com'
const IP = '52.165.38.113'

let world: AzureWorld

before(async () => {
  assert.ok(existsSync(new URL('../../dist/index.js', import.meta.url)), 'run `npm run build` before the e2e tests')
  world = await startAzureWorld()
})
after(async () => {
  assert.equal(world?.arm.unconditionalWrites(), 0, 'a record set PUT without If-Match / If-None-Match')
  await world?.close()
})
beforeEach(() => {
  world.arm.requests.length = 0
  world.arm.faults.length = 0
  world.arm.beforeWrite = undefined
  world.entra.requests.length = 0
  world.arm.addZone(SUBSCRIPTION, RG, ZONE) // fresh and empty for every test
})

function inputs(over: Record<string, string> = {}): Record<string, string> {
  return {
    domain: DOMAIN,
    ip: IP,
    provider: 'azure',
    ttl: '300',
    zone: ZONE,
    'azure-subscription-id': SUBSCRIPTION,
    'azure-resource-group': RG,
    'azure-client-id': SECRET_CLIENT,
    'azure-tenant-id': TENANT,
    'azure-client-secret': CLIENT_SECRET,
    'azure-resource-manager-endpoint': world.arm.url,
    'wait-for-propagation': 'false',
    'verify-certificate': 'false',
    ...over
  }
}

function env(over: Record<string, string> = {}): Record<string, string> {
  return { NODE_EXTRA_CA_CERTS: world.pki.caFile, AZURE_AUTHORITY_HOST: world.entra.url, ...over }
}

const puts = () => world.arm.requests.filter(r => r.method === 'PUT')
const stored = () => world.arm.getRecordSet(SUBSCRIPTION, RG, ZONE, 'A', 'ldaps')
const failure = (run: Awaited<ReturnType<typeof runAction>>) =>
  (run.report?.findings ?? [])
    .filter((f: any) => f.severity === 'error')
    .map((f: any) => f.message)
    .join('\n')

describe('the bundled action with provider azure', () => {
  test('create, then a second run is a no-op with zero writes and at most two ARM requests', async () => {
    const first = await runAction(inputs(), { env: env() })
    assert.equal(first.exitCode, 0, first.stdout)
    assert.equal(first.outputs['record-changed'], 'true')
    assert.equal(first.outputs['previous-ips'], '')
    assert.equal(first.outputs['zone'], ZONE)
    assert.deepEqual(
      puts().map(r => r.ifNoneMatch),
      ['*']
    )
    assert.deepEqual(stored()?.aRecords, [{ ipv4Address: IP }])
    assert.equal(stored()?.ttl, 300)

    world.arm.requests.length = 0
    const second = await runAction(inputs(), { env: env() })
    assert.equal(second.exitCode, 0, second.stdout)
    assert.equal(second.outputs['record-changed'], 'false')
    assert.equal(second.outputs['previous-ips'], IP)
    assert.equal(second.report.record.providerWrites, 0)
    assert.equal(world.arm.writeCount(), 0)
    assert.ok(world.arm.requests.length <= 2, `ARM saw ${world.arm.requests.length} requests`)
  })

  test('replace keeps the metadata and reports the previous address', async () => {
    const etag = world.arm.putRecordSet(SUBSCRIPTION, RG, ZONE, {
      name: 'ldaps',
      type: 'A',
      ttl: 3600,
      metadata: { owner: 'identity-team' },
      aRecords: [{ ipv4Address: '20.1.2.3' }]
    })
    const run = await runAction(inputs(), { env: env() })
    assert.equal(run.exitCode, 0, run.stdout)
    assert.equal(run.outputs['record-changed'], 'true')
    assert.equal(run.outputs['previous-ips'], '20.1.2.3')
    assert.deepEqual(
      puts().map(r => r.ifMatch),
      [etag]
    )
    assert.deepEqual(stored()?.metadata, { owner: 'identity-team' })
    assert.deepEqual(stored()?.aRecords, [{ ipv4Address: IP }])
  })

  test('race: the set changes between read and write → 412 → re-read → written on the new ETag', async () => {
    world.arm.putRecordSet(SUBSCRIPTION, RG, ZONE, {
      name: 'ldaps',
      type: 'A',
      ttl: 300,
      aRecords: [{ ipv4Address: '20.1.2.3' }]
    })
    let raced = ''
    world.arm.beforeWrite = () => {
      world.arm.beforeWrite = undefined
      raced = world.arm.putRecordSet(SUBSCRIPTION, RG, ZONE, {
        name: 'ldaps',
        type: 'A',
        ttl: 300,
        metadata: { by: 'other-writer' },
        aRecords: [{ ipv4Address: '20.7.7.7' }]
      })
    }
    const run = await runAction(inputs(), { env: env() })
    assert.equal(run.exitCode, 0, run.stdout)
    assert.deepEqual(
      puts().map(r => r.status),
      [412, 200]
    )
    assert.equal(puts()[1]!.ifMatch, raced)
    assert.equal(run.outputs['previous-ips'], '20.7.7.7')
    assert.deepEqual(stored()?.metadata, { by: 'other-writer' })
    assert.match(run.stdout, /changed between read and write/)
  })

  test('CNAME at the name fails before any write', async () => {
    world.arm.putRecordSet(SUBSCRIPTION, RG, ZONE, {
      name: 'ldaps',
      type: 'CNAME',
      ttl: 300,
      cnameRecord: { cname: 'ldaps.example.net' }
    })
    const run = await runAction(inputs(), { env: env() })
    assert.equal(run.exitCode, 1)
    assert.match(failure(run), /is a CNAME to ldaps\.example\.net/)
    assert.equal(world.arm.writeCount(), 0)
  })

  test('auth failures: a wrong secret names the fix; a reader identity names the role to assign', async () => {
    const wrong = await runAction(inputs({ 'azure-client-secret': 'wrong-secret-value' }), { env: env() })
    assert.equal(wrong.exitCode, 1)
    assert.match(failure(wrong), /AADSTS7000215/)
    assert.match(failure(wrong), /azure-client-secret is wrong or expired/)
    const printed = wrong.stdout.split('\n').filter(line => !line.startsWith('::add-mask::'))
    assert.ok(
      printed.every(line => !line.includes('wrong-secret-value')),
      'the secret is only ever registered as a mask'
    )

    world.arm.putRecordSet(SUBSCRIPTION, RG, ZONE, {
      name: 'ldaps',
      type: 'A',
      ttl: 300,
      aRecords: [{ ipv4Address: '20.1.2.3' }]
    })
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

  test('429 three times with Retry-After, then success', async () => {
    world.arm.faults.push({
      method: 'GET',
      pathIncludes: '/A/ldaps',
      times: 3,
      status: 429,
      headers: { 'Retry-After': '1' }
    })
    const run = await runAction(inputs(), { env: env() })
    assert.equal(run.exitCode, 0, run.stdout)
    assert.deepEqual(
      world.arm.requests.filter(r => r.method === 'GET' && r.path.endsWith('/A/ldaps')).map(r => r.status),
      [429, 429, 429, 404]
    )
    assert.equal(run.outputs['record-changed'], 'true')
  })

  test('check mode reads only: drift reported, zero writes', async () => {
    world.arm.putRecordSet(SUBSCRIPTION, RG, ZONE, {
      name: 'ldaps',
      type: 'A',
      ttl: 300,
      aRecords: [{ ipv4Address: '20.1.2.3' }]
    })
    // Check mode also reads the authoritative nameservers: point them at an address of this
    // test's range where nothing listens, so no query leaves loopback.
    const run = await runAction(
      inputs({ mode: 'check', nameservers: '127.0.6.53', resolver: '127.0.6.53', 'propagation-timeout': '1' }),
      { env: env() }
    )
    assert.equal(world.arm.writeCount(), 0)
    assert.equal(run.report.record.providerWrites, 0)
    assert.equal(run.report.record.action, 'replace')
    assert.equal(run.outputs['drift'], 'true')
    assert.equal(run.outputs['record-changed'], 'false')
    assert.equal(run.exitCode, 1)
    assert.deepEqual(stored()?.aRecords, [{ ipv4Address: '20.1.2.3' }])
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
