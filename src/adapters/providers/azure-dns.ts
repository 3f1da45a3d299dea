// Azure DNS through Azure Resource Manager (@azure/arm-dns, api-version 2018-05-01). Every write is
// a PUT of the whole record set made conditional on what was read: `If-None-Match: *` for a new
// set, `If-Match: <etag>` for an existing one, so a concurrent change turns into a 412 that the
// caller answers by reading again, never into a silent overwrite.

//
// The registry imports this module on every run, so the SDKs are imported only as types here and
// loaded with `await import()` when a client is made: they stay in chunks only Azure runs load.

import * as core from '@actions/core'
import * as github from '../github.ts'
import type { DnsManagementClient, RecordSet as ArmRecordSet, Zone } from '@azure/arm-dns'
import type { TokenCredential } from '@azure/identity'
import type { CurrentRecords, RecordSet } from '../../core/planner.ts'
import { GUID, resourceGroupRule, type EntraSignInInputs, type InputReader } from '../../core/inputs.ts'
import { canonicalAddress, isInZone, parseDomainName } from '../../core/names.ts'
import type { AzureEnvironment, AzureSettings, RecordType } from '../../core/settings.ts'
import { splitTxtValue } from '../../core/txt.ts'
import { PreconditionFailedError, ProviderError, untilNotRaced } from './provider.ts'
import type {
  DnsProvider,
  ProviderModule,
  ProviderStats,
  RecordWrite,
  TxtRecords,
  WriteResult,
  ZoneRef
} from './provider.ts'

type AzureIdentity = typeof import('@azure/identity')

const AZURE_ENVIRONMENTS: readonly AzureEnvironment[] = ['AzureCloud', 'AzureUSGovernment', 'AzureChinaCloud']

export const azureDns: ProviderModule<AzureSettings> = {
  name: 'azure',
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
  if (tenantId !== undefined && !GUID.test(tenantId) && !parseDomainName(tenantId).ok) {
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

/** The audience GitHub's OIDC token must carry for a Microsoft Entra federated credential. */
export const AZURE_ID_TOKEN_AUDIENCE = 'api://AzureADTokenExchange'

/** The role that lets an identity read and write record sets, assigned on the zone. */
export const DNS_ROLE = 'DNS Zone Contributor'

interface CloudEndpoints {
  readonly resourceManager: string
  readonly authorityHost: string
}

// Per cloud, as `az cloud show` lists them (resourceManager, activeDirectory).
const CLOUDS: Record<AzureEnvironment, CloudEndpoints> = {
  AzureCloud: { resourceManager: 'https://management.azure.com', authorityHost: 'https://login.microsoftonline.com' },
  AzureUSGovernment: {
    resourceManager: 'https://management.usgovcloudapi.net',
    authorityHost: 'https://login.microsoftonline.us'
  },
  AzureChinaCloud: {
    resourceManager: 'https://management.chinacloudapi.cn',
    authorityHost: 'https://login.chinacloudapi.cn'
  }
}

// MSAL knows these hosts; for any other authority (AZURE_AUTHORITY_HOST pointing at a private
// cloud or a local stand-in) it would ask login.microsoftonline.com's instance-discovery endpoint
// about it, which @azure/identity documents turning off with disableInstanceDiscovery.
const MICROSOFT_AUTHORITY_HOSTS = new Set(Object.values(CLOUDS).map(c => new URL(c.authorityHost).host))

/**
 * Transient faults: ARM answers 429 with Retry-After when throttling and 5xx when a front end is
 * unwell. The SDK's own retry policy handles both (Retry-After honoured, exponential backoff
 * otherwise); these bound it. maxRetries survives at least three 429s in a row, and each
 * operation has a time budget so a huge Retry-After cannot stall the run.
 */
export const AZURE_RETRY = {
  maxRetries: 5,
  retryDelayInMs: 500,
  maxRetryDelayInMs: 8_000,
  operationBudgetMs: 90_000
} as const

export interface AzureDnsOptions {
  /** Environment the credentials read (AZURE_AUTHORITY_HOST); process.env by default. */
  readonly env?: NodeJS.ProcessEnv
  /** GitHub's OIDC token for an audience; core.getIDToken by default. */
  readonly getIdToken?: (audience: string) => Promise<string>
  /** Time each ARM request may wait for its answer's headers before it is retried. */
  readonly requestTimeoutMs?: number | undefined
}

type CredentialKind = 'oidc' | 'secret' | 'default'

/** Which sign-in a run uses, and how to describe it in messages. */
export interface AzureCredentialChoice {
  readonly kind: CredentialKind
  readonly credential: TokenCredential
  readonly description: string
}

export function resolveAzureEndpoints(
  settings: Pick<AzureSettings, 'environment' | 'resourceManagerEndpoint'>,
  env: NodeJS.ProcessEnv
): { resourceManager: string; authorityHost: string; scope: string } {
  const cloud = CLOUDS[settings.environment]
  const resourceManager = (settings.resourceManagerEndpoint ?? cloud.resourceManager).replace(/\/+$/, '')
  const authorityHost = (env['AZURE_AUTHORITY_HOST'] || cloud.authorityHost).replace(/\/+$/, '')
  return { resourceManager, authorityHost, scope: `${resourceManager}/.default` }
}

/**
 * OIDC when client and tenant ids come without a secret (the runner's ID token is the client
 * assertion, fetched afresh on every token refresh); a client secret when one is given; otherwise
 * the default chain, so an `azure/login` step before this one just works.
 */
export function createAzureCredential(
  identity: AzureIdentity,
  settings: AzureSettings,
  options: AzureDnsOptions = {}
): AzureCredentialChoice {
  const env = options.env ?? process.env
  const { authorityHost } = resolveAzureEndpoints(settings, env)
  let host: string
  try {
    host = new URL(authorityHost).host
  } catch {
    throw new ProviderError(
      `Azure DNS: AZURE_AUTHORITY_HOST must be an https URL, got ${JSON.stringify(authorityHost)}`
    )
  }
  const disableInstanceDiscovery = !MICROSOFT_AUTHORITY_HOSTS.has(host)
  const common = { authorityHost, disableInstanceDiscovery }
  const { clientId, tenantId, clientSecret } = settings
  if (clientId !== undefined && tenantId !== undefined && clientSecret !== undefined) {
    return {
      kind: 'secret',
      credential: new identity.ClientSecretCredential(tenantId, clientId, clientSecret, common),
      description: `client secret of application ${clientId} in tenant ${tenantId}`
    }
  }
  if (clientId !== undefined && tenantId !== undefined) {
    const getIdToken = options.getIdToken ?? ((audience: string) => core.getIDToken(audience))
    const getAssertion = async (): Promise<string> => {
      try {
        return await getIdToken(AZURE_ID_TOKEN_AUDIENCE)
      } catch (error) {
        throw new IdTokenError(error)
      }
    }
    return {
      kind: 'oidc',
      credential: new identity.ClientAssertionCredential(tenantId, clientId, getAssertion, common),
      description: `GitHub OIDC (federated credential) of application ${clientId} in tenant ${tenantId}`
    }
  }
  return {
    kind: 'default',
    credential: new identity.DefaultAzureCredential(common),
    description: 'the default Azure credential chain (environment, workload identity, managed identity, Azure CLI)'
  }
}

const ID_TOKEN_FAILURE = 'Azure DNS: the runner gave no OIDC ID token'

/** The runner would not hand out an ID token (usually: the job lacks `id-token: write`). */
class IdTokenError extends Error {
  constructor(cause: unknown) {
    super(
      `${ID_TOKEN_FAILURE} (${cause instanceof Error ? cause.message : String(cause)}); give the job \`permissions: id-token: write\` (and contents: read), or pass azure-client-secret`,
      { cause }
    )
    this.name = 'IdTokenError'
  }
}

export async function createAzureDnsProvider(
  settings: AzureSettings,
  options: AzureDnsOptions = {}
): Promise<DnsProvider> {
  const env = options.env ?? process.env
  const endpoints = resolveAzureEndpoints(settings, env)
  const [{ DnsManagementClient }, identity] = await Promise.all([import('@azure/arm-dns'), import('@azure/identity')])
  const choice = createAzureCredential(identity, settings, options)
  const client = new DnsManagementClient(choice.credential, settings.subscriptionId, {
    endpoint: endpoints.resourceManager,
    credentialScopes: [endpoints.scope],
    retryOptions: {
      maxRetries: AZURE_RETRY.maxRetries,
      retryDelayInMs: AZURE_RETRY.retryDelayInMs,
      maxRetryDelayInMs: AZURE_RETRY.maxRetryDelayInMs
    },
    userAgentOptions: { userAgentPrefix: 'ldaps-dns-action' },
    additionalPolicies: [
      { policy: createTransientTransportPolicy(options.requestTimeoutMs ?? 30_000), position: 'perRetry' }
    ]
  })
  github.info(
    `Azure DNS: ${endpoints.resourceManager}, subscription ${settings.subscriptionId}, signing in with ${choice.description}.`
  )
  return new AzureDnsProvider(client, settings, endpoints.resourceManager, choice)
}

type AdditionalPolicy = NonNullable<
  NonNullable<ConstructorParameters<typeof DnsManagementClient>[2]>['additionalPolicies']
>[number]

/**
 * Makes two transport faults retriable by the SDK's own retry policy, which otherwise gives up on
 * both at once: a request whose answer is not complete within `timeoutMs` (the SDK sets no
 * per-request timeout, so a stalled connection would use up the whole operation budget), and an
 * answer whose body is cut off (the SDK reports it as a parse error). Both are rethrown as the
 * system errors the retry strategy knows (ETIMEDOUT, ECONNRESET); every ARM request here is safe
 * to repeat because writes carry If-Match / If-None-Match. The timeout covers the body too (the
 * SDK's own `timeout` stops counting at the headers).
 */
function createTransientTransportPolicy(timeoutMs: number): AdditionalPolicy['policy'] {
  return {
    name: 'ldapsDnsTransientTransport',
    async sendRequest(request, next) {
      const outer = request.abortSignal
      const timer = AbortSignal.timeout(timeoutMs)
      request.abortSignal = outer === undefined ? timer : AbortSignal.any([outer as AbortSignal, timer])
      try {
        return await next(request)
      } catch (error) {
        if (outer?.aborted) throw error
        if (timer.aborted) {
          throw transportError(`no complete answer within ${timeoutMs / 1000} s`, 'ETIMEDOUT', error)
        }
        const e = error as { name?: string; code?: string; message?: string }
        if (e.name === 'RestError' && e.code === 'PARSE_ERROR' && /^Error reading response/.test(e.message ?? '')) {
          throw transportError(`the connection broke during the answer (${e.message})`, 'ECONNRESET', error)
        }
        throw error
      } finally {
        request.abortSignal = outer
      }
    }
  }
}

/** An error the SDK's retry policy treats as a network failure (it goes by name and code). */
function transportError(message: string, code: string, cause: unknown): Error {
  return Object.assign(new Error(message, { cause }), { name: 'RestError', code })
}

interface ArmErrorShape {
  readonly statusCode?: number
  readonly code?: string
  readonly message?: string
  readonly response?: { headers?: { get(name: string): string | undefined } }
}

/** What the provider was doing when ARM answered with an error, for the message. */
interface Operation {
  readonly verb: string
  readonly resourceGroup?: string | undefined
  readonly zone?: string | undefined
  readonly write?: boolean
}

class AzureDnsProvider implements DnsProvider {
  readonly displayName = 'Azure DNS'
  readonly stats: ProviderStats = { reads: 0, writes: 0 }
  private readonly client: DnsManagementClient
  private readonly settings: AzureSettings
  private readonly endpoint: string
  private readonly credential: AzureCredentialChoice
  /** ETags of sets that exist but hold no records, so a "create" there is conditional too. */
  private readonly emptySets = new Map<string, RecordSet>()
  readonly txt: TxtRecords = {
    readTxt: async (zone, name) => (await this.readTxtSet(zone, name)).values,
    addTxtValue: (zone, name, value, ttl) => this.changeTxt(zone, name, value, ttl),
    removeTxtValue: (zone, name, value) => this.changeTxt(zone, name, value, undefined)
  }

  constructor(
    client: DnsManagementClient,
    settings: AzureSettings,
    endpoint: string,
    credential: AzureCredentialChoice
  ) {
    this.client = client
    this.settings = settings
    this.endpoint = endpoint
    this.credential = credential
  }

  async findZone(domain: string, zoneHint: string | undefined): Promise<ZoneRef> {
    const resourceGroup = this.settings.resourceGroup
    if (zoneHint !== undefined && resourceGroup !== undefined) {
      // Both given: trust them and spend no request; a wrong one shows up on the first read.
      return { name: zoneHint, resourceGroup }
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
    return { name: found.name, resourceGroup: found.resourceGroup, id: found.id }
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
      const result = await this.client.recordSets.createOrUpdate(
        resourceGroup,
        zone.name,
        relative,
        desired.type,
        parameters,
        {
          ...precondition,
          abortSignal: AbortSignal.timeout(AZURE_RETRY.operationBudgetMs)
        }
      )
      this.emptySets.delete(setKey(zone, desired.name, desired.type))
      return { changeId: result.etag }
    } catch (error) {
      const e = error as ArmErrorShape
      if (e.statusCode === 412) {
        throw new PreconditionFailedError(
          existing === undefined
            ? `Azure DNS: ${desired.name} ${desired.type} was created by someone else after it was read (If-None-Match: * failed)`
            : `Azure DNS: ${desired.name} ${desired.type} changed after it was read (ETag ${existing.version} is no longer current)`
        )
      }
      if (e.statusCode === 409) {
        throw new ProviderError(
          `Azure DNS: ${desired.name} ${desired.type} in zone ${zone.name} (resource group ${resourceGroup}) was refused with a conflict (${e.code ?? 'Conflict'}: ${e.message ?? ''}); most likely a CNAME now exists at that name: remove it and run again`,
          { cause: error }
        )
      }
      throw this.describe(error, {
        verb: `write ${desired.name} ${desired.type}`,
        resourceGroup,
        zone: zone.name,
        write: true
      })
    }
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
      const options = { abortSignal: AbortSignal.timeout(AZURE_RETRY.operationBudgetMs) }
      this.stats.writes++
      try {
        if (kept.length === 0) {
          await this.client.recordSets.delete(resourceGroup, zone.name, relative, 'TXT', { ...options, ifMatch: etag })
          return {}
        }
        const parameters: ArmRecordSet = { ttl: set?.ttl ?? ttl, metadata: set?.metadata, txtRecords: kept }
        const result = await this.client.recordSets.createOrUpdate(
          resourceGroup,
          zone.name,
          relative,
          'TXT',
          parameters,
          {
            ...options,
            ...(etag === undefined ? { ifNoneMatch: '*' } : { ifMatch: etag })
          }
        )
        return { changeId: result.etag }
      } catch (error) {
        const e = error as ArmErrorShape
        if (e.statusCode === 412) {
          throw new PreconditionFailedError(
            etag === undefined
              ? `${name} TXT was created by someone else after it was read (If-None-Match: * failed)`
              : `${name} TXT changed after it was read (ETag ${etag} is no longer current)`
          )
        }
        if (e.statusCode === 409) {
          throw new ProviderError(
            `Azure DNS: ${name} TXT in zone ${zone.name} (resource group ${resourceGroup}) was refused with a conflict (${e.code ?? 'Conflict'}: ${e.message ?? ''}); most likely ${name} is a CNAME: write the TXT values at its target`,
            { cause: error }
          )
        }
        throw this.describe(error, {
          verb: `${add ? 'add a value to' : 'remove a value from'} ${name} TXT`,
          resourceGroup,
          zone: zone.name,
          write: true
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
      return await this.client.recordSets.get(resourceGroup, zone, relative, type, {
        abortSignal: AbortSignal.timeout(AZURE_RETRY.operationBudgetMs)
      })
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
    const pages =
      resourceGroup === undefined ? this.client.zones.list() : this.client.zones.listByResourceGroup(resourceGroup)
    try {
      for await (const page of pages.byPage()) {
        this.stats.reads++
        zones.push(...page)
      }
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
    const scope = `subscription ${sub}${op.resourceGroup ? `, resource group ${op.resourceGroup}` : ''}${op.zone ? `, zone ${op.zone}` : ''}`
    const zoneScope =
      op.zone && op.resourceGroup
        ? `/subscriptions/${sub}/resourceGroups/${op.resourceGroup}/providers/Microsoft.Network/dnszones/${op.zone}`
        : undefined
    const signIn = describeSignInError(error, this.credential)
    if (signIn !== undefined)
      return new ProviderError(`${signIn} (while trying to ${op.verb} in ${scope})`, { cause: error })
    const e = error as ArmErrorShape
    const said = `${e.statusCode ?? 'no status'} ${e.code ?? ''}: ${(e.message ?? String(error)).trim()}`.replace(
      /\s+/g,
      ' '
    )
    const prefix = `Azure DNS: could not ${op.verb} in ${scope}`
    switch (e.statusCode) {
      case 401:
        return new ProviderError(
          `${prefix}: Azure Resource Manager (${this.endpoint}) rejected the sign-in (${said}); the token must come from the subscription's tenant for the audience ${this.endpoint} (check azure-tenant-id and azure-environment)`,
          { cause: error }
        )
      case 403:
        return new ProviderError(
          zoneScope !== undefined
            ? `${prefix}: the identity lacks permission (${said}); assign it the ${DNS_ROLE} role on the zone (scope ${zoneScope})`
            : `${prefix}: the identity lacks permission (${said}); to find the zone it must be able to list zones (Reader on the subscription or resource group), or give zone and azure-resource-group; to change records it needs ${DNS_ROLE} on the zone`,
          { cause: error }
        )
      case 404:
        return new ProviderError(`${prefix}: ${describeNotFound(e.code, sub, op)} (${said})`, { cause: error })
      case 429:
        return new ProviderError(
          `${prefix}: Azure Resource Manager kept throttling the requests (429) through ${AZURE_RETRY.maxRetries} retries (${said}); run again later`,
          { cause: error }
        )
    }
    if (e.statusCode !== undefined && e.statusCode >= 500) {
      return new ProviderError(
        `${prefix}: Azure answered ${said} through ${AZURE_RETRY.maxRetries} retries; run again later`,
        {
          cause: error
        }
      )
    }
    if (e.statusCode === undefined && !(error instanceof Error && error.name === 'AbortError')) {
      return new ProviderError(
        `${prefix}: Azure Resource Manager at ${this.endpoint} could not be reached (${error instanceof Error ? error.message : String(error)}); check azure-resource-manager-endpoint, azure-environment and the runner's network or proxy`,
        { cause: error }
      )
    }
    if (error instanceof Error && error.name === 'AbortError') {
      return new ProviderError(
        `${prefix}: no answer within ${AZURE_RETRY.operationBudgetMs / 1000} s (throttled or unreachable: ${this.endpoint})`,
        { cause: error }
      )
    }
    return new ProviderError(`${prefix}: ${said}`, { cause: error })
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

// Errors that sign-in raises: @azure/identity's own classes, or MSAL's ServerError inside them.
const SIGN_IN_ERRORS = new Set([
  'AuthenticationError',
  'AuthenticationRequiredError',
  'CredentialUnavailableError',
  'AggregateAuthenticationError',
  'ServerError',
  'ClientAuthError',
  'ClientConfigurationError'
])

/** Errors of Microsoft Entra sign-in, turned into what to fix for the credential in use. */
function describeSignInError(error: unknown, choice: AzureCredentialChoice): string | undefined {
  const chain = causes(error)
  // The ID-token failure may come back wrapped by @azure/identity; its sentence is ours either way.
  for (const e of chain) {
    const at = e.message.indexOf(ID_TOKEN_FAILURE)
    if (e instanceof IdTokenError || at >= 0) return e.message.slice(Math.max(0, at))
    if (e.message.includes('ACTIONS_ID_TOKEN_REQUEST')) return new IdTokenError(e).message
  }
  // By name: every @azure/identity error class sets its own, and the SDK is not loaded here.
  if (!chain.some(e => SIGN_IN_ERRORS.has(e.name))) {
    return undefined
  }
  // Entra's reason is its AADSTS sentence; keep that, not the trace and correlation ids around it.
  const text = chain.map(e => e.message).join(' ')
  const aadsts = /AADSTS(\d+): (.*?\.)(?= |$)/.exec(text)
  const code = aadsts?.[1]
  const detail = aadsts ? `AADSTS${aadsts[1]}: ${aadsts[2]}` : (chain.at(-1)?.message ?? '').split('\n')[0]!.trim()
  let fix: string
  if (choice.kind === 'oidc') {
    fix =
      code === '70021' || code === '700211' || code === '700212' || code === '700213'
        ? 'add a federated credential to the application with issuer https://token.actions.githubusercontent.com, audience api://AzureADTokenExchange and the subject this workflow presents (e.g. repo:OWNER/REPO:ref:refs/heads/main or repo:OWNER/REPO:environment:NAME)'
        : 'check azure-client-id, azure-tenant-id and the federated credential of the application'
  } else if (choice.kind === 'secret') {
    fix =
      code === '7000215' || code === '7000222'
        ? 'azure-client-secret is wrong or expired: create a new client secret and update the repository secret'
        : 'check azure-client-id, azure-tenant-id and azure-client-secret'
  } else {
    fix =
      'give azure-client-id and azure-tenant-id (OIDC, with `permissions: id-token: write`) or run azure/login before this step'
  }
  return `Azure DNS: signing in with ${choice.description} failed (${detail || 'no detail'}); ${fix}`
}

function causes(error: unknown): Error[] {
  const out: Error[] = []
  let current: unknown = error
  for (let depth = 0; current instanceof Error && depth < 8; depth++) {
    out.push(current)
    const aggregate = (current as { errors?: unknown[] }).errors
    if (Array.isArray(aggregate)) out.push(...aggregate.filter((e): e is Error => e instanceof Error))
    current = (current as { cause?: unknown }).cause
  }
  return out
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
