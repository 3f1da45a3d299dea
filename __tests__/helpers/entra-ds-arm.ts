// Microsoft Entra Domain Services and the Network subnet/NSG reads on the local ARM stand-in
// (arm-server.ts), following the documented contract in Azure/azure-rest-api-specs:
// specification/domainservices (DomainServices_Get, _List, _ListByResourceGroup; stable
// 2021-05-01, which @azure/arm-domainservices sends, and 2022-12-01) and specification/network
// (Subnets_Get, NetworkSecurityGroups_Get). Bodies are our own fixtures in the shape of those
// examples: `properties` wrapped, pageable lists with nextLink, ARM error bodies ({error: {code,
// message}}) for 404 ResourceNotFound / ResourceGroupNotFound / SubscriptionNotFound and a Network
// child's 404 NotFound, 403 AuthorizationFailed per action and scope, 400 for a missing or unknown
// api-version, and 405 for any other write (counted).
//
// The one write: DomainServices_Update (PATCH of ldapsSettings, x-ms-long-running-operation), as
// the spec and its example UpdateDomainService.json describe it: 202 with Location
// (…/locations/{region}/operationResults/{id}: 202 while running, then 200 with the resource) and
// Azure-AsyncOperation (…/operationStatuses/{id}: {status: InProgress|Succeeded|Failed, error}),
// Retry-After 1. 403 without Microsoft.AAD/domainServices/write (a Reader), 409 while another
// operation runs (or when told to). The PFX is checked with the openssl CLI, not with the code
// under test: the password opens it, the key bag is pbeWithSHA1And3-KeyTripleDES-CBC, it holds
// the key and a chain (leaf + intermediates) whose leaf matches the key. A bad one fails the
// operation asynchronously ("The certificate or password provided for LDAPs is invalid", as
// Azure/azure-powershell#18075 reports), leaving the old certificate. ldaps and externalAccess
// default to Disabled when the body leaves them out, as the schema says.

import { spawnSync } from 'node:child_process'
import { randomUUID, X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseInputs } from '../../src/adapters/providers/index.ts'
import type { Settings } from '../../src/core/settings.ts'
import { CLIENT_SECRET, READER_CLIENT, SUBSCRIPTION, TENANT } from './azure-world.ts'
import { runnerInputEnv } from './run-action.ts'
import {
  authorizationFailed,
  resourceNotFound,
  type ArmAnswer,
  type ArmExtension,
  type ArmRequest,
  type Principal
} from './arm-server.ts'

// Registered versions of Microsoft.AAD/domainServices (see entra-ds-arm.md); the network versions
// the arm-network releases send.
const AAD_VERSIONS = ['2017-06-01', '2020-01-01', '2021-03-01', '2021-05-01', '2022-09-01', '2022-12-01', '2025-06-01']
const NETWORK_VERSIONS = ['2024-05-01', '2025-01-01', '2025-03-01', '2025-05-01', '2026-01-01']

export interface HealthAlertFixture {
  id: string
  name: string
  issue?: string
  severity?: string
  resolutionUri?: string
}

export interface ReplicaSetFixture {
  location: string
  subnetId: string
  externalAccessIpAddress?: string
  domainControllerIpAddress?: string[]
  healthAlerts?: HealthAlertFixture[]
}

export interface ManagedDomainFixture {
  subscription: string
  resourceGroup: string
  /** Resource name (may differ from domainName). */
  name: string
  domainName: string
  ldaps: 'Enabled' | 'Disabled'
  externalAccess: 'Enabled' | 'Disabled'
  certificateThumbprint?: string
  certificateNotAfter?: string
  publicCertificate?: string
  tlsV1?: 'Enabled' | 'Disabled'
  replicaSets: ReplicaSetFixture[]
}

/** A security rule as the NSG body carries it (inside `properties`). */
export interface RuleFixture {
  name: string
  priority: number
  direction: 'Inbound' | 'Outbound'
  access: 'Allow' | 'Deny'
  protocol: string
  sourceAddressPrefix?: string
  sourceAddressPrefixes?: string[]
  destinationAddressPrefix?: string
  destinationAddressPrefixes?: string[]
  destinationPortRange?: string
  destinationPortRanges?: string[]
}

/** What the stand-in read out of an uploaded PFX with openssl. */
export interface ReceivedPfx {
  /** The shrouded key bag's encryption as `openssl pkcs12 -info` names it. */
  readonly keyBagEncryption: string | undefined
  /** Leaf first (bag order as openssl prints it), PEM. */
  readonly chainPem: readonly string[]
  readonly keyPem: string | undefined
  /** Why the managed domain refuses it, when it does. */
  readonly problem: string | undefined
  /** The ldapsSettings sent beside the PFX. */
  readonly ldaps: string | undefined
  readonly externalAccess: string | undefined
  /** pfxCertificatePassword as sent (so a test can look for it in the action's output). */
  readonly password: string
}

/** How the certificate update behaves; reset() restores these. */
export interface UpdateBehaviour {
  /** Milliseconds the operation runs before it succeeds (or fails). */
  durationMs: number
  /** Never finishes (InProgress forever). */
  hang: boolean
  /** Answer the PATCH with 409 Conflict (another operation in progress). */
  conflict: boolean
  /**
   * Fail the operation as the service does for a PFX it cannot open (a wrong password gets
   * "The certificate or password provided for LDAPs is invalid"), whatever openssl says of it.
   */
  refuseCertificate: boolean
}

export interface EntraDsArm {
  /** What each certificate PATCH carried, in order. */
  readonly received: ReceivedPfx[]
  readonly update: UpdateBehaviour
  /** Called when an update succeeds: the managed domain now has this certificate (make the endpoint serve it). */
  onInstalled: ((pair: { chainPem: string; keyPem: string }) => void) | undefined
  /** Set to the ARM stand-in's URL once it listens (nextLink is absolute). */
  url: string
  readonly extension: ArmExtension
  /** Items per list page (nextLink beyond). */
  pageSize: number
  addManagedDomain(d: ManagedDomainFixture): void
  removeManagedDomains(): void
  /** The managed domain with this resource name as the stand-in holds it now (after any update). */
  managedDomain(name: string): ManagedDomainFixture | undefined
  /** A subnet; `nsgId` undefined means no NSG associated. */
  addSubnet(subnetId: string, addressPrefix: string, nsgId?: string): void
  /** An NSG with its custom rules; the six default rules are added as Azure does. */
  addNsg(nsgId: string, rules: RuleFixture[]): void
  /** Resource groups that exist (besides those holding fixtures). */
  addResourceGroup(subscription: string, resourceGroup: string): void
  /** action (e.g. Microsoft.Network/networkSecurityGroups/read) denied to every principal. */
  readonly deniedActions: Set<string>
  /** Every request this extension answered. */
  readonly requests: ArmRequest[]
  reset(): void
}

/** The uploaded certificate's thumbprint in managedDomainFixture. */
export const FIXTURE_THUMBPRINT = '9154A390F0C387D679E0DD040701745CDFED67F3'

/**
 * The managed domain the Entra tests start from: aaddscontoso.com in rg-aadds, secure LDAP and
 * internet access on, a certificate valid 400 more days, one replica set in West US on `subnetId`
 * with external IP 20.30.40.50; `over` replaces any of it.
 */
export function managedDomainFixture(subnetId: string, over: Partial<ManagedDomainFixture> = {}): ManagedDomainFixture {
  return {
    subscription: SUBSCRIPTION,
    resourceGroup: 'rg-aadds',
    name: 'aaddscontoso.com',
    domainName: 'aaddscontoso.com',
    ldaps: 'Enabled',
    externalAccess: 'Enabled',
    certificateThumbprint: FIXTURE_THUMBPRINT,
    certificateNotAfter: new Date(Date.now() + 400 * 86_400_000).toISOString(),
    replicaSets: [{ location: 'West US', subnetId, externalAccessIpAddress: '20.30.40.50' }],
    ...over
  }
}

/**
 * The action's settings for the Entra stage alone (provider none), signing in as the reader
 * application to the ARM stand-in at `armUrl`, with action.yml's defaults and `over`.
 */
export function entraStageSettings(armUrl: string, over: Record<string, string> = {}): Settings {
  const env = runnerInputEnv({
    provider: 'none',
    'entra-domain-name': 'aaddscontoso.com',
    'azure-subscription-id': SUBSCRIPTION,
    'azure-client-id': READER_CLIENT,
    'azure-tenant-id': TENANT,
    'azure-client-secret': CLIENT_SECRET,
    'azure-resource-manager-endpoint': armUrl,
    'wait-for-propagation': 'false',
    ...over
  })
  return parseInputs(name => env[`INPUT_${name.toUpperCase()}`] ?? '').settings
}

export function subnetIdOf(subscription: string, rg: string, vnet: string, subnet: string): string {
  return `/subscriptions/${subscription}/resourceGroups/${rg}/providers/Microsoft.Network/virtualNetworks/${vnet}/subnets/${subnet}`
}

export function nsgIdOf(subscription: string, rg: string, name: string): string {
  return `/subscriptions/${subscription}/resourceGroups/${rg}/providers/Microsoft.Network/networkSecurityGroups/${name}`
}

const DEFAULT_RULES: RuleFixture[] = [
  { name: 'AllowVnetInBound', priority: 65000, direction: 'Inbound', access: 'Allow', protocol: '*', sourceAddressPrefix: 'VirtualNetwork', destinationAddressPrefix: 'VirtualNetwork', destinationPortRange: '*' },
  { name: 'AllowAzureLoadBalancerInBound', priority: 65001, direction: 'Inbound', access: 'Allow', protocol: '*', sourceAddressPrefix: 'AzureLoadBalancer', destinationAddressPrefix: '*', destinationPortRange: '*' },
  { name: 'DenyAllInBound', priority: 65500, direction: 'Inbound', access: 'Deny', protocol: '*', sourceAddressPrefix: '*', destinationAddressPrefix: '*', destinationPortRange: '*' },
  { name: 'AllowVnetOutBound', priority: 65000, direction: 'Outbound', access: 'Allow', protocol: '*', sourceAddressPrefix: 'VirtualNetwork', destinationAddressPrefix: 'VirtualNetwork', destinationPortRange: '*' },
  { name: 'AllowInternetOutBound', priority: 65001, direction: 'Outbound', access: 'Allow', protocol: '*', sourceAddressPrefix: '*', destinationAddressPrefix: 'Internet', destinationPortRange: '*' },
  { name: 'DenyAllOutBound', priority: 65500, direction: 'Outbound', access: 'Deny', protocol: '*', sourceAddressPrefix: '*', destinationAddressPrefix: '*', destinationPortRange: '*' }
] // prettier-ignore

const DEFAULT_UPDATE: UpdateBehaviour = { durationMs: 1500, hang: false, conflict: false, refuseCertificate: false }

interface Operation {
  readonly id: string
  readonly domain: ManagedDomainFixture
  readonly startedAt: number
  readonly pfx: ReceivedPfx
  done: boolean
}

export function createEntraDsArm(): EntraDsArm {
  const domains: ManagedDomainFixture[] = []
  const operations = new Map<string, Operation>()
  const received: ReceivedPfx[] = []
  const subnets = new Map<string, { id: string; addressPrefix: string; nsgId?: string | undefined }>()
  const nsgs = new Map<string, { id: string; rules: RuleFixture[] }>()
  const groups = new Set<string>()
  const deniedActions = new Set<string>()
  const requests: ArmRequest[] = []
  const key = (id: string): string => id.toLowerCase().replace(/\/+$/, '')
  const groupKey = (sub: string, rg: string): string => `${sub}/${rg}`.toLowerCase()

  const self: EntraDsArm = {
    url: '',
    pageSize: 1,
    received,
    update: { ...DEFAULT_UPDATE },
    onInstalled: undefined,
    deniedActions,
    requests,
    addManagedDomain(d) {
      domains.push(structuredClone(d))
      groups.add(groupKey(d.subscription, d.resourceGroup))
    },
    removeManagedDomains: () => void (domains.length = 0),
    managedDomain: name => domains.find(d => d.name.toLowerCase() === name.toLowerCase()),
    addSubnet(id, addressPrefix, nsgId) {
      subnets.set(key(id), { id, addressPrefix, nsgId })
      const m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\//i.exec(id)!
      groups.add(groupKey(m[1]!, m[2]!))
    },
    addNsg(id, rules) {
      nsgs.set(key(id), { id, rules: structuredClone(rules) })
      const m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\//i.exec(id)!
      groups.add(groupKey(m[1]!, m[2]!))
    },
    addResourceGroup: (sub, rg) => void groups.add(groupKey(sub, rg)),
    reset() {
      domains.length = 0
      subnets.clear()
      nsgs.clear()
      groups.clear()
      deniedActions.clear()
      requests.length = 0
      self.pageSize = 1
      operations.clear()
      received.length = 0
      Object.assign(self.update, DEFAULT_UPDATE)
      self.onInstalled = undefined
    },
    extension: (request, principal, answer) => {
      const segments = request.path.split('/').filter(s => s !== '')
      const lower = segments.map(s => s.toLowerCase())
      const providerAt = lower.indexOf('providers')
      const provider = lower[providerAt + 1]
      if (lower[0] !== 'subscriptions' || (provider !== 'microsoft.aad' && !isNetworkRead(lower, providerAt)))
        return false
      requests.push(request)
      const versions = provider === 'microsoft.aad' ? AAD_VERSIONS : NETWORK_VERSIONS
      const version = request.query['api-version']
      if (version === undefined) {
        answer(400, {
          error: {
            code: 'MissingApiVersionParameter',
            message: 'The api-version query parameter (?api-version=) is required for all requests.'
          }
        })
        return true
      }
      if (!versions.includes(version)) {
        answer(400, {
          error: {
            code: 'NoRegisteredProviderFound',
            message: `No registered resource provider found for location 'westus' and API version '${version}' for type '${segments[providerAt + 2]}'. The supported api-versions are '${versions.join(', ')}'.`
          }
        })
        return true
      }
      if (provider === 'microsoft.aad' && lower[providerAt + 2] === 'locations') {
        if (!authorize(principal, 'Microsoft.AAD/locations/operationresults/read', `/${segments.join('/')}`, answer))
          return true
        return serveOperation(lower[providerAt + 4], segments[providerAt + 5], request, answer)
      }
      if (provider === 'microsoft.aad' && request.method === 'PATCH' && segments[providerAt + 3] !== undefined) {
        const scope = `/${segments.join('/')}`
        if (!authorize(principal, 'Microsoft.AAD/domainServices/write', scope, answer, true)) return true
        return updateDomain(segments[1]!, segments[3]!, segments[providerAt + 3]!, request, answer)
      }
      if (request.method !== 'GET') {
        answer(405, { error: { code: 'MethodNotAllowed', message: 'The stand-in serves reads only.' } })
        return true
      }
      const sub = segments[1]!
      const rg = lower[2] === 'resourcegroups' ? segments[3] : undefined
      const scope = `/${segments.join('/')}`
      if (provider === 'microsoft.aad') {
        if (!authorize(principal, 'Microsoft.AAD/domainServices/read', scope, answer)) return true
        return serveDomains(request, sub, rg, segments[providerAt + 3], answer)
      }
      const isSubnet = lower[providerAt + 2] === 'virtualnetworks'
      const action = isSubnet
        ? 'Microsoft.Network/virtualNetworks/subnets/read'
        : 'Microsoft.Network/networkSecurityGroups/read'
      if (!authorize(principal, action, scope, answer)) return true
      if (rg !== undefined && !groups.has(groupKey(sub, rg))) {
        answer(404, { error: { code: 'ResourceGroupNotFound', message: `Resource group '${rg}' could not be found.` } })
        return true
      }
      if (isSubnet) {
        const subnet = subnets.get(key(scope))
        if (subnet === undefined) {
          answer(404, { error: { code: 'NotFound', message: `Resource ${scope} not found.` } })
          return true
        }
        answer(200, subnetBody(subnet.id, subnet.addressPrefix, subnet.nsgId))
        return true
      }
      const nsg = nsgs.get(key(scope))
      if (nsg === undefined) {
        answer(404, resourceNotFound('Microsoft.Network/networkSecurityGroups', segments[providerAt + 3], rg))
        return true
      }
      answer(
        200,
        nsgBody(
          nsg.id,
          nsg.rules,
          [...subnets.values()].filter(s => s.nsgId !== undefined && key(s.nsgId) === key(nsg.id)).map(s => s.id)
        )
      )
      return true
    }
  }

  function isNetworkRead(lower: string[], providerAt: number): boolean {
    if (lower[providerAt + 1] !== 'microsoft.network') return false
    const type = lower[providerAt + 2]
    return (type === 'virtualnetworks' && lower[providerAt + 4] === 'subnets') || type === 'networksecuritygroups'
  }

  function authorize(principal: Principal, action: string, scope: string, answer: ArmAnswer, write = false): boolean {
    const allowed = write ? principal.role === 'contributor' : principal.role !== 'none'
    if (allowed && !deniedActions.has(action)) return true
    answer(403, authorizationFailed(principal, action, scope))
    return false
  }

  function updateDomain(
    sub: string,
    rg: string,
    name: string,
    request: ArmRequest,
    answer: ArmExtensionAnswer
  ): boolean {
    const d = domains.find(
      x =>
        x.subscription.toLowerCase() === sub.toLowerCase() &&
        x.resourceGroup.toLowerCase() === rg.toLowerCase() &&
        x.name.toLowerCase() === name.toLowerCase()
    )
    if (d === undefined) {
      answer(404, resourceNotFound('Microsoft.AAD/domainServices', name, rg))
      return true
    }
    const running = [...operations.values()].some(o => o.domain === d && !o.done)
    if (self.update.conflict || running) {
      answer(409, {
        error: {
          code: 'Conflict',
          message: `The managed domain '${name}' is being updated by another operation. Retry once it has completed.`
        }
      })
      return true
    }
    const ldapsSettings = request.body?.properties?.ldapsSettings
    if (ldapsSettings === undefined || typeof ldapsSettings.pfxCertificate !== 'string') {
      answer(400, {
        error: { code: 'InvalidRequestContent', message: 'properties.ldapsSettings.pfxCertificate is required.' }
      })
      return true
    }
    const inspected = inspectPfx(ldapsSettings.pfxCertificate, String(ldapsSettings.pfxCertificatePassword ?? ''))
    const pfx = {
      ...inspected,
      problem: self.update.refuseCertificate ? 'The password does not open the PFX.' : inspected.problem,
      password: String(ldapsSettings.pfxCertificatePassword ?? ''),
      ldaps: ldapsSettings.ldaps as string | undefined,
      externalAccess: ldapsSettings.externalAccess as string | undefined
    }
    received.push(pfx)
    const operation: Operation = { id: randomUUID(), domain: d, startedAt: Date.now(), pfx, done: false }
    operations.set(operation.id, operation)
    const base = `${self.url}/subscriptions/${sub}/providers/Microsoft.AAD/locations/westus`
    const version = request.query['api-version']
    answer(202, domainBody(d, 'Updating'), {
      Location: `${base}/operationResults/${operation.id}?api-version=${version}`,
      'Azure-AsyncOperation': `${base}/operationStatuses/${operation.id}?api-version=${version}`,
      'Retry-After': '1'
    })
    return true
  }

  /** The operation's state now; finishing it (success or the async failure) on the first look after its duration. */
  function progress(operation: Operation): 'InProgress' | 'Succeeded' | 'Failed' {
    if (self.update.hang || Date.now() - operation.startedAt < self.update.durationMs) return 'InProgress'
    if (operation.pfx.problem !== undefined) {
      operation.done = true
      return 'Failed'
    }
    if (!operation.done) {
      operation.done = true
      const d = operation.domain
      const leaf = new X509Certificate(operation.pfx.chainPem[0]!)
      d.certificateThumbprint = leaf.fingerprint.replace(/:/g, '')
      d.certificateNotAfter = new Date(leaf.validTo).toISOString()
      d.publicCertificate = leaf.raw.toString('base64')
      d.ldaps = (operation.pfx.ldaps ?? 'Disabled') as ManagedDomainFixture['ldaps']
      d.externalAccess = (operation.pfx.externalAccess ?? 'Disabled') as ManagedDomainFixture['externalAccess']
      self.onInstalled?.({ chainPem: operation.pfx.chainPem.join(''), keyPem: operation.pfx.keyPem! })
    }
    return 'Succeeded'
  }

  function serveOperation(
    kind: string | undefined,
    id: string | undefined,
    request: ArmRequest,
    answer: ArmExtensionAnswer
  ): boolean {
    const operation = id === undefined ? undefined : operations.get(id)
    if (operation === undefined || request.method !== 'GET') {
      answer(404, { error: { code: 'NotFound', message: `Operation ${id ?? ''} not found.` } })
      return true
    }
    const status = progress(operation)
    const error =
      status === 'Failed'
        ? {
            code: 'InvalidLdapsCertificate',
            message: `The certificate or password provided for LDAPs is invalid. ${operation.pfx.problem}`
          }
        : undefined
    if (kind === 'operationstatuses') {
      answer(
        200,
        {
          id: `${request.path}`,
          name: operation.id,
          status,
          startTime: new Date(operation.startedAt).toISOString(),
          ...(error === undefined ? {} : { error })
        },
        status === 'InProgress' ? { 'Retry-After': '1' } : {}
      )
      return true
    }
    // operationResults (Location): 202 while running, then the resource, or the error.
    if (status === 'InProgress') answer(202, '', { 'Retry-After': '1' })
    else if (status === 'Failed') answer(400, { error })
    else answer(200, domainBody(operation.domain))
    return true
  }

  function serveDomains(
    request: ArmRequest,
    sub: string,
    rg: string | undefined,
    name: string | undefined,
    answer: ArmAnswer
  ): boolean {
    const inScope = domains.filter(
      d =>
        d.subscription.toLowerCase() === sub.toLowerCase() &&
        (rg === undefined || d.resourceGroup.toLowerCase() === rg.toLowerCase())
    )
    if (rg !== undefined && !groups.has(groupKey(sub, rg))) {
      answer(404, { error: { code: 'ResourceGroupNotFound', message: `Resource group '${rg}' could not be found.` } })
      return true
    }
    if (name !== undefined) {
      const d = inScope.find(x => x.name.toLowerCase() === name.toLowerCase())
      if (d === undefined) {
        answer(404, resourceNotFound('Microsoft.AAD/domainServices', name, rg))
        return true
      }
      answer(200, domainBody(d))
      return true
    }
    const start = Number(request.query['$skipToken'] ?? '0')
    const page = inScope.slice(start, start + self.pageSize)
    const next = start + self.pageSize < inScope.length ? start + self.pageSize : undefined
    answer(200, {
      value: page.map(d => domainBody(d)),
      ...(next === undefined
        ? {}
        : { nextLink: `${self.url}${request.path}?api-version=${request.query['api-version']}&$skipToken=${next}` })
    })
    return true
  }

  return self
}

type ArmExtensionAnswer = (status: number, body: unknown, headers?: Record<string, string>) => void

/** Opens a base64 PFX with the openssl CLI and says what the managed domain would make of it. */
export function inspectPfx(
  base64: string,
  password: string
): Omit<ReceivedPfx, 'ldaps' | 'externalAccess' | 'password'> {
  const dir = mkdtempSync(join(tmpdir(), 'entra-pfx-'))
  try {
    const file = join(dir, 'upload.pfx')
    writeFileSync(file, Buffer.from(base64, 'base64'))
    writeFileSync(join(dir, 'pass'), password)
    const run = (args: string[]): { out: string; err: string; ok: boolean } => {
      // openssl pkcs12 -info writes the bag descriptions to stderr.
      const result = spawnSync('openssl', args, { encoding: 'utf8', timeout: 20_000 })
      return { out: result.stdout ?? '', err: result.stderr ?? '', ok: result.status === 0 }
    }
    const pass = `file:${join(dir, 'pass')}`
    const info = run(['pkcs12', '-in', file, '-info', '-noout', '-passin', pass])
    if (!info.ok) {
      return {
        keyBagEncryption: undefined,
        chainPem: [],
        keyPem: undefined,
        problem: 'openssl cannot open it with the password (or its MAC is wrong).'
      }
    }
    const keyBagEncryption = /Shrouded Keybag: ([^,\n]+)/.exec(info.err + info.out)?.[1]?.trim()
    const certs = run(['pkcs12', '-in', file, '-nokeys', '-passin', pass]).out
    const keys = run(['pkcs12', '-in', file, '-nocerts', '-nodes', '-passin', pass]).out
    const chainPem = certs.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n?/g) ?? []
    const keyPem = /-----BEGIN (?:RSA )?PRIVATE KEY-----[\s\S]*?-----END (?:RSA )?PRIVATE KEY-----\n?/.exec(keys)?.[0]
    // Leaf first: the one whose key is in the PFX.
    const keySpki =
      keyPem === undefined
        ? undefined
        : createPublicKey(createPrivateKey(keyPem)).export({ type: 'spki', format: 'der' })
    const leafIndex = chainPem.findIndex(
      pem =>
        keySpki !== undefined &&
        new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' }).equals(keySpki)
    )
    const ordered = leafIndex < 0 ? chainPem : [chainPem[leafIndex]!, ...chainPem.filter((_, i) => i !== leafIndex)]
    let problem: string | undefined
    if (keyBagEncryption !== 'pbeWithSHA1And3-KeyTripleDES-CBC')
      problem = `The PFX is not TripleDES-SHA1 encrypted (${keyBagEncryption ?? 'no shrouded key bag'}).`
    else if (keyPem === undefined) problem = 'The PFX holds no private key.'
    else if (leafIndex < 0) problem = 'No certificate in the PFX matches its private key.'
    else if (ordered.length < 2) problem = 'The PFX holds no intermediate certificate.'
    return { keyBagEncryption, chainPem: ordered, keyPem, problem }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function domainBody(d: ManagedDomainFixture, provisioningState = 'Succeeded'): unknown {
  const syncOwner = randomUUID()
  return {
    id: `/subscriptions/${d.subscription}/resourceGroups/${d.resourceGroup}/providers/Microsoft.AAD/DomainServices/${d.name}`,
    name: d.name,
    type: 'Microsoft.AAD/DomainServices',
    location: 'westus',
    etag: `W/"datetime'${new Date().toISOString()}'"`,
    properties: {
      version: 2,
      tenantId: '3b0d5c7e-8a14-4f2b-b6e9-1c7a9d2e5f40',
      domainName: d.domainName,
      deploymentId: randomUUID(),
      syncOwner,
      provisioningState,
      sku: 'Standard',
      domainConfigurationType: 'FullySynced',
      filteredSync: 'Disabled',
      replicaSets: d.replicaSets.map((r, i) => ({
        replicaSetId: i === 0 ? syncOwner : randomUUID(),
        location: r.location,
        vnetSiteId: randomUUID(),
        subnetId: r.subnetId,
        domainControllerIpAddress: r.domainControllerIpAddress ?? ['10.0.0.4', '10.0.0.5'],
        ...(r.externalAccessIpAddress === undefined ? {} : { externalAccessIpAddress: r.externalAccessIpAddress }),
        serviceStatus: 'Running',
        healthLastEvaluated: 'Tue, 25 Nov 2026 02:43:21 GMT',
        healthMonitors: [
          { id: 'AADDS501', name: 'Backup', details: 'Last backed up on Tue, 25 Nov 2026 01:00:00 GMT' }
        ],
        healthAlerts: (r.healthAlerts ?? []).map(a => ({
          severity: '2',
          raised: '2026-11-24T01:55:40.78Z',
          lastDetected: '2026-11-25T01:55:40.78Z',
          ...a
        }))
      })),
      ldapsSettings: {
        ldaps: d.ldaps,
        externalAccess: d.externalAccess,
        ...(d.publicCertificate === undefined ? {} : { publicCertificate: d.publicCertificate }),
        ...(d.certificateThumbprint === undefined ? {} : { certificateThumbprint: d.certificateThumbprint }),
        ...(d.certificateNotAfter === undefined ? {} : { certificateNotAfter: d.certificateNotAfter })
      },
      domainSecuritySettings: {
        ntlmV1: 'Disabled',
        tlsV1: d.tlsV1 ?? 'Disabled',
        syncNtlmPasswords: 'Enabled',
        syncKerberosPasswords: 'Enabled',
        syncOnPremPasswords: 'Enabled',
        kerberosRc4Encryption: 'Disabled',
        kerberosArmoring: 'Disabled'
      },
      notificationSettings: { notifyGlobalAdmins: 'Enabled', notifyDcAdmins: 'Enabled', additionalRecipients: [] }
    }
  }
}

function subnetBody(id: string, addressPrefix: string, nsgId: string | undefined): unknown {
  return {
    name: id.split('/').at(-1),
    id,
    etag: `W/"${randomUUID()}"`,
    type: 'Microsoft.Network/virtualNetworks/subnets',
    properties: {
      provisioningState: 'Succeeded',
      addressPrefix,
      ...(nsgId === undefined ? {} : { networkSecurityGroup: { id: nsgId } }),
      delegations: [],
      serviceEndpoints: [],
      privateEndpointNetworkPolicies: 'Disabled',
      privateLinkServiceNetworkPolicies: 'Enabled'
    }
  }
}

function ruleBody(nsgId: string, rule: RuleFixture, kind: 'securityRules' | 'defaultSecurityRules'): unknown {
  const { name, ...properties } = rule
  return {
    name,
    id: `${nsgId}/${kind}/${name}`,
    etag: `W/"${randomUUID()}"`,
    type: `Microsoft.Network/networkSecurityGroups/${kind}`,
    properties: {
      sourcePortRange: '*',
      sourceAddressPrefixes: [],
      destinationAddressPrefixes: [],
      sourcePortRanges: [],
      destinationPortRanges: [],
      provisioningState: 'Succeeded',
      ...(properties.destinationAddressPrefix === undefined && properties.destinationAddressPrefixes === undefined
        ? { destinationAddressPrefix: '*' }
        : {}),
      ...properties
    }
  }
}

function nsgBody(id: string, rules: RuleFixture[], subnetIds: string[]): unknown {
  return {
    name: id.split('/').at(-1),
    id,
    etag: `W/"${randomUUID()}"`,
    type: 'Microsoft.Network/networkSecurityGroups',
    location: 'westus',
    properties: {
      provisioningState: 'Succeeded',
      resourceGuid: randomUUID(),
      securityRules: rules.map(r => ruleBody(id, r, 'securityRules')),
      defaultSecurityRules: DEFAULT_RULES.map(r => ruleBody(id, r, 'defaultSecurityRules')),
      subnets: subnetIds.map(s => ({ id: s }))
    }
  }
}
