// Azure Resource Manager calls in one place (src/adapters/azure/): each component's sign-in
// failures, throttling, timeouts, overall budget and malformed answers, through the real
// @azure/arm-domainservices, @azure/arm-network, @azure/arm-dns and @azure/identity clients against
// the local ARM and Microsoft Entra stand-ins on 127.0.40.1-3 (nothing mocked in the process).

import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { AZURE_RETRY, ArmError } from '../../src/adapters/azure/arm.ts'
import { createEntraReader } from '../../src/adapters/entra-ds.ts'
import { createAzureDnsProvider } from '../../src/adapters/providers/azure-dns.ts'
import type { AzureSettings, EntraSettings, Settings } from '../../src/core/settings.ts'
import { startEntraStage } from '../../src/steps/entra.ts'
import { useAzureWorld } from '../helpers/stand-ins.ts'
import { OIDC_CLIENT, SUBSCRIPTION, type AzureWorld } from '../helpers/azure-world.ts'
import {
  createEntraDsArm,
  entraStageSettings,
  managedDomainFixture,
  nsgIdOf,
  subnetIdOf,
  type ManagedDomainFixture
} from '../helpers/entra-ds-arm.ts'

const AADDS_RG = 'rg-aadds'
const NET_RG = 'rg-aadds-network'
const SUBNET = subnetIdOf(SUBSCRIPTION, NET_RG, 'aadds-vnet', 'aadds-subnet')
const NSG = nsgIdOf(SUBSCRIPTION, NET_RG, 'aadds-nsg')

const entraArm = createEntraDsArm()
let world: AzureWorld
useAzureWorld(
  w => {
    world = w
    entraArm.url = w.arm.url
  },
  {
    hosts: { arm: '127.0.40.1', entra: '127.0.40.2', github: '127.0.40.3' },
    extensions: [entraArm.extension],
    inProcess: true,
    fresh() {
      entraArm.reset()
      entraArm.addManagedDomain(domain())
      entraArm.addSubnet(SUBNET, '10.0.0.0/24', NSG)
      entraArm.addNsg(NSG, [
        { name: 'AllowLDAPS', priority: 401, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourceAddressPrefix: '198.51.100.0/24', destinationPortRange: '636' }
      ]) // prettier-ignore
    }
  }
)

const domain = (over: Partial<ManagedDomainFixture> = {}) => managedDomainFixture(SUBNET, over)
/** The action's settings for the Entra stage (provider none, the managed domain's resource group given). */
const settingsFor = (over: Record<string, string> = {}): Settings =>
  entraStageSettings(world.arm.url, { 'entra-resource-group': AADDS_RG, ...over })

/** Rejects with an error whose message (not its class name) matches. */
async function rejectsWith(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: Error) => {
    assert.match(error.message, pattern)
    return true
  })
}

const entra = (over: Record<string, string> = {}): EntraSettings => settingsFor(over).entra!
const signIn = { env: () => ({ AZURE_AUTHORITY_HOST: world.entra.url }) }
const aadRequests = () => world.arm.requests.filter(r => r.path.includes('Microsoft.AAD'))

describe('sign-in failures name the component that signed in', () => {
  const OIDC = { 'azure-client-id': OIDC_CLIENT, 'azure-client-secret': '' }

  test('the Entra stage without an ID token: "Entra Domain Services", never "Azure DNS"', async () => {
    const reader = createEntraReader(entra(OIDC), {
      env: signIn.env(),
      getIdToken: async () => {
        throw new Error('Failed to get ID Token. Error Code : 403 Error Message: Forbidden')
      }
    })
    await assert.rejects(reader.readManagedDomain(), (error: Error) => {
      assert.ok(error instanceof ArmError, String(error))
      assert.match(
        error.message,
        /^Entra Domain Services: the runner gave no OIDC ID token \(Failed to get ID Token.*id-token: write.*while trying to read managed domain aaddscontoso\.com/
      )
      assert.doesNotMatch(error.message, /Azure DNS/)
      return true
    })
    assert.equal(aadRequests().length, 0, 'no ARM request without a token')
  })

  test('the Entra stage with a wrong client secret: the AADSTS reason and the fix, named for the stage', async () => {
    const reader = createEntraReader(entra({ 'azure-client-secret': 'not-the-secret' }), { env: signIn.env() })
    await assert.rejects(reader.readManagedDomain(), (error: Error) => {
      assert.match(
        error.message,
        /^Entra Domain Services: signing in with client secret of application .* failed \(AADSTS7000215: .*azure-client-secret is wrong or expired/
      )
      assert.doesNotMatch(error.message, /Azure DNS|not-the-secret/)
      return true
    })
  })

  test('Azure DNS keeps its own name for the same failure', async () => {
    const s = settingsFor({ provider: 'azure', ...OIDC }).provider as AzureSettings
    const p = await createAzureDnsProvider(s, {
      env: signIn.env(),
      getIdToken: async () => {
        throw new Error('Failed to get ID Token. Error Code : 403 Error Message: Forbidden')
      }
    })
    await rejectsWith(p.findZone('ldaps.contoso100.com', undefined), /^Azure DNS: the runner gave no OIDC ID token/)
  })
})

describe('throttling, timeouts and the overall budget', () => {
  test('429 asking to wait longer than the cap: not waited for, one request, the message says throttled', async () => {
    world.arm.faults.push({ pathIncludes: 'Microsoft.AAD', times: 10, status: 429, headers: { 'Retry-After': '3600' } })
    const started = Date.now()
    const reader = createEntraReader(entra(), { env: signIn.env() })
    await assert.rejects(reader.readManagedDomain(), (error: Error) => {
      assert.ok(error instanceof ArmError && error.throttled, String(error))
      assert.match(
        error.message,
        new RegExp(
          `^Entra Domain Services: could not read managed domain aaddscontoso\\.com in subscription ${SUBSCRIPTION}, resource group rg-aadds: throttled: Azure Resource Manager answered 429 and asked to wait 3600 s, longer than the ${AZURE_RETRY.maxRetryAfterMs / 1000} s this action waits; run again later$`
        )
      )
      return true
    })
    assert.equal(aadRequests().length, 1)
    assert.ok(Date.now() - started < AZURE_RETRY.maxRetryAfterMs, 'the long wait was not waited')
  })

  test('the same cap for Azure DNS, as an HTTP date', async () => {
    world.arm.addZone(SUBSCRIPTION, 'rg-dns', 'contoso100.com')
    const later = new Date(Date.now() + 600_000).toUTCString()
    world.arm.faults.push({ pathIncludes: '/dnszones', times: 10, status: 429, headers: { 'Retry-After': later } })
    const s = settingsFor({ provider: 'azure', 'azure-resource-group': 'rg-dns' }).provider as AzureSettings
    const p = await createAzureDnsProvider(s, { env: signIn.env() })
    await rejectsWith(
      p.findZone('ldaps.contoso100.com', undefined),
      /^Azure DNS: could not list DNS zones in subscription .*, resource group rg-dns: throttled: .*asked to wait (59\d|600) s/
    )
  })

  test('429 that never ends within the cap: retried a bounded number of times, then "throttled"', async () => {
    world.arm.faults.push({ pathIncludes: 'Microsoft.AAD', times: 100, status: 429, headers: { 'Retry-After': '0' } })
    const reader = createEntraReader(entra(), { env: signIn.env() })
    await rejectsWith(
      reader.readManagedDomain(),
      /^Entra Domain Services: could not read managed domain .*: throttled: Azure Resource Manager kept throttling the requests \(429\) through 5 retries/
    )
    assert.equal(aadRequests().length, AZURE_RETRY.maxRetries + 1)
  })

  test('a stalled answer: each request timed out and retried, then a message naming the stage and the timeout', async () => {
    world.arm.networkFaults.push({ kind: 'stall', pathIncludes: 'Microsoft.AAD', stallMs: 30_000, times: 100 })
    const reader = createEntraReader(entra(), { env: signIn.env(), requestTimeoutMs: 300 })
    await rejectsWith(
      reader.readManagedDomain(),
      /^Entra Domain Services: could not read managed domain aaddscontoso\.com .*no complete answer within 0\.3 s/
    )
    assert.equal(aadRequests().length, AZURE_RETRY.maxRetries + 1)
  })

  test('the overall budget: calls stop when their time in flight is spent, and later calls do not start', async () => {
    world.arm.networkFaults.push({ kind: 'stall', pathIncludes: 'Microsoft.Network', stallMs: 30_000, times: 100 })
    const reader = createEntraReader(entra(), { env: signIn.env(), requestTimeoutMs: 400, totalBudgetMs: 1_000 })
    const facts = await reader.readManagedDomain()
    await rejectsWith(
      reader.readSubnetNsg(facts.replicaSets[0]!.subnetId!),
      /^Entra Domain Services: could not read subnet aadds-vnet\/aadds-subnet in .*: stopped after 1 s of Azure Resource Manager calls in this run \(the overall budget\); run again later$/
    )
    const before = world.arm.requests.length
    await rejectsWith(reader.readManagedDomain(), /stopped after 1 s .*overall budget/)
    assert.equal(world.arm.requests.length, before, 'no request once the budget is spent')
  })
})

describe('malformed fields in ARM answers are named, never a bare JavaScript error', () => {
  test('the managed domain: a non-date certificateNotAfter, a number for a string, an object thumbprint', async () => {
    entraArm.reset()
    entraArm.addManagedDomain(
      domain({
        certificateNotAfter: 'next spring',
        ldaps: 1 as never,
        certificateThumbprint: { sha1: 'abc' } as never
      })
    )
    const reader = createEntraReader(entra(), { env: signIn.env() })
    await assert.rejects(reader.readManagedDomain(), (error: Error) => {
      assert.ok(error instanceof ArmError, String(error))
      assert.match(
        error.message,
        /^Entra Domain Services: Azure Resource Manager returned managed domain aaddscontoso\.com with malformed fields: /
      )
      assert.match(error.message, /ldapsSettings\.ldaps is a number \(1\), not a string/)
      assert.match(
        error.message,
        /ldapsSettings\.certificateThumbprint is an object \(\{"sha1":"abc"\}\), not a string/
      )
      assert.match(error.message, /ldapsSettings\.certificateNotAfter is not a date/)
      return true
    })
  })

  test('through the stage: the same message, the stage fails cleanly', async () => {
    entraArm.reset()
    entraArm.addManagedDomain(
      domain({ replicaSets: [{ location: 'West US', subnetId: SUBNET, externalAccessIpAddress: 42 as never }] })
    )
    await rejectsWith(
      startEntraStage(settingsFor(), { env: signIn.env() }),
      /^Entra Domain Services: .*malformed fields: replicaSets\[0\]\.externalAccessIpAddress is a number \(42\), not a string/
    )
  })

  test('an NSG rule with a malformed field: the verdict unknown, the warning names the rule field', async () => {
    entraArm.addNsg(NSG, [
      { name: 'AllowLDAPS', priority: 'high' as never, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourceAddressPrefix: '*', destinationPortRange: '636' }
    ]) // prettier-ignore
    const reader = createEntraReader(entra(), { env: signIn.env() })
    const nsg = await reader.readSubnetNsg(SUBNET)
    assert.equal(nsg.kind, 'unreadable')
    assert.match(
      (nsg as { message: string }).message,
      /^Entra Domain Services: Azure Resource Manager returned network security group aadds-nsg with malformed fields: securityRules\[0\]\.priority is a string \("high"\), not a number/
    )
  })
})
