// The input contract: every action input parsed into one frozen Settings object, or every
// violation reported together. Pure apart from the injected `readFile` (for a ca-certificate given
// as a path), so it runs before anything touches the network. Defaults live only in action.yml;
// the runner applies them, so an empty value here means the user set it empty.

import { X509Certificate, createPrivateKey } from 'node:crypto'
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
import {
  SECRET_INPUTS,
  type AzureSettings,
  type EntraNsgCheck,
  type EntraSettings,
  type HostPort,
  type LdapBindSettings,
  type Mode,
  type ProviderName,
  type ProviderSettings,
  type RenewalSettings,
  type Settings,
  type TlsProtocol
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

const MODES: readonly Mode[] = ['apply', 'check']
const PROTOCOLS: readonly TlsProtocol[] = ['ldaps', 'starttls', 'tls']
// What to write into a required input that was left empty (provider inputs give theirs to required()).
const REQUIRED_HINT: Record<string, string> = {
  domain: 'give the fully qualified LDAPS name, e.g. ldaps.contoso100.com',
  ip: "give the endpoint's external IP, e.g. 52.165.38.113"
}

/** Patterns that more than one input shares (provider modules use them too). */
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
export const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
const RESOURCE_GROUP = /^[-\w.()]{1,90}$/u

/** Why `value` cannot be an Azure resource group name, or undefined when it can. */
export function resourceGroupRule(value: string): string | undefined {
  return RESOURCE_GROUP.test(value) && !value.endsWith('.')
    ? undefined
    : 'must be 1 to 90 letters, digits, underscores, hyphens, periods or parentheses, not ending in a period'
}

/** One action input as a provider module declares it; action.yml holds the same name and description. */
export interface InputSpec {
  readonly name: string
  /** Required when this provider is chosen (action.yml marks every provider input optional). */
  readonly required: boolean
  /** Masked before anything runs, never shown in a message, redacted from every output. */
  readonly secret: boolean
  /** action.yml's default, when it has one; such an input is always set, so never "ignored". */
  readonly default?: string
  readonly description: string
}

/** The input side of a DNS provider module: what it reads and how it turns that into settings. */
export interface ProviderInputs<S extends ProviderSettings = ProviderSettings> {
  readonly name: S['kind']
  /** Every input of this provider; each name starts with `${name}-`. */
  readonly inputs: readonly InputSpec[]
  /** Reads the inputs through the reader, which collects every violation. */
  parse(r: InputReader): S
}

/** The sign-in of the Entra Domain Services stage, which reuses a provider's cloud sign-in inputs. */
export interface EntraSignInInputs {
  /** The provider whose settings already hold the sign-in when it is the DNS provider. */
  readonly provider: ProviderName
  /** The subscription input read when entra-subscription-id is empty. */
  readonly subscriptionInput: string
  /** Inputs the stage signs in with whatever the DNS provider: not "ignored" with the stage on. */
  readonly inputs: ReadonlySet<string>
  parse(r: InputReader, subscriptionInput: string): AzureSettings
}

/** The providers parseInputs knows, injected so that core names none of them. */
export interface InputRegistry {
  /** In the order messages list them; the first is the default provider (action.yml). */
  readonly providers: readonly ProviderInputs[]
  readonly entraSignIn: EntraSignInInputs
}

/** The violation-collecting reader that parseInputs and every provider module read inputs with. */
export type InputReader = Pick<
  Reader,
  | 'raw'
  | 'fail'
  | 'warn'
  | 'shown'
  | 'required'
  | 'optional'
  | 'choice'
  | 'boolean'
  | 'wholeNumber'
  | 'domain'
  | 'host'
  | 'hostPort'
  | 'hostPortList'
>

/** Collects violations while reading inputs, so every problem is reported in one run. */
class Reader {
  readonly violations: InputViolation[] = []
  readonly warnings: InputViolation[] = []
  private readonly get: GetInput
  readonly readFile: ReadFile
  private readonly secrets: ReadonlySet<string>
  constructor(get: GetInput, readFile: ReadFile, secrets: ReadonlySet<string>) {
    this.get = get
    this.readFile = readFile
    this.secrets = secrets
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
    if (this.secrets.has(name)) return '(secret not shown)'
    return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value)
  }

  /** `hint` says what to write into it when it was left empty. */
  required(name: string, hint: string | undefined = REQUIRED_HINT[name]): string | undefined {
    const value = this.raw(name)
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
export function parseInputs(
  get: GetInput,
  registry: InputRegistry,
  readFile: ReadFile = () => undefined
): ParsedInputs {
  const secrets = new Set<string>([
    ...SECRET_INPUTS,
    ...registry.providers.flatMap(p => p.inputs.filter(i => i.secret).map(i => i.name))
  ])
  const r = new Reader(get, readFile, secrets)

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
  const provider = r.choice('provider', [...registry.providers.map(p => p.name), 'none'] as ProviderName[])
  const mode = r.choice('mode', MODES)
  const ttl = r.wholeNumber('ttl', 1, 2147483647)
  const zoneRaw = r.optional('zone')
  const zone = zoneRaw === undefined ? undefined : r.domain('zone', zoneRaw)
  if (domain !== undefined && zone !== undefined && !isInZone(domain, zone)) {
    r.fail('zone', `must be "${domain}" or one of its parent domains, got ${r.shown('zone', zoneRaw ?? '')}`)
  }
  const providerSettings = provider === undefined ? undefined : parseProvider(r, registry, provider)

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
  const entra = entraOn ? parseEntra(r, registry.entraSignIn, providerSettings, { domainRaw, connectToRaw }) : undefined

  const renewal = parseRenewal(r, { entraOn, mode })

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
    ...(ldapBind === undefined ? {} : { ldapBind }),
    ...(renewal === undefined ? {} : { renewal })
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
 * (connect-to, resolver, nameservers, a provider's server), or undefined when it can.
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

function parseProvider(r: Reader, registry: InputRegistry, provider: ProviderName): ProviderSettings | undefined {
  const entraOn = r.raw('entra-domain-name') !== ''
  // Inputs of another provider are ignored; say so, since a typo in `provider` is the likely cause.
  // Inputs with a default are always set, so they cannot tell.
  for (const owner of registry.providers) {
    if (owner.name === provider) continue
    for (const input of owner.inputs) {
      if (input.default !== undefined || r.raw(input.name) === '') continue
      if (entraOn && registry.entraSignIn.inputs.has(input.name)) continue
      r.warn(
        input.name,
        `is set but ignored with provider ${provider}${provider === registry.providers[0]?.name ? ' (the default)' : ''}; set provider: ${owner.name} to use it`
      )
    }
  }
  return provider === 'none' ? { kind: 'none' } : registry.providers.find(p => p.name === provider)?.parse(r)
}

// --- Entra Domain Services (entra-* inputs) ---

const ENTRA_NSG_CHECKS: readonly EntraNsgCheck[] = ['warn', 'fail', 'off']

function parseEntra(
  r: Reader,
  signIn: EntraSignInInputs,
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
  const resourceGroupProblem = resourceGroup === undefined ? undefined : resourceGroupRule(resourceGroup)
  if (resourceGroupProblem !== undefined) {
    r.fail('entra-resource-group', `${resourceGroupProblem}, got ${r.shown('entra-resource-group', resourceGroup!)}`)
  }
  const replicaSet = r.optional('entra-replica-set')
  if (replicaSet !== undefined && !/^[A-Za-z0-9][A-Za-z0-9 _-]{0,63}$/.test(replicaSet)) {
    r.fail(
      'entra-replica-set',
      `must be a replica set location such as westus or "West US", got ${r.shown('entra-replica-set', replicaSet)}`
    )
  }
  const nsgCheck = r.choice('entra-nsg-check', ENTRA_NSG_CHECKS)
  const subscriptionInput = r.raw('entra-subscription-id') !== '' ? 'entra-subscription-id' : signIn.subscriptionInput
  let azure: AzureSettings | undefined
  if (provider?.kind === signIn.provider) {
    // The sign-in inputs were read for Azure DNS already; only the subscription may differ.
    azure = provider as AzureSettings
    if (subscriptionInput === 'entra-subscription-id') {
      const sub = r.raw('entra-subscription-id')
      if (!GUID.test(sub)) {
        r.fail(
          'entra-subscription-id',
          `must be a subscription GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx), got ${r.shown('entra-subscription-id', sub)}`
        )
      }
      azure = { ...azure, subscriptionId: sub.toLowerCase() }
    }
  } else {
    if (r.raw(subscriptionInput) === '') {
      r.fail('entra-subscription-id', `is required with entra-domain-name (or give ${signIn.subscriptionInput})`)
    } else {
      azure = signIn.parse(r, subscriptionInput)
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

// --- Certificate renewal (renew, acme-*, renew-timeout) ---

/** The named ACME directories acme-directory accepts besides an https URL. */
export const ACME_DIRECTORIES: Readonly<Record<string, string>> = {
  letsencrypt: 'https://acme-v02.api.letsencrypt.org/directory',
  'letsencrypt-staging': 'https://acme-staging-v02.api.letsencrypt.org/directory'
}

/** The one command that makes an account key acme-account-key accepts. */
export const ACME_ACCOUNT_KEY_COMMAND =
  'openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out acme-account.pem (store the file as a secret)'

/**
 * renew: off (nothing else is read) or acme, which needs the Entra stage (the managed domain is
 * where the certificate goes) and apply mode (check mode only reports that renewal is due). The
 * account key and the EAB HMAC key are secrets: no rule here quotes them.
 */
function parseRenewal(r: Reader, context: { entraOn: boolean; mode: Mode | undefined }): RenewalSettings | undefined {
  const method = r.choice('renew', ['off', 'acme'] as const)
  if (method !== 'acme') {
    if (method === 'off') {
      for (const name of ['acme-directory', 'acme-account-key', 'acme-eab-kid', 'acme-eab-hmac-key'] as const) {
        if (r.raw(name) !== '') r.warn(name, 'is set but ignored with renew off')
      }
    }
    return undefined
  }
  if (!context.entraOn) {
    r.fail('renew', 'acme needs entra-domain-name: the renewed certificate is uploaded to that managed domain')
  }
  if (context.mode === 'check') {
    r.fail(
      'renew',
      'acme needs mode apply: check mode changes nothing (it reports "Managed domain certificate expiring" when renewal is due)'
    )
  }
  const directoryRaw = r.required(
    'acme-directory',
    'give letsencrypt, letsencrypt-staging or the https URL of an ACME directory'
  )
  let directoryUrl: string | undefined
  if (directoryRaw !== undefined) {
    directoryUrl = ACME_DIRECTORIES[directoryRaw.toLowerCase()]
    if (directoryUrl === undefined) {
      let url: URL | undefined
      try {
        url = new URL(directoryRaw)
      } catch {
        url = undefined
      }
      if (url?.protocol === 'https:' && url.username === '' && url.password === '') directoryUrl = url.href
      else {
        r.fail(
          'acme-directory',
          `must be letsencrypt, letsencrypt-staging or an https URL of an ACME directory, got ${r.shown('acme-directory', directoryRaw)}`
        )
      }
    }
  }
  const accountKeyPem = r.raw('acme-account-key')
  if (accountKeyPem === '') {
    r.fail('acme-account-key', `is required with renew acme; make one with: ${ACME_ACCOUNT_KEY_COMMAND}`)
  } else {
    const problem = accountKeyProblem(accountKeyPem)
    if (problem !== undefined) {
      r.fail('acme-account-key', `${problem}; make one with: ${ACME_ACCOUNT_KEY_COMMAND}`)
    }
  }
  const kid = r.optional('acme-eab-kid')
  const hmacKey = r.optional('acme-eab-hmac-key')
  if ((kid === undefined) !== (hmacKey === undefined)) {
    r.fail(kid === undefined ? 'acme-eab-kid' : 'acme-eab-hmac-key', 'is required with the other acme-eab-* input')
  }
  if (hmacKey !== undefined && !/^[A-Za-z0-9_-]+={0,2}$/.test(hmacKey)) {
    r.fail('acme-eab-hmac-key', 'must be the base64url HMAC key the CA gave with the key identifier')
  }
  const timeoutMinutes = r.wholeNumber('renew-timeout', 1, 240)
  if (directoryUrl === undefined || accountKeyPem === '' || timeoutMinutes === undefined) return undefined
  return {
    method: 'acme',
    directoryUrl,
    accountKeyPem,
    eab: kid !== undefined && hmacKey !== undefined ? { kid, hmacKey } : undefined,
    timeoutMinutes
  }
}

/** Why `pem` is not an RSA or EC private key in PEM form (never quoting it), or undefined. */
function accountKeyProblem(pem: string): string | undefined {
  if (!/-----BEGIN (?:RSA |EC )?PRIVATE KEY-----/.test(pem)) {
    return 'must be a private key in PEM form (-----BEGIN PRIVATE KEY-----); an encrypted key or a certificate does not work'
  }
  try {
    const key = createPrivateKey(pem)
    if (key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
      return 'is an RSA key shorter than 2048 bits'
    }
    if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'ec') {
      return `is a ${key.asymmetricKeyType ?? 'unknown'} key; ACME account keys are RSA or EC (P-256)`
    }
    return undefined
  } catch {
    return 'is not a readable private key (check that the whole PEM, with its BEGIN and END lines, is in the secret)'
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const inner of Object.values(value)) deepFreeze(inner)
  }
  return value
}
