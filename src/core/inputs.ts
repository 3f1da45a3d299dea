// The input contract: every action input parsed into one frozen Settings object, or every
// violation reported together. Pure apart from the injected `readFile` (for a ca-certificate given
// as a path), so it runs before anything touches the network. Defaults live only in action.yml;
// the runner applies them, so an empty value here means the user set it empty.

import { X509Certificate } from 'node:crypto'
import {
  embeddedIpv4,
  isInZone,
  nonPublicAddressRange,
  parseDomainName,
  parseIpAddress,
  unusableAddressReason,
  urlHost,
  type ParsedAddress
} from './names.ts'
import { checkBindName, checkDistinguishedName, checkSearchFilter } from './ldap-bind.ts'
import type {
  AzureEnvironment,
  AzureSettings,
  EntraNsgCheck,
  EntraSettings,
  HostPort,
  LdapBindSettings,
  Mode,
  ProviderName,
  ProviderSettings,
  Settings,
  TlsProtocol,
  TsigAlgorithm
} from './settings.ts'

export type GetInput = (name: string) => string
/**
 * Reads a file named by an input: its content (latin1), undefined when there is no file at the
 * path, or why it was refused (`{ refused: 'is a directory' }`) when something is there that must
 * not be read: a directory, FIFO, device, or a file over the size limit.
 */
export type ReadFile = (path: string) => string | undefined | { readonly refused: string }

/** propagation-timeout range in seconds, as action.yml and README state it. */
export const PROPAGATION_TIMEOUT_SECONDS = { min: 1, max: 3600 } as const

export interface InputViolation {
  readonly input: string
  readonly message: string
}

/** All input violations of one run; its message lists each as `input "name": rule`. */
export class InputError extends Error {
  readonly violations: readonly InputViolation[]
  constructor(violations: readonly InputViolation[]) {
    super(
      violations.length === 1
        ? `Invalid input: ${formatViolation(violations[0]!)}`
        : `${violations.length} invalid inputs:\n${violations.map(v => `  - ${formatViolation(v)}`).join('\n')}`
    )
    this.name = 'InputError'
    this.violations = violations
  }
}

export function formatViolation(v: InputViolation): string {
  return `input "${v.input}": ${v.message}`
}

export interface ParsedInputs {
  readonly settings: Settings
  /** Things that are allowed but probably not what the user meant. */
  readonly warnings: readonly InputViolation[]
}

const PROVIDERS: readonly ProviderName[] = ['azure', 'rfc2136', 'cloudflare', 'route53', 'none']
const MODES: readonly Mode[] = ['apply', 'check']
const PROTOCOLS: readonly TlsProtocol[] = ['ldaps', 'starttls', 'tls']
const AZURE_ENVIRONMENTS: readonly AzureEnvironment[] = ['AzureCloud', 'AzureUSGovernment', 'AzureChinaCloud']
const TSIG_ALGORITHMS: readonly TsigAlgorithm[] = [
  'hmac-sha256',
  'hmac-sha1',
  'hmac-sha224',
  'hmac-sha384',
  'hmac-sha512',
  'hmac-md5'
]
const PROVIDER_INPUT_PREFIX: Record<Exclude<ProviderName, 'none'>, string> = {
  azure: 'azure-',
  rfc2136: 'rfc2136-',
  cloudflare: 'cloudflare-',
  route53: 'route53-'
}
const PROVIDER_INPUTS = [
  'azure-subscription-id',
  'azure-resource-group',
  'azure-client-id',
  'azure-tenant-id',
  'azure-client-secret',
  'azure-resource-manager-endpoint',
  'cloudflare-api-token',
  'cloudflare-zone-id',
  'route53-hosted-zone-id',
  'rfc2136-server',
  'rfc2136-tsig-key-name',
  'rfc2136-tsig-secret'
] as const
// What to write into a required input that was left empty.
const REQUIRED_HINT: Record<string, string> = {
  domain: 'give the fully qualified LDAPS name, e.g. ldaps.contoso100.com',
  ip: "give the endpoint's external IP, e.g. 52.165.38.113",
  'azure-subscription-id':
    'give the subscription GUID of the DNS zone. provider is azure, the default when provider is not set; set provider to rfc2136, cloudflare, route53 or none for another DNS provider',
  'cloudflare-api-token': 'give an API token with Zone.DNS edit permission, e.g. ${{ secrets.CLOUDFLARE_API_TOKEN }}',
  'rfc2136-server': 'give the primary server as host[:port], e.g. ns1.contoso100.com or 192.0.2.53:53'
}
const SECRETS = new Set([
  'azure-client-secret',
  'cloudflare-api-token',
  'rfc2136-tsig-secret',
  'github-token',
  'ldap-bind-password'
])

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const RESOURCE_GROUP = /^[-\w.()]{1,90}$/u
const CLOUDFLARE_ZONE_ID = /^[0-9a-f]{32}$/
const ROUTE53_ZONE_ID = /^(?:\/hostedzone\/)?(Z[A-Z0-9]{1,31})$/
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/** Collects violations while reading inputs, so every problem is reported in one run. */
class Reader {
  readonly violations: InputViolation[] = []
  readonly warnings: InputViolation[] = []
  private readonly get: GetInput
  readonly readFile: ReadFile
  constructor(get: GetInput, readFile: ReadFile) {
    this.get = get
    this.readFile = readFile
  }

  raw(name: string): string {
    return this.get(name).trim()
  }

  fail(input: string, message: string): undefined {
    this.violations.push({ input, message })
    return undefined
  }

  warn(input: string, message: string): void {
    this.warnings.push({ input, message })
  }

  /** Shows a value in a message, unless the input is a secret. */
  shown(name: string, value: string): string {
    if (SECRETS.has(name)) return '(secret not shown)'
    return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value)
  }

  required(name: string): string | undefined {
    const value = this.raw(name)
    const hint = REQUIRED_HINT[name]
    return value === '' ? this.fail(name, `is required and was empty${hint === undefined ? '' : `: ${hint}`}`) : value
  }

  optional(name: string): string | undefined {
    const value = this.raw(name)
    return value === '' ? undefined : value
  }

  choice<T extends string>(name: string, choices: readonly T[]): T | undefined {
    const value = this.raw(name)
    const found = choices.find(c => c.toLowerCase() === value.toLowerCase())
    if (found !== undefined) return found
    return this.fail(name, `must be one of ${choices.join(', ')}, got ${this.shown(name, value)}`)
  }

  // YAML 1.2 core-schema booleans, as core.getBooleanInput accepts them.
  boolean(name: string): boolean | undefined {
    const value = this.raw(name)
    if (['true', 'True', 'TRUE'].includes(value)) return true
    if (['false', 'False', 'FALSE'].includes(value)) return false
    return this.fail(name, `must be true or false, got ${this.shown(name, value)}`)
  }

  wholeNumber(name: string, min: number, max: number): number | undefined {
    const value = this.raw(name)
    const rule = `must be a whole number from ${min} to ${max}, got ${this.shown(name, value)}`
    if (!/^[0-9]+$/.test(value)) return this.fail(name, rule)
    const n = Number(value)
    return Number.isSafeInteger(n) && n >= min && n <= max ? n : this.fail(name, rule)
  }

  domain(name: string, value: string): string | undefined {
    const fromUrl = urlHost(value)
    if (fromUrl !== undefined) {
      return this.fail(
        name,
        `must be the host name only, not a URL: write ${JSON.stringify(fromUrl || 'ldaps.contoso100.com')}, got ${this.shown(name, value)}`
      )
    }
    const checked = parseDomainName(value)
    if (checked.ok) return checked.value
    const example =
      name === 'domain' ? 'ldaps.contoso100.com' : name === 'zone' ? 'contoso100.com' : 'ns1.contoso100.com'
    return this.fail(name, `${checked.rule}, got ${this.shown(name, value)}; write a name such as ${example}`)
  }

  /** A host: an IP literal (canonicalised) or a DNS name. */
  host(name: string, value: string): string | undefined {
    const fromUrl = urlHost(value)
    if (fromUrl !== undefined) {
      return this.fail(
        name,
        `must be a host name or address only, not a URL: write ${JSON.stringify(fromUrl || 'ldaps.contoso100.com')}, got ${this.shown(name, value)}`
      )
    }
    const unbracketed = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value
    const ip = parseIpAddress(unbracketed)
    if (ip.ok) {
      const problem = endpointAddressProblem(ip.value, true)
      return problem === undefined ? ip.value.address : this.fail(name, `${problem}, got ${this.shown(name, value)}`)
    }
    const withPort = /^(?:\[([^\]]+)\]|([^:]+)):[0-9]+$/.exec(value)
    if (name === 'connect-to' && withPort !== null) {
      return this.fail(
        name,
        `must be a host name or address without a port: write ${JSON.stringify(withPort[1] ?? withPort[2])} and set the port input, got ${this.shown(name, value)}`
      )
    }
    if (/^[0-9.]+$/.test(value) || value.includes(':')) {
      return this.fail(name, `${ip.rule}, got ${this.shown(name, value)}`)
    }
    return this.domain(name, value)
  }

  /** `host[:port]` or `[ipv6]:port`; a bare IPv6 literal takes the default port. */
  hostPort(name: string, item: string, defaultPort: number): HostPort | undefined {
    const fromUrl = urlHost(item)
    if (fromUrl !== undefined) {
      return this.fail(
        name,
        `must be host[:port] without a scheme or path, not a URL: write ${JSON.stringify(fromUrl || 'ns1.contoso100.com')} (a port as host:port), got ${this.shown(name, item)}`
      )
    }
    let host = item
    let portText: string | undefined
    const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(item)
    if (bracketed) {
      host = bracketed[1]!
      portText = bracketed[2]
    } else if ((item.match(/:/g) ?? []).length === 1) {
      ;[host, portText] = item.split(':') as [string, string]
    }
    let port = defaultPort
    if (portText !== undefined) {
      if (!/^[0-9]{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
        return this.fail(name, `port must be a whole number from 1 to 65535, got ${this.shown(name, item)}`)
      }
      port = Number(portText)
    }
    const checkedHost = this.host(name, host)
    return checkedHost === undefined ? undefined : { host: checkedHost, port }
  }

  hostPortList(name: string, defaultPort: number): HostPort[] {
    const value = this.raw(name)
    if (value === '') return []
    if (/[;\s]/.test(value.replace(/\s*,\s*/g, ','))) {
      this.fail(
        name,
        `must separate its entries with commas, e.g. "8.8.8.8, 1.1.1.1" (not semicolons, spaces or lines), got ${this.shown(name, value)}`
      )
      return []
    }
    const items = value.split(',').map(s => s.trim())
    if (items.some(s => s === '')) {
      this.fail(
        name,
        `must be a comma-separated list of host[:port] without empty items, got ${this.shown(name, value)}`
      )
      return []
    }
    return items.flatMap(item => this.hostPort(name, item, defaultPort) ?? [])
  }
}

/**
 * Reads every input through `get` (core.getInput in the action) and returns the validated
 * settings, or throws one InputError listing every violation.
 */
export function parseInputs(get: GetInput, readFile: ReadFile = () => undefined): ParsedInputs {
  const r = new Reader(get, readFile)

  // With entra-domain-name, ip and domain may be empty: the managed domain supplies them.
  const entraOn = r.raw('entra-domain-name') !== ''
  const domainRaw = entraOn ? r.optional('domain') : r.required('domain')
  let domain = domainRaw === undefined ? undefined : r.domain('domain', domainRaw)
  if (domain !== undefined && !domain.includes('.')) {
    domain = r.fail(
      'domain',
      `must be a fully qualified name such as ldaps.contoso100.com, got ${r.shown('domain', domainRaw ?? '')}`
    )
  }
  const address = entraOn && r.raw('ip') === '' ? undefined : parseEndpointAddress(r)
  const provider = r.choice('provider', PROVIDERS)
  const mode = r.choice('mode', MODES)
  const ttl = r.wholeNumber('ttl', 1, 2147483647)
  const zoneRaw = r.optional('zone')
  const zone = zoneRaw === undefined ? undefined : r.domain('zone', zoneRaw)
  if (domain !== undefined && zone !== undefined && !isInZone(domain, zone)) {
    r.fail('zone', `must be "${domain}" or one of its parent domains, got ${r.shown('zone', zoneRaw ?? '')}`)
  }
  const providerSettings = provider === undefined ? undefined : parseProvider(r, provider)

  const wait = r.boolean('wait-for-propagation')
  const timeoutSeconds = r.wholeNumber(
    'propagation-timeout',
    PROPAGATION_TIMEOUT_SECONDS.min,
    PROPAGATION_TIMEOUT_SECONDS.max
  )
  const resolvers = r.hostPortList('resolver', 53)
  const nameservers = r.hostPortList('nameservers', 53)

  const verify = r.boolean('verify-certificate')
  const protocol = r.choice('protocol', PROTOCOLS)
  const port = r.wholeNumber('port', 1, 65535)
  const connectToRaw = r.optional('connect-to')
  const connectTo = connectToRaw === undefined ? address?.address : r.host('connect-to', connectToRaw)
  const trustAnchorsPem = parseTrustAnchors(r)
  const minDaysValid = r.wholeNumber('min-days-valid', 0, 3650)
  const expectedFingerprint = parseFingerprint(r)
  if (protocol === 'starttls' && port === 636) {
    r.warn('port', 'is 636 with protocol starttls; StartTLS is normally offered on the plain LDAP port 389')
  }

  const failOnDrift = r.boolean('fail-on-drift')
  const openIssue = r.boolean('drift-issue')
  const githubToken = r.raw('github-token')
  if (openIssue === true && githubToken === '') {
    r.fail('github-token', 'is required when drift-issue is true (give a token with issues: write)')
  }
  if (openIssue === true && mode === 'apply') {
    r.warn('drift-issue', 'only acts in mode check; it is ignored in mode apply')
  }

  const ldapBind = parseLdapBind(r, verify, protocol)
  const entra = entraOn ? parseEntra(r, providerSettings, { domainRaw, connectToRaw }) : undefined

  if (r.violations.length > 0) throw new InputError(r.violations)

  // Every field below was checked above; an undefined here would have added a violation.
  const settings: Settings = deepFreeze({
    domain: domain ?? '',
    ip: address?.address ?? '',
    recordType: address?.family === 6 ? 'AAAA' : 'A',
    mode: mode!,
    ttl: ttl!,
    zone,
    provider: providerSettings!,
    propagation: { wait: wait!, timeoutSeconds: timeoutSeconds!, resolvers, nameservers },
    certificate: {
      verify: verify!,
      protocol: protocol!,
      port: port!,
      connectTo: connectTo ?? '',
      trustAnchorsPem,
      minDaysValid: minDaysValid!,
      expectedFingerprint
    },
    drift: { failOnDrift: failOnDrift!, openIssue: openIssue!, githubToken },
    entra,
    ...(ldapBind === undefined ? {} : { ldapBind })
  })
  return { settings, warnings: r.warnings }
}

function parseEndpointAddress(r: Reader): ParsedAddress | undefined {
  const raw = r.required('ip')
  if (raw === undefined) return undefined
  const fromUrl = urlHost(raw)
  if (fromUrl !== undefined) {
    return r.fail(
      'ip',
      `must be the endpoint's IP address only, not a URL: write ${JSON.stringify(fromUrl.replace(/^\[|\]$/g, '') || '52.165.38.113')}, got ${r.shown('ip', raw)}`
    )
  }
  const checked = parseIpAddress(raw)
  if (!checked.ok) return r.fail('ip', `${checked.rule}, got ${r.shown('ip', raw)}`)
  const problem = endpointAddressProblem(checked.value, false)
  if (problem !== undefined) return r.fail('ip', `${problem}, got ${r.shown('ip', raw)}`)
  const range = nonPublicAddressRange(checked.value)
  if (range !== undefined) {
    r.warn(
      'ip',
      `${checked.value.address} is a ${range} address, not reachable from the internet; clients outside that network cannot use this name`
    )
  }
  return checked.value
}

/**
 * Why an IP literal cannot be `ip` (connectTarget false) or a server this action connects to
 * (connect-to, resolver, nameservers, rfc2136-server), or undefined when it can.
 * IPv4 link-local stays allowed for servers (cloud resolvers such as 169.254.169.253 live there);
 * IPv6 link-local does not, since it needs a zone id, which these inputs do not take.
 */
function endpointAddressProblem(address: ParsedAddress, connectTarget: boolean): string | undefined {
  const embedded = embeddedIpv4(address)
  if (embedded !== undefined) {
    return `must be written as the IPv4 address ${embedded.ipv4} itself, not as ${embedded.kind}${connectTarget ? '' : ' (that would publish an AAAA record no client can use)'}`
  }
  const unusable = unusableAddressReason(address)
  if (unusable !== undefined) {
    return `must be a unicast address a client can connect to (${address.address} is ${unusable}); give the ${connectTarget ? "server's" : "endpoint's"} own address`
  }
  if (connectTarget && address.family === 6 && nonPublicAddressRange(address) === 'link-local') {
    return `must not be an IPv6 link-local address (fe80::/10 needs a zone id, which this input does not take); give a global or unique local address`
  }
  return undefined
}

function parseProvider(r: Reader, provider: ProviderName): ProviderSettings | undefined {
  // Inputs of another provider are ignored; say so, since a typo in `provider` is the likely cause.
  for (const name of PROVIDER_INPUTS) {
    if (r.raw(name) !== '' && (provider === 'none' || !name.startsWith(PROVIDER_INPUT_PREFIX[provider]))) {
      if (r.raw('entra-domain-name') !== '' && ENTRA_AZURE_INPUTS.has(name)) continue
      const owner = (Object.keys(PROVIDER_INPUT_PREFIX) as (keyof typeof PROVIDER_INPUT_PREFIX)[]).find(p =>
        name.startsWith(PROVIDER_INPUT_PREFIX[p])
      )
      r.warn(
        name,
        `is set but ignored with provider ${provider}${provider === 'azure' ? ' (the default)' : ''}; set provider: ${owner} to use it`
      )
    }
  }
  switch (provider) {
    case 'none':
      return { kind: 'none' }
    case 'azure':
      return parseAzure(r)
    case 'rfc2136':
      return parseRfc2136(r)
    case 'cloudflare':
      return parseCloudflare(r)
    case 'route53':
      return parseRoute53(r)
  }
}

function parseAzure(r: Reader, subscriptionInput = 'azure-subscription-id'): AzureSettings {
  const subscriptionId = r.required(subscriptionInput)
  if (subscriptionId !== undefined && !GUID.test(subscriptionId)) {
    r.fail(
      subscriptionInput,
      `must be a subscription GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx), got ${r.shown(subscriptionInput, subscriptionId)}`
    )
  }
  const resourceGroup = r.optional('azure-resource-group')
  if (resourceGroup !== undefined && (!RESOURCE_GROUP.test(resourceGroup) || resourceGroup.endsWith('.'))) {
    r.fail(
      'azure-resource-group',
      `must be 1 to 90 letters, digits, underscores, hyphens, periods or parentheses, not ending in a period, got ${r.shown('azure-resource-group', resourceGroup)}`
    )
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

// --- Entra Domain Services (entra-* inputs) ---

const ENTRA_NSG_CHECKS: readonly EntraNsgCheck[] = ['warn', 'fail', 'off']
/** azure-* inputs the Entra stage signs in with, whatever the DNS provider. */
const ENTRA_AZURE_INPUTS = new Set([
  'azure-subscription-id',
  'azure-client-id',
  'azure-tenant-id',
  'azure-client-secret',
  'azure-resource-manager-endpoint'
])

function parseEntra(
  r: Reader,
  provider: ProviderSettings | undefined,
  given: { domainRaw: string | undefined; connectToRaw: string | undefined }
): EntraSettings | undefined {
  const domainName = r.raw('entra-domain-name')
  // A resource name (1-19 characters in the portal) or a domain name; both are DNS-like labels.
  if (!/^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/.test(domainName) || domainName.endsWith('.')) {
    r.fail(
      'entra-domain-name',
      `must be the managed domain's name or DNS domain name, e.g. aaddscontoso.com, got ${r.shown('entra-domain-name', domainName)}`
    )
  }
  const resourceGroup = r.optional('entra-resource-group')
  if (resourceGroup !== undefined && (!RESOURCE_GROUP.test(resourceGroup) || resourceGroup.endsWith('.'))) {
    r.fail(
      'entra-resource-group',
      `must be 1 to 90 letters, digits, underscores, hyphens, periods or parentheses, not ending in a period, got ${r.shown('entra-resource-group', resourceGroup)}`
    )
  }
  const replicaSet = r.optional('entra-replica-set')
  if (replicaSet !== undefined && !/^[A-Za-z0-9][A-Za-z0-9 _-]{0,63}$/.test(replicaSet)) {
    r.fail(
      'entra-replica-set',
      `must be a replica set location such as westus or "West US", got ${r.shown('entra-replica-set', replicaSet)}`
    )
  }
  const nsgCheck = r.choice('entra-nsg-check', ENTRA_NSG_CHECKS)
  const subscriptionInput = r.raw('entra-subscription-id') !== '' ? 'entra-subscription-id' : 'azure-subscription-id'
  let azure: AzureSettings | undefined
  if (provider?.kind === 'azure') {
    // The sign-in inputs were read for Azure DNS already; only the subscription may differ.
    azure = provider
    if (subscriptionInput === 'entra-subscription-id') {
      const sub = r.raw('entra-subscription-id')
      if (!GUID.test(sub)) {
        r.fail(
          'entra-subscription-id',
          `must be a subscription GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx), got ${r.shown('entra-subscription-id', sub)}`
        )
      }
      azure = { ...provider, subscriptionId: sub.toLowerCase() }
    }
  } else {
    if (r.raw(subscriptionInput) === '') {
      r.fail('entra-subscription-id', 'is required with entra-domain-name (or give azure-subscription-id)')
    } else {
      azure = parseAzure(r, subscriptionInput)
    }
  }
  if (azure === undefined || nsgCheck === undefined) return undefined
  return {
    domainName: domainName.toLowerCase(),
    resourceGroup,
    replicaSet,
    nsgCheck,
    azure: { ...azure, resourceGroup },
    ipGiven: r.raw('ip') !== '',
    domainGiven: given.domainRaw !== undefined,
    connectToGiven: given.connectToRaw !== undefined
  }
}

function parseRfc2136(r: Reader): ProviderSettings | undefined {
  const serverRaw = r.required('rfc2136-server')
  const server = serverRaw === undefined ? undefined : r.hostPort('rfc2136-server', serverRaw, 53)
  const keyNameRaw = r.optional('rfc2136-tsig-key-name')
  const secret = r.optional('rfc2136-tsig-secret')
  const algorithm = r.choice('rfc2136-tsig-algorithm', TSIG_ALGORITHMS)
  if (keyNameRaw !== undefined && secret === undefined) {
    r.fail(
      'rfc2136-tsig-secret',
      'is required when rfc2136-tsig-key-name is set: give the base64 secret of that key, or leave both empty for unsigned updates'
    )
  }
  if (secret !== undefined && keyNameRaw === undefined) {
    r.fail(
      'rfc2136-tsig-key-name',
      'is required when rfc2136-tsig-secret is set: give the key\'s name as the server knows it (its key "…" clause)'
    )
  }
  if (secret !== undefined && (!BASE64.test(secret) || secret.length === 0)) {
    r.fail('rfc2136-tsig-secret', 'must be base64 (as in the key file\'s secret "…" line)')
  }
  let keyName: string | undefined
  if (keyNameRaw !== undefined) {
    // TSIG key names are DNS names, but BIND users often name keys with underscores.
    const checked = parseDomainName(keyNameRaw.replaceAll('_', '-'))
    if (!checked.ok)
      r.fail('rfc2136-tsig-key-name', `${checked.rule}, got ${r.shown('rfc2136-tsig-key-name', keyNameRaw)}`)
    else keyName = keyNameRaw.toLowerCase().replace(/\.$/, '')
  }
  if (keyNameRaw === undefined && secret === undefined) {
    r.warn(
      'rfc2136-tsig-key-name',
      'is empty: updates are sent unsigned, which only servers that allow updates by address accept'
    )
  }
  return {
    kind: 'rfc2136',
    server: server ?? { host: '', port: 53 },
    tsig:
      keyName !== undefined && secret !== undefined && algorithm !== undefined
        ? { name: keyName, secret, algorithm }
        : undefined
  }
}

function parseCloudflare(r: Reader): ProviderSettings | undefined {
  const apiToken = r.required('cloudflare-api-token')
  if (apiToken !== undefined && /\s/.test(apiToken)) {
    r.fail(
      'cloudflare-api-token',
      'must be one API token without whitespace (an API token, not "Bearer …" or a global key with email)'
    )
  }
  const zoneId = r.optional('cloudflare-zone-id')
  if (zoneId !== undefined && !CLOUDFLARE_ZONE_ID.test(zoneId)) {
    r.fail(
      'cloudflare-zone-id',
      `must be 32 lowercase hex digits (Overview page of the zone), got ${r.shown('cloudflare-zone-id', zoneId)}`
    )
  }
  return { kind: 'cloudflare', apiToken: apiToken ?? '', zoneId }
}

function parseRoute53(r: Reader): ProviderSettings | undefined {
  const raw = r.optional('route53-hosted-zone-id')
  let hostedZoneId: string | undefined
  if (raw !== undefined) {
    const m = ROUTE53_ZONE_ID.exec(raw)
    if (m === null) {
      r.fail(
        'route53-hosted-zone-id',
        `must be a hosted zone id such as Z1D633PJN98FT9 (optionally prefixed /hostedzone/), got ${r.shown('route53-hosted-zone-id', raw)}`
      )
    } else {
      hostedZoneId = m[1]
    }
  }
  return { kind: 'route53', hostedZoneId }
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g

/** ca-certificate: PEM text, base64 DER, or a path to a file holding either (or raw DER). */
function parseTrustAnchors(r: Reader): string[] {
  const name = 'ca-certificate'
  const value = r.raw(name)
  if (value === '') return []
  let text = value
  let source = 'the value'
  // Where a value that is neither PEM nor a file was looked for, and what to do about it.
  const noFile =
    `no file at ${r.shown(name, value)} (a relative path is resolved from the workspace, GITHUB_WORKSPACE: ` +
    'check the repository out first with actions/checkout, or give the PEM text itself)'
  let missingFile = false
  if (!value.includes('-----BEGIN')) {
    // A single line could be a path or base64 DER; a file of that name wins.
    const content = /[\r\n]/.test(value) ? undefined : r.readFile(value)
    if (typeof content === 'object') {
      r.fail(
        name,
        `${r.shown(name, value)} ${content.refused}; give the path of a regular PEM or DER file, or the PEM text itself`
      )
      return []
    }
    if (content !== undefined) {
      text = content.includes('-----BEGIN') ? content : Buffer.from(content, 'latin1').toString('base64')
      source = `the file ${value}`
    } else if (!BASE64.test(value.replace(/\s+/g, ''))) {
      r.fail(name, `must be PEM text, base64 DER or the path of a readable file; ${noFile}`)
      return []
    } else {
      missingFile = true
    }
  }
  const blocks = text.includes('-----BEGIN') ? (text.match(PEM_BLOCK) ?? []) : [text.replace(/\s+/g, '')]
  if (blocks.length === 0) {
    r.fail(
      name,
      `${source} holds no "-----BEGIN CERTIFICATE-----" block (a private key or PFX is not accepted here); give the CA certificate in PEM or DER form`
    )
    return []
  }
  const pems: string[] = []
  for (const [index, block] of blocks.entries()) {
    try {
      const der = block.startsWith('-----') ? block : Buffer.from(block, 'base64')
      pems.push(new X509Certificate(der).toString())
    } catch {
      r.fail(
        name,
        missingFile && blocks.length === 1
          ? `is neither base64 DER of an X.509 certificate nor a file path: ${noFile}`
          : `certificate ${index + 1} in ${source} does not parse as an X.509 certificate; give PEM text ("-----BEGIN CERTIFICATE-----" blocks) or base64 DER of a certificate`
      )
    }
  }
  return pems
}

function parseFingerprint(r: Reader): string | undefined {
  const raw = r.optional('expected-fingerprint')
  if (raw === undefined) return undefined
  const hex = raw
    .replace(/^sha256[:=]?/i, '')
    .replace(/[:\s]/g, '')
    .toLowerCase()
  if (!/^[0-9a-f]{64}$/.test(hex)) {
    return r.fail(
      'expected-fingerprint',
      `must be a SHA-256 fingerprint: 64 hex digits, colons allowed, got ${r.shown('expected-fingerprint', raw)}`
    )
  }
  return hex
}

/**
 * ldap-bind-*: the optional authenticated bind. Without ldap-bind-dn nothing is read. The password
 * is never shown: it is a secret input, and no rule here quotes it.
 */
function parseLdapBind(
  r: Reader,
  verify: boolean | undefined,
  protocol: TlsProtocol | undefined
): LdapBindSettings | undefined {
  const dn = r.optional('ldap-bind-dn')
  const password = r.raw('ldap-bind-password')
  const searchBase = r.optional('ldap-search-base')
  const searchFilter = r.raw('ldap-search-filter')
  if (dn === undefined) {
    for (const name of ['ldap-bind-password', 'ldap-search-base'] as const) {
      if (r.raw(name) !== '') r.warn(name, 'is set but ignored without ldap-bind-dn')
    }
    return undefined
  }
  // A password pasted into the wrong input is not quoted back either.
  const shown = (input: string, value: string): string =>
    r.shown(input, password === '' ? value : value.split(password).join('***'))
  const name = checkBindName(dn)
  if (!name.ok) r.fail('ldap-bind-dn', `${name.rule}, got ${shown('ldap-bind-dn', dn)}`)
  if (password === '') {
    r.fail(
      'ldap-bind-password',
      'is required with ldap-bind-dn (a DN with an empty password is an unauthenticated bind, which proves nothing)'
    )
  }
  if (verify === false) {
    r.fail(
      'ldap-bind-dn',
      'needs verify-certificate true: the credentials are only sent over a channel whose certificate was just verified'
    )
  }
  if (protocol === 'tls') {
    r.fail('ldap-bind-dn', 'needs protocol ldaps or starttls: protocol tls does not speak LDAP')
  }
  if (searchBase !== undefined) {
    const base = checkDistinguishedName(searchBase)
    if (!base.ok) {
      r.fail(
        'ldap-search-base',
        `must be a distinguished name such as DC=contoso100,DC=com; ${base.rule}, got ${shown('ldap-search-base', searchBase)}`
      )
    }
  }
  const filter = checkSearchFilter(searchFilter)
  if (!filter.ok) {
    r.fail(
      'ldap-search-filter',
      `must be an LDAP search filter (RFC 4515) such as (objectClass=*); ${filter.rule}, got ${shown('ldap-search-filter', searchFilter)}`
    )
  }
  return { dn, password, searchBase, searchFilter }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const inner of Object.values(value)) deepFreeze(inner)
  }
  return value
}
