// Reads a Microsoft Entra Domain Services managed domain (@azure/arm-domainservices, api-version
// 2021-05-01) and the network security groups on its replica sets' subnets (@azure/arm-network,
// 2026-01-01) from Azure Resource Manager. Only GETs: nothing here writes to Microsoft.AAD or
// Microsoft.Network. Sign-in, endpoints, time bounds and ARM's error wording come from
// adapters/azure/ (as for Azure DNS), with messages named "Entra Domain Services"; every field of
// an answer is type-checked before use (adapters/azure/fields.ts).

import * as github from './github.ts'
import * as identity from '@azure/identity'
import { DomainServicesResourceProvider, type DomainService } from '@azure/arm-domainservices'
import type { NetworkManagementClient, SecurityRule } from '@azure/arm-network'
import { ArmError, ArmSession, type ArmOperation, type ArmSessionOptions } from './azure/arm.ts'
import { ArmFields } from './azure/fields.ts'
import { parseRequestTimeout } from './providers/index.ts'
import {
  matchesManagedDomain,
  parseNsgId,
  parseSubnetId,
  resourceGroupOf,
  type HealthAlert,
  type ManagedDomainFacts,
  type ReplicaSetFacts
} from '../core/entra.ts'
import type { NsgRule } from '../core/nsg.ts'
import type { EntraSettings } from '../core/settings.ts'

/** Built-in role that covers every read of this stage. */
export const ENTRA_READ_ROLE = 'Reader'

/** The component name every message of this stage's ARM calls starts with. */
export const ENTRA_COMPONENT = 'Entra Domain Services'

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
}

/**
 * The managed domain's ARM client with the stage's sign-in, bounds and error wording: what the
 * reader uses, and what a writer of the managed domain (a certificate upload through
 * `domainServices.beginUpdate`) uses the same way. A long-running operation gets its own abort
 * signal rather than `session.run`'s per-operation budget.
 */
export function openManagedDomainClient(
  settings: EntraSettings,
  options: ArmSessionOptions = {}
): { readonly session: ArmSession; readonly domains: DomainServicesResourceProvider } {
  const env = options.env ?? process.env
  const session = new ArmSession(identity, settings.azure, ENTRA_COMPONENT, {
    ...options,
    requestTimeoutMs: options.requestTimeoutMs ?? parseRequestTimeout(env)
  })
  const domains = new DomainServicesResourceProvider(
    session.credential.credential,
    settings.azure.subscriptionId,
    session.clientOptions()
  )
  return { session, domains }
}

export function createEntraReader(settings: EntraSettings, options: ArmSessionOptions = {}): EntraReader {
  const { session, domains } = openManagedDomainClient(settings, options)
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
      client = new NetworkManagementClient(session.credential.credential, sub, session.clientOptions())
      networks.set(sub.toLowerCase(), client)
    }
    return client
  }
  const subscriptionId = settings.azure.subscriptionId
  github.info(session.describeSignIn())
  const stats = { reads: 0, writes: 0 as const }
  const describe = (error: unknown, verb: string, scope: string, fix404: string): ArmError =>
    session.describe(error, readOperation(verb, scope, fix404))

  return {
    stats,
    async readManagedDomain() {
      const wanted = settings.domainName
      const rg = settings.resourceGroup
      const where = `subscription ${subscriptionId}${rg ? `, resource group ${rg}` : ''}`
      if (rg !== undefined) {
        stats.reads++
        const domain = await session
          .run(abortSignal => domains.domainServices.get(rg, wanted, { abortSignal }))
          .catch((error: unknown) => {
            const e = error as ArmErrorShape
            // A resource name other than the domain name is allowed: fall back to the listing.
            if (e.statusCode === 404 && e.code === 'ResourceNotFound') return undefined
            throw describe(
              error,
              `read managed domain ${wanted}`,
              where,
              'check entra-resource-group and entra-subscription-id (leave entra-resource-group empty to find the managed domain by listing)'
            )
          })
        if (domain !== undefined) return toFacts(domain, subscriptionId)
      }
      const found: DomainService[] = []
      try {
        await session.run(async abortSignal => {
          const pages =
            rg === undefined
              ? domains.domainServices.list({ abortSignal })
              : domains.domainServices.listByResourceGroup(rg, { abortSignal })
          for await (const page of pages.byPage()) {
            stats.reads++
            found.push(...page)
          }
        })
      } catch (error) {
        throw describe(error, 'list managed domains', where, 'check entra-subscription-id and entra-resource-group')
      }
      const facts = found.map(d => toFacts(d, subscriptionId))
      const match = facts.filter(d => matchesManagedDomain(d, wanted))
      if (match.length === 0) {
        throw new ArmError(
          `Entra Domain Services: no managed domain named ${wanted} in ${where} (the identity sees ${
            facts.length === 0 ? 'none' : facts.map(d => `${d.name} (${d.domainName})`).join(', ')
          }); fix entra-domain-name or entra-subscription-id, or give the identity the ${ENTRA_READ_ROLE} role on the managed domain`,
          404,
          false
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
        const subnet = await session.run(abortSignal =>
          client.subnets.get(subnetRef.resourceGroup, subnetRef.virtualNetwork, subnetRef.subnet, { abortSignal })
        )
        const fields = new ArmFields()
        nsgId = fields.string(
          fields.object(subnet.networkSecurityGroup, 'networkSecurityGroup')?.['id'],
          'networkSecurityGroup.id'
        )
        subnetPrefixes = [
          fields.string(subnet.addressPrefix, 'addressPrefix'),
          ...(fields.strings(subnet.addressPrefixes, 'addressPrefixes') ?? [])
        ].filter((p): p is string => p !== undefined && p !== '')
        if (fields.problems.length > 0) {
          return {
            kind: 'unreadable',
            message: malformed(`subnet ${subnetRef.virtualNetwork}/${subnetRef.subnet}`, fields.problems)
          }
        }
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
        const client = await network(nsgRef.subscriptionId)
        const nsg = await session.run(abortSignal =>
          client.networkSecurityGroups.get(nsgRef.resourceGroup, nsgRef.name, { abortSignal })
        )
        const fields = new ArmFields()
        const rules = [
          ...fields
            .array(nsg.securityRules, 'securityRules')
            .map((r, i) => toRule(r, false, fields, `securityRules[${i}]`)),
          ...fields
            .array(nsg.defaultSecurityRules, 'defaultSecurityRules')
            .map((r, i) => toRule(r, true, fields, `defaultSecurityRules[${i}]`))
        ].filter((r): r is NsgRule => r !== undefined)
        const nsgName = fields.string(nsg.name, 'name') ?? nsgRef.name
        if (fields.problems.length > 0) {
          return { kind: 'unreadable', message: malformed(`network security group ${nsgRef.name}`, fields.problems) }
        }
        return { kind: 'nsg', nsgId, nsgName, rules, subnetPrefixes }
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
function unreadable(error: ArmError, action: string, scope: string): SubnetNsg {
  if (error.statusCode === 403) {
    return {
      kind: 'unreadable',
      message: `${error.message.replace(/; give the identity.*$/, '')}; give the identity ${ENTRA_READ_ROLE} (${action}) on ${scope}`
    }
  }
  if (error.statusCode === 404) return { kind: 'unreadable', message: error.message }
  throw error
}

/** The 403 and 404 wording of this stage's reads. */
function readOperation(verb: string, scope: string, fix404: string): ArmOperation {
  return {
    verb,
    scope,
    forbidden: `give the identity the ${ENTRA_READ_ROLE} role there`,
    notFound: code =>
      `${code === 'SubscriptionNotFound' ? 'the subscription does not exist in this cloud or the identity cannot see it' : code === 'ResourceGroupNotFound' ? 'the resource group does not exist' : 'not found'}; ${fix404}`
  }
}

/** A resource whose fields are not as the API documents them: which fields, and that nothing was judged on them. */
function malformed(what: string, problems: readonly string[]): string {
  return `${ENTRA_COMPONENT}: Azure Resource Manager returned ${what} with malformed fields: ${problems.join('; ')}; it is not judged on them (report this with the managed domain's JSON view)`
}

/**
 * The managed domain as plain facts, every field's type checked: a malformed field is an error
 * naming it, never a JavaScript error later in the stage.
 */
function toFacts(d: DomainService, subscriptionId: string): ManagedDomainFacts {
  const f = new ArmFields()
  const id = f.string(d.id, 'id') ?? ''
  const name = f.string(d.name, 'name') ?? ''
  const ldapsSettings = f.object(d.ldapsSettings, 'ldapsSettings') ?? {}
  const security = f.object(d.domainSecuritySettings, 'domainSecuritySettings') ?? {}
  const replicaSets: ReplicaSetFacts[] = f.array(d.replicaSets, 'replicaSets').map((raw, i) => {
    const at = `replicaSets[${i}]`
    const r = f.object(raw, at) ?? {}
    const ip = f.string(r['externalAccessIpAddress'], `${at}.externalAccessIpAddress`)
    const healthAlerts: HealthAlert[] = f.array(r['healthAlerts'], `${at}.healthAlerts`).map((rawAlert, j) => {
      const a = f.object(rawAlert, `${at}.healthAlerts[${j}]`) ?? {}
      const path = `${at}.healthAlerts[${j}]`
      return {
        id: f.string(a['id'], `${path}.id`) ?? '?',
        name: f.string(a['name'], `${path}.name`) ?? '?',
        issue: f.string(a['issue'], `${path}.issue`),
        resolutionUri: f.string(a['resolutionUri'], `${path}.resolutionUri`)
      }
    })
    return {
      location: f.string(r['location'], `${at}.location`) ?? '?',
      subnetId: f.string(r['subnetId'], `${at}.subnetId`),
      externalAccessIpAddress: ip === '' ? undefined : ip,
      domainControllerIpAddress: f.strings(r['domainControllerIpAddress'], `${at}.domainControllerIpAddress`) ?? [],
      serviceStatus: f.string(r['serviceStatus'], `${at}.serviceStatus`),
      healthAlerts
    }
  })
  const facts: ManagedDomainFacts = {
    id,
    name,
    subscriptionId,
    resourceGroup: resourceGroupOf(id) ?? '',
    domainName: f.string(d.domainName, 'domainName') ?? name,
    ldaps: f.string(ldapsSettings['ldaps'], 'ldapsSettings.ldaps'),
    externalAccess: f.string(ldapsSettings['externalAccess'], 'ldapsSettings.externalAccess'),
    certificateThumbprint: f.string(ldapsSettings['certificateThumbprint'], 'ldapsSettings.certificateThumbprint'),
    certificateNotAfter: f.date(ldapsSettings['certificateNotAfter'], 'ldapsSettings.certificateNotAfter'),
    tlsV1: f.string(security['tlsV1'], 'domainSecuritySettings.tlsV1'),
    replicaSets
  }
  if (f.problems.length > 0) {
    throw new ArmError(malformed(`managed domain ${name || id || '?'}`, f.problems), undefined, false)
  }
  return facts
}

/** One security rule, or undefined (with the problem recorded) when a field it is judged on is malformed. */
function toRule(raw: unknown, isDefault: boolean, f: ArmFields, at: string): NsgRule | undefined {
  const r = (f.object(raw, at) ?? {}) as SecurityRule & Record<string, unknown>
  const before = f.problems.length
  const rule = {
    name: f.string(r.name, `${at}.name`) ?? '?',
    priority: f.number(r.priority, `${at}.priority`),
    direction: f.string(r.direction, `${at}.direction`),
    access: f.string(r.access, `${at}.access`),
    protocol: f.string(r.protocol, `${at}.protocol`) ?? '*',
    sourceAddressPrefix: f.string(r.sourceAddressPrefix, `${at}.sourceAddressPrefix`),
    sourceAddressPrefixes: f.strings(r.sourceAddressPrefixes, `${at}.sourceAddressPrefixes`),
    sourceApplicationSecurityGroups: f.array(
      r.sourceApplicationSecurityGroups,
      `${at}.sourceApplicationSecurityGroups`
    ),
    destinationAddressPrefix: f.string(r.destinationAddressPrefix, `${at}.destinationAddressPrefix`),
    destinationAddressPrefixes: f.strings(r.destinationAddressPrefixes, `${at}.destinationAddressPrefixes`),
    destinationApplicationSecurityGroups: f.array(
      r.destinationApplicationSecurityGroups,
      `${at}.destinationApplicationSecurityGroups`
    ),
    destinationPortRange: f.string(r.destinationPortRange, `${at}.destinationPortRange`),
    destinationPortRanges: f.strings(r.destinationPortRanges, `${at}.destinationPortRanges`),
    isDefault
  }
  if (f.problems.length > before) return undefined
  if (rule.priority === undefined || rule.direction === undefined || rule.access === undefined) return undefined
  return { ...rule, priority: rule.priority, direction: rule.direction, access: rule.access }
}
