// Faults of Azure Resource Manager, through the bundled action (dist/index.js; `npm run build`
// first) against the local ARM and Microsoft Entra stand-ins on 127.0.10.1-3 over HTTPS (the
// child trusts the run's CA through NODE_EXTRA_CA_CERTS): status-code faults with ARM's error
// bodies (the stand-in's `faults`) and transport faults (`networkFaults`). The SDK's own retry
// policy does the retrying; LDAPS_DNS_ACTION_REQUEST_TIMEOUT_MS sets the per-request timeout the
// adapter gives it (default 30 s) so a stalled answer costs about a second.

import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { NetworkFault } from '../helpers/http-faults.ts'
import { errorMessages, runAction } from '../helpers/run-action.ts'
import { SUBSCRIPTION, azureInputs, type AzureWorld } from '../helpers/azure-world.ts'
import { freshAzureZone, useAzureWorld } from '../helpers/stand-ins.ts'
import { lostWriteAnswerCases, readFaultCases } from '../helpers/transport-faults.ts'
import { NAME as DOMAIN, ZONE } from '../fixtures/record.ts'
import { ldapsASet } from '../helpers/arm-server.ts'

const RG = 'rg-dns'
const IP = '52.165.38.113'
const OLD = '20.1.2.3'

let world: AzureWorld
useAzureWorld(w => (world = w), {
  bundle: true,
  hosts: { arm: '127.0.10.1', entra: '127.0.10.2', github: '127.0.10.3' },
  fresh: freshAzureZone(RG, ZONE) // fresh and empty for every test
})

function run(env: Record<string, string> = {}) {
  const inputs = { domain: DOMAIN, ip: IP, ...azureInputs(world, RG), zone: ZONE }
  return runAction(
    { ...inputs, 'wait-for-propagation': 'false', 'verify-certificate': 'false' },
    { env: { NODE_EXTRA_CA_CERTS: world.pki.caFile, AZURE_AUTHORITY_HOST: world.entra.url, ...env } }
  )
}

const withOld = (): string =>
  world.arm.putRecordSet(SUBSCRIPTION, RG, ZONE, ldapsASet([OLD], { owner: 'identity-team' }))
const stored = () => world.arm.getRecordSet(SUBSCRIPTION, RG, ZONE, 'A', 'ldaps')
const puts = () => world.arm.requests.filter(r => r.method === 'PUT')
const aReads = () => world.arm.requests.filter(r => r.method === 'GET' && r.path.endsWith('/A/ldaps'))
const scope = `subscription ${SUBSCRIPTION}, resource group ${RG}, zone ${ZONE.replace('.', '\\.')}`

let etag: string | undefined
const transport = {
  readPath: '/A/ldaps',
  writeMethod: 'PUT',
  ip: IP,
  old: OLD,
  seedOld: () => void (etag = withOld()),
  arm: (fault: NetworkFault) => world.arm.networkFaults.push({ ...fault }),
  pending: () => world.arm.networkFaults.reduce((n, f) => n + f.times, 0),
  reads: () => aReads().length,
  writes: () => puts().length,
  stored: () => stored()?.aRecords?.map(r => r.ipv4Address),
  run
}

describe('Azure Resource Manager faults through the bundled action', () => {
  test('a burst of 500 and 503 on the record set PUT: retried on the same ETag, applied once', async () => {
    const etag = withOld()
    world.arm.faults.push({ method: 'PUT', times: 1, status: 500 }, { method: 'PUT', times: 2, status: 503 })
    const result = await run()
    assert.equal(result.exitCode, 0, result.stdout)
    assert.deepEqual(
      puts().map(r => [r.status, r.ifMatch]),
      [
        [500, etag],
        [503, etag],
        [503, etag],
        [200, etag]
      ]
    )
    assert.deepEqual(stored()?.aRecords, [{ ipv4Address: IP }])
    assert.deepEqual(stored()?.metadata, { owner: 'identity-team' })
  })

  test('503 that never ends: fails naming the scope after the bounded retries, the old set untouched', async () => {
    withOld()
    world.arm.faults.push({ method: 'PUT', times: 100, status: 503, headers: { 'Retry-After': '0' } })
    const result = await run()
    assert.equal(result.exitCode, 1)
    assert.match(
      errorMessages(result),
      new RegExp(
        `^Azure DNS: could not write ldaps\\.contoso100\\.com A in ${scope}: Azure answered 503 InternalServerError: Injected 503\\. through 5 retries; run again later$`
      )
    )
    assert.equal(puts().length, 6)
    assert.deepEqual(stored()?.aRecords, [{ ipv4Address: OLD }])
  })

  readFaultCases(transport)
  lostWriteAnswerCases(transport, () => {
    // The repeat carried the old ETag, so ARM refused it (412) instead of applying anything twice.
    assert.deepEqual(puts().map(r => [r.status, r.ifMatch]), [[200, etag], [412, etag]]) // prettier-ignore
    assert.deepEqual(stored()?.metadata, { owner: 'identity-team' })
  })

  test('ARM that never answers in time: fails naming the scope and the timeout, nothing written', async () => {
    withOld()
    world.arm.networkFaults.push({ kind: 'stall', method: 'GET', stallMs: 30_000, times: 100 })
    const result = await run({ LDAPS_DNS_ACTION_REQUEST_TIMEOUT_MS: '300' })
    assert.equal(result.exitCode, 1)
    assert.match(
      errorMessages(result),
      new RegExp(
        `^Azure DNS: could not read ldaps\\.contoso100\\.com (A|CNAME) in ${scope}: .*no complete answer within 0\\.3 s`
      )
    )
    assert.equal(aReads().length, 6)
    assert.equal(puts().length, 0)
    assert.deepEqual(stored()?.aRecords, [{ ipv4Address: OLD }])
  })
})
