// Reads a Microsoft Entra Domain Services managed domain (@azure/arm-domainservices, api-version
// 2021-05-01) and the network security groups on its replica sets' subnets (@azure/arm-network,
// 2026-01-01) from Azure Resource Manager. Only GETs: nothing here writes to Microsoft.AAD or
// Microsoft.Network. Signs in as the Azure DNS provider does (same inputs, same credential choice).

import * as github from './github.ts'
import * as identity from '@azure/identity'
import { DomainServicesResourceProvider, type DomainService } from '@azure/arm-domainservices'
import type { NetworkManagementClient, SecurityRule } from '@azure/arm-network'
import {
  AZURE_RETRY,
  createAzureCredential,
  describeSignInError,
  resolveAzureEndpoints,
  type AzureCredentialChoice,
  type AzureDnsOptions
} from './providers/azure-dns.ts'
import {
  matchesManagedDomain,
  parseNsgId,
  parseSubnetId,
  resourceGroupOf,
  type ManagedDomainFacts,
  type ReplicaSetFacts
} from '../core/entra.ts'
import type { NsgRule } from '../core/nsg.ts'
import type { EntraSettings } from '../core/settings.ts'

/** Built-in role that covers every read of this stage. */
export const ENTRA_READ_ROLE = 'Reader'

export class EntraReadError extends Error {
  readonly statusCode: number | undefined
  constructor(message: string, statusCode: number | undefined, options?: ErrorOptions) {
    super(message, options)
    this.name = 'EntraReadError'
    this.statusCode = statusCode
  }
}

/** What the subnet of one replica set says about its NSG. */
export type SubnetNsg =
  | {
      readonly kind: 'nsg'
      readonly nsgId: string
      readonly nsgName: string
      readonly rules: readonly NsgRule[]
      readonly subnetPrefixes: readonly string[]
    }
  | { readonly kind: 'no-nsg'; readonly subnetName: string; readonly subnetPrefixes: readonly string[] }
  /** 403/404 or a malformed id: the verdict is unknown, and `message` says what to grant or fix. */
  | { readonly kind: 'unreadable'; readonly message: string }

export interface EntraReader {
  readManagedDomain(): Promise<ManagedDomainFacts>
  readSubnetNsg(subnetId: string): Promise<SubnetNsg>
  /** ARM requests made (every one a GET). */
  readonly stats: { reads: number; writes: 0 }
}

interface ArmErrorShape {
  readonly statusCode?: number
  readonly code?: string
  readonly message?: string
}

export function createEntraReader(settings: EntraSettings, options: AzureDnsOptions = {}): EntraReader {
  const env = options.env ?? process.env
  const endpoints = resolveAzureEndpoints(settings.azure, env)
  const choice = createAzureCredential(identity, settings.azure, options)
  const retryOptions = {
    maxRetries: AZURE_RETRY.maxRetries,
    retryDelayInMs: AZURE_RETRY.retryDelayInMs,
    maxRetryDelayInMs: AZURE_RETRY.maxRetryDelayInMs
  }
  const userAgentOptions = { userAgentPrefix: 'ldaps-dns-action' }
  const subscriptionId = settings.azure.subscriptionId
  const domains = new DomainServicesResourceProvider(choice.credential, subscriptionId, {
    endpoint: endpoints.resourceManager,
    credentialScopes: [endpoints.scope],
    retryOptions,
    userAgentOptions
  })
  // arm-network is large: its own chunk, loaded while the managed domain is read, and not at
  // all with entra-nsg-check off.
  let networkModule: Promise<typeof import('@azure/arm-network')> | undefined
  const loadNetwork = (): Promise<typeof import('@azure/arm-network')> =>
    (networkModule ??= import('@azure/arm-network'))
  if (settings.nsgCheck !== 'off') void loadNetwork().catch(() => undefined)
  // The subnet may live in another subscription than the managed domain: one client each.
  const networks = new Map<string, NetworkManagementClient>()
  const network = async (sub: string): Promise<NetworkManagementClient> => {
    const { NetworkManagementClient } = await loadNetwork()
    let client = networks.get(sub.toLowerCase())
    if (client === undefined) {
      client = new NetworkManagementClient(choice.credential, sub, {
        endpoint: endpoints.resourceManager,
        // arm-network 39 asks for https://management.azure.com/.default whatever the endpoint.
        credentials: { scopes: [endpoints.scope] },
        retryOptions,
        userAgentOptions
      })
      networks.set(sub.toLowerCase(), client)
    }
    return client
  }
  github.info(
    `Entra Domain Services: ${endpoints.resourceManager}, subscription ${subscriptionId}, signing in with ${choice.description}.`
  )
  const stats = { reads: 0, writes: 0 as const }
  const budget = (): { abortSignal: AbortSignal } => ({
    abortSignal: AbortSignal.timeout(AZURE_RETRY.operationBudgetMs)
  })
  const describe = (error: unknown, what: string, scope: string, fix404: string): EntraReadError =>
    describeArmError(error, { what, scope, fix404, choice, endpoint: endpoints.resourceManager })

  return {
    stats,
    async readManagedDomain() {
      const wanted = settings.domainName
      const rg = settings.resourceGroup
      const where = `subscription ${subscriptionId}${rg ? `, resource group ${rg}` : ''}`
      if (rg !== undefined) {
        stats.reads++
        try {
          return toFacts(await domains.domainServices.get(rg, wanted, budget()), subscriptionId)
        } catch (error) {
          const e = error as ArmErrorShape
          // A resource name other than the domain name is allowed: fall back to the listing.
          if (!(e.statusCode === 404 && e.code === 'ResourceNotFound')) {
            throw describe(
              error,
              `read managed domain ${wanted}`,
              where,
              'check entra-resource-group and entra-subscription-id (leave entra-resource-group empty to find the managed domain by listing)'
            )
          }
        }
      }
      const found: DomainService[] = []
      const pages = rg === undefined ? domains.domainServices.list() : domains.domainServices.listByResourceGroup(rg)
      try {
        for await (const page of pages.byPage()) {
          stats.reads++
          found.push(...page)
        }
      } catch (error) {
        throw describe(error, 'list managed domains', where, 'check entra-subscription-id and entra-resource-group')
      }
      const facts = found.map(d => toFacts(d, subscriptionId))
      const match = facts.filter(d => matchesManagedDomain(d, wanted))
      if (match.length === 0) {
        throw new EntraReadError(
          `Entra Domain Services: no managed domain named ${wanted} in ${where} (the identity sees ${
            facts.length === 0 ? 'none' : facts.map(d => `${d.name} (${d.domainName})`).join(', ')
          }); fix entra-domain-name or entra-subscription-id, or give the identity the ${ENTRA_READ_ROLE} role on the managed domain`,
          404
        )
      }
      return match[0]!
    },

    async readSubnetNsg(subnetId) {
      const subnetRef = parseSubnetId(subnetId)
      if (subnetRef === undefined) {
        return {
          kind: 'unreadable',
          message: `the replica set's subnetId ${JSON.stringify(subnetId)} is not a subnet id`
        }
      }
      const client = await network(subnetRef.subscriptionId)
      let nsgId: string | undefined
      let subnetPrefixes: string[]
      stats.reads++
      try {
        const subnet = await client.subnets.get(
          subnetRef.resourceGroup,
          subnetRef.virtualNetwork,
          subnetRef.subnet,
          budget()
        )
        nsgId = subnet.networkSecurityGroup?.id
        subnetPrefixes = [subnet.addressPrefix, ...(subnet.addressPrefixes ?? [])].filter(
          (p): p is string => typeof p === 'string' && p !== ''
        )
      } catch (error) {
        return unreadable(
          describe(
            error,
            `read subnet ${subnetRef.virtualNetwork}/${subnetRef.subnet}`,
            `resource group ${subnetRef.resourceGroup} of subscription ${subnetRef.subscriptionId}`,
            'the replica set points at a subnet that no longer exists'
          ),
          'Microsoft.Network/virtualNetworks/subnets/read',
          `/subscriptions/${subnetRef.subscriptionId}/resourceGroups/${subnetRef.resourceGroup}`
        )
      }
      if (nsgId === undefined || nsgId === '') {
        return { kind: 'no-nsg', subnetName: `${subnetRef.virtualNetwork}/${subnetRef.subnet}`, subnetPrefixes }
      }
      const nsgRef = parseNsgId(nsgId)
      if (nsgRef === undefined) {
        return {
          kind: 'unreadable',
          message: `the subnet's networkSecurityGroup.id ${JSON.stringify(nsgId)} is not an NSG id`
        }
      }
      stats.reads++
      try {
        const nsg = await (
          await network(nsgRef.subscriptionId)
        ).networkSecurityGroups.get(nsgRef.resourceGroup, nsgRef.name, budget())
        const rules = [
          ...(nsg.securityRules ?? []).map(r => toRule(r, false)),
          ...(nsg.defaultSecurityRules ?? []).map(r => toRule(r, true))
        ].filter((r): r is NsgRule => r !== undefined)
        return { kind: 'nsg', nsgId, nsgName: nsg.name ?? nsgRef.name, rules, subnetPrefixes }
      } catch (error) {
        return unreadable(
          describe(
            error,
            `read network security group ${nsgRef.name}`,
            `resource group ${nsgRef.resourceGroup} of subscription ${nsgRef.subscriptionId}`,
            'the subnet refers to an NSG that no longer exists'
          ),
          'Microsoft.Network/networkSecurityGroups/read',
          `/subscriptions/${nsgRef.subscriptionId}/resourceGroups/${nsgRef.resourceGroup}`
        )
      }
    }
  }
}

/** 403 and 404 make the verdict unknown (a warning); anything else is a failure of the stage. */
function unreadable(error: EntraReadError, action: string, scope: string): SubnetNsg {
  if (error.statusCode === 403) {
    return {
      kind: 'unreadable',
      message: `${error.message.replace(/; give the identity.*$/, '')}; give the identity ${ENTRA_READ_ROLE} (${action}) on ${scope}`
    }
  }
  if (error.statusCode === 404) return { kind: 'unreadable', message: error.message }
  throw error
}

function toFacts(d: DomainService, subscriptionId: string): ManagedDomainFacts {
  const replicaSets: ReplicaSetFacts[] = (d.replicaSets ?? []).map(r => ({
    location: r.location ?? '?',
    subnetId: r.subnetId,
    externalAccessIpAddress: r.externalAccessIpAddress === '' ? undefined : r.externalAccessIpAddress,
    domainControllerIpAddress: r.domainControllerIpAddress ?? [],
    serviceStatus: r.serviceStatus,
    healthAlerts: (r.healthAlerts ?? []).map(a => ({
      id: a.id ?? '?',
      name: a.name ?? '?',
      issue: a.issue,
      resolutionUri: a.resolutionUri
    }))
  }))
  const notAfter = d.ldapsSettings?.certificateNotAfter
  return {
    id: d.id ?? '',
    name: d.name ?? '',
    subscriptionId,
    resourceGroup: resourceGroupOf(d.id) ?? '',
    domainName: d.domainName ?? d.name ?? '',
    ldaps: d.ldapsSettings?.ldaps,
    externalAccess: d.ldapsSettings?.externalAccess,
    certificateThumbprint: d.ldapsSettings?.certificateThumbprint,
    certificateNotAfter:
      notAfter === undefined ? undefined : notAfter instanceof Date ? notAfter : new Date(String(notAfter)),
    tlsV1: d.domainSecuritySettings?.tlsV1,
    replicaSets
  }
}

function toRule(r: SecurityRule, isDefault: boolean): NsgRule | undefined {
  if (r.priority === undefined || r.direction === undefined || r.access === undefined) return undefined
  return {
    name: r.name ?? '?',
    priority: r.priority,
    direction: r.direction,
    access: r.access,
    protocol: r.protocol ?? '*',
    sourceAddressPrefix: r.sourceAddressPrefix,
    sourceAddressPrefixes: r.sourceAddressPrefixes,
    sourceApplicationSecurityGroups: r.sourceApplicationSecurityGroups,
    destinationAddressPrefix: r.destinationAddressPrefix,
    destinationAddressPrefixes: r.destinationAddressPrefixes,
    destinationApplicationSecurityGroups: r.destinationApplicationSecurityGroups,
    destinationPortRange: r.destinationPortRange,
    destinationPortRanges: r.destinationPortRanges,
    isDefault
  }
}

const SIGN_IN_ERRORS = new Set([
  'AuthenticationError',
  'AuthenticationRequiredError',
  'CredentialUnavailableError',
  'AggregateAuthenticationError'
])

function describeArmError(
  error: unknown,
  op: { what: string; scope: string; fix404: string; choice: AzureCredentialChoice; endpoint: string }
): EntraReadError {
  const e = error as ArmErrorShape
  const prefix = `Entra Domain Services: could not ${op.what} in ${op.scope}`
  const said = `${e.statusCode ?? 'no status'} ${e.code ?? ''}: ${(e.message ?? String(error)).trim()}`.replace(
    /\s+/g,
    ' '
  )
  const status = e.statusCode
  const name = error instanceof Error ? error.name : ''
  // The same sign-in as the DNS provider's, explained the same way, under this stage's name.
  const signIn = describeSignInError(error, op.choice, 'Entra Domain Services')
  if (signIn !== undefined) {
    return new EntraReadError(`${signIn} (while trying to ${op.what} in ${op.scope})`, undefined, { cause: error })
  }
  if (
    SIGN_IN_ERRORS.has(name) ||
    (status === undefined && error instanceof Error && !['RestError', 'AbortError'].includes(name))
  ) {
    // Sign-in failed before any request (wrong secret, no OIDC token, nothing in the default chain).
    return new EntraReadError(
      `${prefix}: signing in with ${op.choice.description} failed (${(error as Error).message.split('\n')[0]}); check the azure-* sign-in inputs`,
      undefined,
      { cause: error }
    )
  }
  switch (status) {
    case 401:
      return new EntraReadError(
        `${prefix}: Azure Resource Manager (${op.endpoint}) rejected the sign-in (${said}); the token must come from the subscription's tenant for the audience ${op.endpoint} (check azure-tenant-id and azure-environment)`,
        status,
        { cause: error }
      )
    case 403:
      return new EntraReadError(
        `${prefix}: the identity lacks permission (${said}); give the identity the ${ENTRA_READ_ROLE} role there`,
        status,
        { cause: error }
      )
    case 404:
      return new EntraReadError(
        `${prefix}: ${e.code === 'SubscriptionNotFound' ? 'the subscription does not exist in this cloud or the identity cannot see it' : e.code === 'ResourceGroupNotFound' ? 'the resource group does not exist' : 'not found'} (${said}); ${op.fix404}`,
        status,
        { cause: error }
      )
    case 429:
      return new EntraReadError(
        `${prefix}: Azure Resource Manager kept throttling the requests (429) through ${AZURE_RETRY.maxRetries} retries (${said}); run again later`,
        status,
        { cause: error }
      )
  }
  if (status === undefined) {
    return new EntraReadError(
      `${prefix}: Azure Resource Manager at ${op.endpoint} could not be reached or did not answer (${error instanceof Error ? error.message : String(error)}); check azure-resource-manager-endpoint, azure-environment and the runner's network`,
      undefined,
      { cause: error }
    )
  }
  return new EntraReadError(`${prefix}: ${said}`, status, { cause: error })
}
