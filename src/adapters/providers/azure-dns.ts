// Azure DNS through Azure Resource Manager (@azure/arm-dns, api-version 2018-05-01). Every write is
// a PUT of the whole record set made conditional on what was read: `If-None-Match: *` for a new
// set, `If-Match: <etag>` for an existing one, so a concurrent change turns into a 412 that the
// caller answers by reading again, never into a silent overwrite. Sign-in, endpoints, bounds and
// ARM's error wording are shared with the other Azure components (adapters/azure/).
//
// The registry imports this module on every run, so the SDKs are imported only as types here and
// loaded with `await import()` when a client is made: they stay in chunks only Azure runs load.

import * as github from '../github.ts'
import type { DnsManagementClient, RecordSet as ArmRecordSet, Zone } from '@azure/arm-dns'
import type { CurrentRecords, RecordSet } from '../../core/planner.ts'
import { GUID, resourceGroupRule, type EntraSignInInputs, type InputReader } from '../../core/inputs.ts'
import { canonicalAddress, isInZone, parseDomainName } from '../../core/names.ts'
import type { AzureEnvironment, AzureSettings, RecordType } from '../../core/settings.ts'
import { splitTxtValue } from '../../core/txt.ts'
import { ArmSession, AZURE_RETRY } from '../azure/arm.ts'
import type { AzureSignInOptions } from '../azure/credential.ts'
import {
  PreconditionFailedError,
  ProviderError,
  untilNotRaced,
  type DnsProvider,
  type ProviderModule,
  type ProviderStats,
  type RecordWrite,
  type TxtRecords,
  type WriteResult,
  type ZoneRef
} from './provider.ts'

const AZURE_ENVIRONMENTS: readonly AzureEnvironment[] = ['AzureCloud', 'AzureUSGovernment', 'AzureChinaCloud']

export const azureDns: ProviderModule<AzureSettings> = {
  name: 'azure',
  // Microsoft.Network/dnsZones are public zones (private ones are Microsoft.Network/privateDnsZones).
  zonesArePublic: true,
  inputs: [
    {
      name: 'azure-subscription-id',
      required: true,
      secret: false,
      description: 'Azure subscription of the DNS zone (provider azure).'
    },
    {
      name: 'azure-resource-group',
      required: false,
      secret: false,
      description: "Resource group of the Azure DNS zone. Found by listing the subscription's zones when empty."
    },
    {
      name: 'azure-client-id',
      required: false,
      secret: false,
      description:
        'Client (application) id of the app registration, for GitHub OIDC (federated credential) or with azure-client-secret.'
    },
    {
      name: 'azure-tenant-id',
      required: false,
      secret: false,
      description: 'Microsoft Entra tenant id of the app registration.'
    },
    {
      name: 'azure-client-secret',
      required: false,
      secret: true,
      description:
        'Client secret. When empty, OIDC is used if azure-client-id and azure-tenant-id are set (needs permissions id-token write), else the default credential chain (environment, workload identity, managed identity, Azure CLI after azure/login).'
    },
    {
      name: 'azure-environment',
      required: false,
      secret: false,
      default: 'AzureCloud',
      description: 'Azure cloud, one of AzureCloud, AzureUSGovernment, AzureChinaCloud.'
    },
    {
      name: 'azure-resource-manager-endpoint',
      required: false,
      secret: false,
      description: 'Override of the Azure Resource Manager endpoint (Azure Stack Hub, private clouds), an https URL.'
    }
  ],
  parse: r => parseAzureSignIn(r, 'azure-subscription-id'),
  create: async (settings, options) =>
    createAzureDnsProvider(settings, { env: options.env, requestTimeoutMs: options.requestTimeoutMs })
}

/** The Entra Domain Services stage signs in with these inputs, whatever the DNS provider. */
export const azureEntraSignIn: EntraSignInInputs = {
  provider: 'azure',
  subscriptionInput: 'azure-subscription-id',
  inputs: new Set([
    'azure-subscription-id',
    'azure-client-id',
    'azure-tenant-id',
    'azure-client-secret',
    'azure-resource-manager-endpoint'
  ]),
  parse: parseAzureSignIn
}

/**
 * The azure-* inputs: subscription (from `subscriptionInput`, which the Entra stage may point at
 * entra-subscription-id), resource group, sign-in, cloud and endpoint.
 */
// Microsoft Entra's multi-tenant authorities: valid in a sign-in URL for users, not for an
// application signing in as itself.
const MULTI_TENANT_AUTHORITIES = new Set(['common', 'organizations', 'consumers'])

export function parseAzureSignIn(r: InputReader, subscriptionInput: string): AzureSettings {
  const subscriptionId = r.required(
    subscriptionInput,
    'give the subscription GUID of the DNS zone. provider is azure, the default when provider is not set; set provider to rfc2136, cloudflare, route53 or none for another DNS provider'
  )
  if (subscriptionId !== undefined && !GUID.test(subscriptionId)) {
    r.fail(
      subscriptionInput,
      `must be a subscription GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx), got ${r.shown(subscriptionInput, subscriptionId)}`
    )
  }
  const resourceGroup = r.optional('azure-resource-group')
  const resourceGroupProblem = resourceGroup === undefined ? undefined : resourceGroupRule(resourceGroup)
  if (resourceGroupProblem !== undefined) {
    r.fail('azure-resource-group', `${resourceGroupProblem}, got ${r.shown('azure-resource-group', resourceGroup!)}`)
  }
  const clientId = r.optional('azure-client-id')
  if (clientId !== undefined && !GUID.test(clientId)) {
    r.fail('azure-client-id', `must be an application (client) id GUID, got ${r.shown('azure-client-id', clientId)}`)
  }
  const tenantId = r.optional('azure-tenant-id')
  if (tenantId !== undefined && MULTI_TENANT_AUTHORITIES.has(tenantId.toLowerCase())) {
    r.fail(
      'azure-tenant-id',
      `must be the application's own tenant, not ${r.shown('azure-tenant-id', tenantId)}: common, organizations and consumers are multi-tenant sign-in endpoints, which client-secret and OIDC (federated credential) sign-in cannot use; give the Directory (tenant) ID GUID from the app registration's Overview page`
    )
  } else if (tenantId !== undefined && !GUID.test(tenantId) && !parseDomainName(tenantId).ok) {
    r.fail(
      'azure-tenant-id',
      `must be a tenant id GUID or a verified domain name, got ${r.shown('azure-tenant-id', tenantId)}`
    )
  }
  const clientSecret = r.optional('azure-client-secret')
  if (clientSecret !== undefined && (clientId === undefined || tenantId === undefined)) {
    r.fail(
      'azure-client-secret',
      'needs azure-client-id and azure-tenant-id as well: give both, or leave azure-client-secret empty'
    )
  }
  if (clientSecret === undefined && (clientId === undefined) !== (tenantId === undefined)) {
    r.fail(
      clientId === undefined ? 'azure-client-id' : 'azure-tenant-id',
      'is needed with the other for OIDC sign-in: give both azure-client-id and azure-tenant-id, or neither to use the default credential chain'
    )
  }
  const environment = r.choice('azure-environment', AZURE_ENVIRONMENTS)
  const endpoint = r.optional('azure-resource-manager-endpoint')
  let resourceManagerEndpoint: string | undefined
  if (endpoint !== undefined) {
    let url: URL | undefined
    try {
      url = new URL(endpoint)
    } catch {
      url = undefined
    }
    if (
      url === undefined ||
      url.protocol !== 'https:' ||
      url.username !== '' ||
      url.password !== '' ||
      url.search !== '' ||
      url.hash !== ''
    ) {
      r.fail(
        'azure-resource-manager-endpoint',
        `must be an https URL without credentials, query or fragment, got ${r.shown('azure-resource-manager-endpoint', endpoint)}`
      )
    } else {
      resourceManagerEndpoint = url.href.replace(/\/+$/, '')
    }
  }
  return {
    kind: 'azure',
    subscriptionId: subscriptionId?.toLowerCase() ?? '',
    resourceGroup,
    clientId,
    tenantId,
    clientSecret,
    environment: environment ?? 'AzureCloud',
    resourceManagerEndpoint
  }
}

/** The role that lets an identity read and write record sets, assigned on the zone. */
export const DNS_ROLE = 'DNS Zone Contributor'

/** The component name every Azure DNS message starts with. */
const COMPONENT = 'Azure DNS'

export { AZURE_RETRY }
/** How Azure DNS signs in and reaches ARM (the shared options of every Azure component). */
export type AzureDnsOptions = AzureSignInOptions

export async function createAzureDnsProvider(
  settings: AzureSettings,
  options: AzureSignInOptions = {}
): Promise<DnsProvider> {
  const [{ DnsManagementClient }, identity] = await Promise.all([import('@azure/arm-dns'), import('@azure/identity')])
  const session = new ArmSession(identity, settings, COMPONENT, options)
  const client = new DnsManagementClient(
    session.credential.credential,
    settings.subscriptionId,
    session.clientOptions()
  )
  github.info(session.describeSignIn())
  return new AzureDnsProvider(client, settings, session)
}

interface ArmErrorShape {
  readonly statusCode?: number
  readonly code?: string
  readonly message?: string
}

/** What the provider was doing when ARM answered with an error, for the message. */
interface Operation {
  readonly verb: string
  readonly resourceGroup?: string | undefined
  readonly zone?: string | undefined
}

class AzureDnsProvider implements DnsProvider {
  readonly displayName = 'Azure DNS'
  readonly stats: ProviderStats = { reads: 0, writes: 0 }
  private readonly client: DnsManagementClient
  private readonly settings: AzureSettings
  private readonly session: ArmSession
  /** ETags of sets that exist but hold no records, so a "create" there is conditional too. */
  private readonly emptySets = new Map<string, RecordSet>()
  readonly txt: TxtRecords = {
    readTxt: async (zone, name) => (await this.readTxtSet(zone, name)).values,
    addTxtValue: (zone, name, value, ttl) => this.changeTxt(zone, name, value, ttl),
    removeTxtValue: (zone, name, value) => this.changeTxt(zone, name, value, undefined)
  }

  constructor(client: DnsManagementClient, settings: AzureSettings, session: ArmSession) {
    this.client = client
    this.settings = settings
    this.session = session
  }

  async findZone(domain: string, zoneHint: string | undefined): Promise<ZoneRef> {
    const resourceGroup = this.settings.resourceGroup
    if (zoneHint !== undefined && resourceGroup !== undefined) {
      // Both given: trust them and spend no request; a wrong one shows up on the first read.
      return { name: zoneHint, resourceGroup, visibility: 'public' }
    }
    const zones = await this.listZones(resourceGroup)
    const candidates = zones
      .map(z => ({ name: normalizeZoneName(z.name ?? ''), resourceGroup: resourceGroupOf(z.id), id: z.id }))
      .filter(z => (zoneHint !== undefined ? z.name === zoneHint : isInZone(domain, z.name)))
    const longest = Math.max(0, ...candidates.map(z => z.name.length))
    const best = candidates.filter(z => z.name.length === longest)
    const where = `subscription ${this.settings.subscriptionId}${resourceGroup ? `, resource group ${resourceGroup}` : ''}`
    if (best.length === 0) {
      const seen = zones.map(z => z.name ?? '?')
      throw new ProviderError(
        `Azure DNS: no zone ${zoneHint ? `named ${zoneHint}` : `holding ${domain}`} in ${where} (the identity sees ${
          seen.length === 0
            ? 'no zones'
            : `${seen.length}: ${seen.slice(0, 10).join(', ')}${seen.length > 10 ? ', …' : ''}`
        }); create the zone, fix zone/azure-resource-group, or give the identity ${DNS_ROLE} on the zone`
      )
    }
    if (best.length > 1) {
      throw new ProviderError(
        `Azure DNS: zone ${best[0]!.name} exists in several resource groups of subscription ${this.settings.subscriptionId} (${best
          .map(z => z.resourceGroup)
          .join(', ')}); set azure-resource-group to the one that is delegated`
      )
    }
    const found = best[0]!
    if (found.resourceGroup === undefined) {
      throw new ProviderError(`Azure DNS: zone ${found.name} came back without a resource id (${String(found.id)})`)
    }
    // Microsoft.Network/dnsZones are served by Azure's public nameservers.
    return { name: found.name, resourceGroup: found.resourceGroup, id: found.id, visibility: 'public' }
  }

  async read(zone: ZoneRef, name: string, type: RecordType): Promise<CurrentRecords> {
    const resourceGroup = this.resourceGroupOf(zone)
    const relative = relativeName(name, zone.name)
    const [set, cname] = await Promise.all([
      this.getSet(resourceGroup, zone.name, relative, type),
      this.getSet(resourceGroup, zone.name, relative, 'CNAME')
    ])
    this.emptySets.delete(setKey(zone, name, type))
    const cnameTarget = cname?.cnameRecord?.cname
    if (set === undefined)
      return { recordSet: undefined, cname: cnameTarget === undefined ? undefined : stripDot(cnameTarget) }
    if (set.targetResource?.id) {
      throw new ProviderError(
        `Azure DNS: ${name} ${type} in zone ${zone.name} (resource group ${resourceGroup}) is an alias record set pointing at ${set.targetResource.id}; this action does not replace alias record sets: remove the alias or choose another domain`
      )
    }
    const records =
      type === 'A' ? (set.aRecords ?? []).map(r => r.ipv4Address) : (set.aaaaRecords ?? []).map(r => r.ipv6Address)
    const values = records.filter((v): v is string => v !== undefined).map(canonicalAddress)
    const current: RecordSet = {
      name,
      type,
      ttl: set.ttl ?? 0,
      values,
      version: set.etag,
      metadata: set.metadata === undefined ? undefined : { ...set.metadata }
    }
    if (values.length === 0) this.emptySets.set(setKey(zone, name, type), current)
    return { recordSet: current, cname: cnameTarget === undefined ? undefined : stripDot(cnameTarget) }
  }

  async write(zone: ZoneRef, change: RecordWrite): Promise<WriteResult> {
    const resourceGroup = this.resourceGroupOf(zone)
    const { desired } = change
    const relative = relativeName(desired.name, zone.name)
    // A "create" over a set that exists without records (Azure allows empty sets) must replace
    // exactly that set: its ETag is the precondition, and its metadata is kept.
    const existing =
      change.kind === 'replace' ? change.expected : this.emptySets.get(setKey(zone, desired.name, desired.type))
    const precondition: { ifMatch?: string; ifNoneMatch?: string } =
      existing === undefined ? { ifNoneMatch: '*' } : { ifMatch: requireVersion(existing, desired.name) }
    const parameters: ArmRecordSet = {
      ttl: desired.ttl,
      metadata: existing?.metadata === undefined ? undefined : stringMetadata(existing.metadata),
      ...(desired.type === 'A'
        ? { aRecords: desired.values.map(ipv4Address => ({ ipv4Address })) }
        : { aaaaRecords: desired.values.map(ipv6Address => ({ ipv6Address })) })
    }
    this.stats.writes++
    try {
      const result = await this.session.run(abortSignal =>
        this.client.recordSets.createOrUpdate(resourceGroup, zone.name, relative, desired.type, parameters, {
          ...precondition,
          abortSignal
        })
      )
      this.emptySets.delete(setKey(zone, desired.name, desired.type))
      return { changeId: result.etag }
    } catch (error) {
      throw this.writeError(error, {
        target: `${desired.name} ${desired.type}`,
        etag: existing?.version,
        zone,
        verb: `write ${desired.name} ${desired.type}`,
        conflict: 'most likely a CNAME now exists at that name: remove it and run again'
      })
    }
  }

  /**
   * A failed PUT or DELETE of a record set: 412 is a lost race (the caller re-reads), 409 the
   * conflict `conflict` explains, anything else ARM's error as one sentence.
   */
  private writeError(
    error: unknown,
    write: { target: string; etag: string | undefined; zone: ZoneRef; verb: string; conflict: string }
  ): Error {
    const e = error as ArmErrorShape
    const resourceGroup = this.resourceGroupOf(write.zone)
    if (e.statusCode === 412) {
      return new PreconditionFailedError(
        write.etag === undefined
          ? `Azure DNS: ${write.target} was created by someone else after it was read (If-None-Match: * failed)`
          : `Azure DNS: ${write.target} changed after it was read (ETag ${write.etag} is no longer current)`
      )
    }
    if (e.statusCode === 409) {
      return new ProviderError(
        `Azure DNS: ${write.target} in zone ${write.zone.name} (resource group ${resourceGroup}) was refused with a conflict (${e.code ?? 'Conflict'}: ${e.message ?? ''}); ${write.conflict}`,
        { cause: error }
      )
    }
    return this.describe(error, { verb: write.verb, resourceGroup, zone: write.zone.name })
  }

  private async readTxtSet(zone: ZoneRef, name: string): Promise<{ set: ArmRecordSet | undefined; values: string[] }> {
    const set = await this.getSet(this.resourceGroupOf(zone), zone.name, relativeName(name, zone.name), 'TXT')
    return { set, values: (set?.txtRecords ?? []).map(txtValueOf) }
  }

  /**
   * Adds `value` (with `ttl` given) or removes it (without): GET the TXT set, change the one value,
   * then PUT the whole set with If-Match on the ETag read (If-None-Match: * when there was none),
   * or DELETE it with If-Match when the value was its last. A 412 is a lost race: read again.
   */
  private changeTxt(zone: ZoneRef, name: string, value: string, ttl: number | undefined): Promise<WriteResult> {
    const add = ttl !== undefined
    const resourceGroup = this.resourceGroupOf(zone)
    const relative = relativeName(name, zone.name)
    const what = `Azure DNS: ${add ? 'adding a value to' : 'removing a value from'} ${name} TXT`
    return untilNotRaced(what, async () => {
      const { set, values } = await this.readTxtSet(zone, name)
      if (values.includes(value) === add) return {}
      const records = set?.txtRecords ?? []
      const kept = add ? [...records, { value: splitTxtValue(value) }] : records.filter(r => txtValueOf(r) !== value)
      const etag = set === undefined ? undefined : requireEtag(set.etag, name, 'TXT')
      this.stats.writes++
      try {
        if (kept.length === 0) {
          await this.session.run(abortSignal =>
            this.client.recordSets.delete(resourceGroup, zone.name, relative, 'TXT', { abortSignal, ifMatch: etag })
          )
          return {}
        }
        const parameters: ArmRecordSet = { ttl: set?.ttl ?? ttl, metadata: set?.metadata, txtRecords: kept }
        const result = await this.session.run(abortSignal =>
          this.client.recordSets.createOrUpdate(resourceGroup, zone.name, relative, 'TXT', parameters, {
            abortSignal,
            ...(etag === undefined ? { ifNoneMatch: '*' } : { ifMatch: etag })
          })
        )
        return { changeId: result.etag }
      } catch (error) {
        throw this.writeError(error, {
          target: `${name} TXT`,
          etag,
          zone,
          verb: `${add ? 'add a value to' : 'remove a value from'} ${name} TXT`,
          conflict: `most likely ${name} is a CNAME: write the TXT values at its target`
        })
      }
    })
  }

  private async getSet(
    resourceGroup: string,
    zone: string,
    relative: string,
    type: RecordType | 'CNAME' | 'TXT'
  ): Promise<ArmRecordSet | undefined> {
    this.stats.reads++
    try {
      return await this.session.run(abortSignal =>
        this.client.recordSets.get(resourceGroup, zone, relative, type, { abortSignal })
      )
    } catch (error) {
      const e = error as ArmErrorShape
      // The DNS resource provider answers a missing record set with 404 code NotFound; a missing
      // zone, resource group or subscription have their own codes and are errors.
      if (e.statusCode === 404 && (e.code === undefined || e.code === 'NotFound')) return undefined
      const name = relative === '@' ? zone : `${relative}.${zone}`
      throw this.describe(error, { verb: `read ${name} ${type}`, resourceGroup, zone })
    }
  }

  private async listZones(resourceGroup: string | undefined): Promise<Zone[]> {
    const zones: Zone[] = []
    try {
      await this.session.run(async abortSignal => {
        const pages =
          resourceGroup === undefined
            ? this.client.zones.list({ abortSignal })
            : this.client.zones.listByResourceGroup(resourceGroup, { abortSignal })
        for await (const page of pages.byPage()) {
          this.stats.reads++
          zones.push(...page)
        }
      })
    } catch (error) {
      throw this.describe(error, { verb: 'list DNS zones', resourceGroup })
    }
    return zones
  }

  private resourceGroupOf(zone: ZoneRef): string {
    const group = zone.resourceGroup ?? this.settings.resourceGroup
    if (group === undefined) throw new ProviderError(`Azure DNS: zone ${zone.name} has no resource group`)
    return group
  }

  /** One sentence naming subscription, resource group and zone, and what to change. */
  private describe(error: unknown, op: Operation): ProviderError {
    const sub = this.settings.subscriptionId
    const zoneScope =
      op.zone && op.resourceGroup
        ? `/subscriptions/${sub}/resourceGroups/${op.resourceGroup}/providers/Microsoft.Network/dnszones/${op.zone}`
        : undefined
    return this.session.describe(error, {
      verb: op.verb,
      scope: `subscription ${sub}${op.resourceGroup ? `, resource group ${op.resourceGroup}` : ''}${op.zone ? `, zone ${op.zone}` : ''}`,
      forbidden:
        zoneScope !== undefined
          ? `assign it the ${DNS_ROLE} role on the zone (scope ${zoneScope})`
          : `to find the zone it must be able to list zones (Reader on the subscription or resource group), or give zone and azure-resource-group; to change records it needs ${DNS_ROLE} on the zone`,
      notFound: code => describeNotFound(code, sub, op)
    })
  }
}

function describeNotFound(code: string | undefined, subscription: string, op: Operation): string {
  switch (code) {
    case 'SubscriptionNotFound':
      return `subscription ${subscription} does not exist in this cloud or the identity cannot see it; check azure-subscription-id and azure-environment`
    case 'ResourceGroupNotFound':
      return `resource group ${op.resourceGroup} does not exist in subscription ${subscription}; check azure-resource-group (or leave it empty to find the zone by listing)`
    case 'ParentResourceNotFound':
    case 'ResourceNotFound':
      return `zone ${op.zone} is not in resource group ${op.resourceGroup} of subscription ${subscription}; check zone and azure-resource-group (leave azure-resource-group empty to find the zone by listing)`
    default:
      return `something on the way does not exist; check azure-subscription-id, azure-resource-group and zone`
  }
}

function requireVersion(set: RecordSet, name: string): string {
  return requireEtag(set.version, name, set.type)
}

function requireEtag(etag: string | undefined, name: string, type: string): string {
  // Never write over an existing set without its ETag as the precondition.
  if (etag === undefined || etag === '') {
    throw new ProviderError(`Azure DNS: ${name} ${type} was read without an ETag, so it cannot be replaced safely`)
  }
  return etag
}

/** One TXT record's value: its character-strings joined. */
function txtValueOf(record: { value?: string[] }): string {
  return (record.value ?? []).join('')
}

function stringMetadata(metadata: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, String(v)]))
}

/** The record set name relative to the zone, `@` for the apex. */
export function relativeName(name: string, zone: string): string {
  if (name === zone) return '@'
  if (!name.endsWith(`.${zone}`)) throw new ProviderError(`Azure DNS: ${name} is not in zone ${zone}`)
  return name.slice(0, -(zone.length + 1))
}

function setKey(zone: ZoneRef, name: string, type: RecordType): string {
  return `${zone.resourceGroup ?? ''}/${zone.name}/${type}/${name}`
}

function resourceGroupOf(id: string | undefined): string | undefined {
  return id === undefined ? undefined : /\/resourceGroups\/([^/]+)\//i.exec(id)?.[1]
}

function normalizeZoneName(name: string): string {
  return stripDot(name).toLowerCase()
}

function stripDot(name: string): string {
  return name.replace(/\.$/, '').toLowerCase()
}
