// The input contract: every action input parsed into one frozen Settings object, or every
// violation reported together. Pure apart from the injected `readFile` (for a ca-certificate given
// as a path), so it runs before anything touches the network. The runner applies action.yml's
// defaults only to inputs missing from `with:`; an input given empty (an unset `vars.X`) takes
// its default here, as users of @actions/core expect, so the defaults are also declared below
// (CORE_INPUTS and each provider's InputSpec; a test keeps them equal to action.yml).

import { X509Certificate, createPrivateKey } from 'node:crypto'
import {
  endpointAddressProblem,
  isInZone,
  nonPublicAddressRange,
  parseDomainName,
  parseIpAddress,
  privateAddressRange,
  urlHost,
  type ParsedAddress
} from './names.ts'
import { MAX_RENEWAL_DAYS, parseRenewalRule, type RenewalRule } from './renewal-window.ts'
import { checkBindName, checkDistinguishedName, checkSearchFilter } from './ldap-bind.ts'
import {
  SECRET_INPUTS,
  type AzureSettings,
  type CertificateSourceChoice,
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

/**
 * Every input core reads (action.yml's inputs less the providers', which each provider module
 * declares), with action.yml's default ('' when it has none). A with: key or INPUT_* variable
 * outside this list and the providers' is refused as a misspelling.
 */
export const CORE_INPUTS: Readonly<Record<string, string>> = {
  domain: '',
  ip: '',
  'allow-private-ip': 'false',
  provider: 'azure',
  mode: 'apply',
  ttl: '300',
  zone: '',
  'wait-for-propagation': 'true',
  'propagation-timeout': '300',
  resolver: '',
  nameservers: '',
  'verify-certificate': 'true',
  protocol: 'ldaps',
  port: '636',
  'connect-to': '',
  'ca-certificate': '',
  'min-days-valid': '33%',
  'fail-on-renewal-due': 'true',
  'certificate-source': 'auto',
  'expected-fingerprint': '',
  'ldap-bind-dn': '',
  'ldap-bind-password': '',
  'ldap-search-base': '',
  'ldap-search-filter': '(objectClass=*)',
  'fail-on-drift': 'true',
  'drift-issue': 'false',
  'entra-domain-name': '',
  'entra-resource-group': '',
  'entra-subscription-id': '',
  'entra-replica-set': '',
  'entra-nsg-check': 'warn',
  // Certificate renewal (parseRenewal below).
  renew: 'off',
  'acme-directory': '',
  'acme-account-key': '',
  'acme-eab-kid': '',
  'acme-eab-hmac-key': '',
  'renew-timeout': '60',
  'github-token': '${{ github.token }}'
}

const MODES: readonly Mode[] = ['apply', 'check']
const PROTOCOLS: readonly TlsProtocol[] = ['ldaps', 'starttls', 'tls']
const CERTIFICATE_SOURCES: readonly CertificateSourceChoice[] = ['auto', 'endpoint', 'managed-domain']
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
  /**
   * True when every zone this provider writes is served to the whole internet (Azure DNS zones,
   * Cloudflare), so a private ip is refused before anything is read; a provider with public and
   * private zones (Route 53) reports it per zone instead (ZoneRef.visibility).
   */
  readonly zonesArePublic?: boolean
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
  private readonly defaults: ReadonlyMap<string, string>
  constructor(get: GetInput, readFile: ReadFile, secrets: ReadonlySet<string>, defaults: ReadonlyMap<string, string>) {
    this.get = get
    this.readFile = readFile
    this.secrets = secrets
    this.defaults = defaults
  }

  /** The value, or action.yml's default when it is empty (an unset `vars.X` means the default). */
  raw(name: string): string {
    const value = this.get(name).trim()
    return value === '' ? (this.defaults.get(name) ?? '') : value
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
    if (!bracketed && !parseIpAddress(item).ok && /^[^:]+(?::[^:]*){2,}$/.test(item)) {
      const [first] = item.split(':') as [string]
      return this.fail(
        name,
        `must be host[:port] with one port: write ${JSON.stringify(`${first}:53`)} (an IPv6 address with a port goes in brackets, e.g. [2001:4860:4860::8888]:53), got ${this.shown(name, item)}`
      )
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
 * The runner passes every `with:` key to the action as an environment variable: `INPUT_` and the
 * key with spaces turned into underscores, upper-cased (hyphens kept), and it only warns about a
 * key action.yml does not declare. The action itself would then read the default, so a typo such
 * as `min-days-vaild: 60` would silently check 30 days. Each INPUT_* variable that is no input of
 * the action (compared case-insensitively, as @github/local-action also takes INPUT_domain) is a
 * violation naming it and the closest input. Nothing else sets INPUT_* variables for a JavaScript
 * action: the runner does not pass a composite action's inputs to its steps as INPUT_*, and
 * @github/local-action sets only what its .env file holds; an INPUT_* variable put in `env:` or
 * GITHUB_ENV by the workflow is refused like a with: key, which the message says.
 */
export function unknownInputs(environmentNames: Iterable<string>, known: readonly string[]): InputViolation[] {
  const byEnvName = new Map(known.map(name => [name.replace(/ /g, '_').toUpperCase(), name]))
  const violations: InputViolation[] = []
  for (const variable of environmentNames) {
    if (!/^INPUT_/i.test(variable)) continue
    const envName = variable.slice('INPUT_'.length).toUpperCase()
    if (envName === '' || byEnvName.has(envName)) continue
    const given = envName.toLowerCase()
    const closest = closestInput(given, known)
    violations.push({
      input: given,
      message:
        `is not an input of this action${closest === undefined ? '.' : `: did you mean ${closest}?`} ` +
        `Write ${closest === undefined ? 'one of the inputs listed in README.md' : closest} instead in with: ` +
        `(the runner passes a misspelt with: key only with a warning, and the input it meant would silently take its default), ` +
        `or remove ${variable} from env: or GITHUB_ENV if it was set there`
    })
  }
  return violations
}

/** The input `given` most likely meant: same words, a missing provider prefix, or within a few typos. */
function closestInput(given: string, known: readonly string[]): string | undefined {
  const normal = given.replace(/[\s_.]+/g, '-')
  const exact = known.find(k => k === normal)
  if (exact !== undefined) return exact
  // A name without its provider prefix (tsig-secret) or cut short (entra-domain).
  const extended = known.filter(k => k.endsWith(`-${normal}`) || k.startsWith(`${normal}-`))
  if (extended.length === 1) return extended[0]
  let best: string | undefined
  let bestDistance = Infinity
  for (const candidate of known) {
    const distance = editDistance(normal, candidate)
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance]
  }
  // A third of the name, at least 2: "min-days-vaild" (2) and "ttls" (1) match, unrelated names do not.
  return bestDistance <= Math.max(2, Math.floor(normal.length / 3)) ? best : undefined
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0))
  )
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1)
      rows[i]![j] = d
    }
  }
  return rows[a.length]![b.length]!
}

/** Every input of the action: core's and each provider's, with action.yml's default ('' for none). */
export function actionInputs(registry: InputRegistry): Map<string, string> {
  return new Map([
    ...Object.entries(CORE_INPUTS),
    ...registry.providers.flatMap(p => p.inputs.map(i => [i.name, i.default ?? ''] as const))
  ])
}

/**
 * Reads every input through `get` (core.getInput in the action) and returns the validated
 * settings, or throws one InputError listing every violation. `environmentNames`: the names of
 * the variables in the action's environment, whose INPUT_* ones must all be inputs of the action.
 */
export function parseInputs(
  get: GetInput,
  registry: InputRegistry,
  readFile: ReadFile = () => undefined,
  environmentNames: Iterable<string> = []
): ParsedInputs {
  const secrets = new Set<string>([
    ...SECRET_INPUTS,
    ...registry.providers.flatMap(p => p.inputs.filter(i => i.secret).map(i => i.name))
  ])
  const known = actionInputs(registry)
  // A default that is an expression (github-token's ${{ github.token }}) only the runner can apply.
  const defaults = new Map([...known].filter(([, value]) => value !== '' && !value.includes('${{')))
  const r = new Reader(get, readFile, secrets, defaults)
  for (const unknown of unknownInputs(environmentNames, [...known.keys()])) r.fail(unknown.input, unknown.message)

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
  const allowPrivateIp = r.boolean('allow-private-ip')
  const provider = r.choice('provider', [...registry.providers.map(p => p.name), 'none'] as ProviderName[])
  const zonesArePublic = registry.providers.find(p => p.name === provider)?.zonesArePublic === true
  const address =
    entraOn && r.raw('ip') === ''
      ? undefined
      : parseEndpointAddress(r, { provider, zonesArePublic, allowPrivateIp: allowPrivateIp === true })
  const mode = r.choice('mode', MODES)
  const ttl = r.wholeNumber('ttl', 1, 2147483647)
  const zoneRaw = r.optional('zone')
  const zone = zoneRaw === undefined ? undefined : r.domain('zone', zoneRaw)
  if (domain !== undefined && zone !== undefined && !isInZone(domain, zone)) {
    r.fail('zone', outsideZone(domain, zone))
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
  const minDaysValid = parseMinDaysValid(r)
  const failOnRenewalDue = r.boolean('fail-on-renewal-due')
  const certificateSource = r.choice('certificate-source', CERTIFICATE_SOURCES)
  if (certificateSource === 'managed-domain' && !entraOn) {
    r.fail(
      'certificate-source',
      'is managed-domain, which judges the certificate uploaded to an Entra Domain Services managed domain: set entra-domain-name, or use auto or endpoint'
    )
  }
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

  const ldapBind = parseLdapBind(r, verify, protocol)
  const entra = entraOn ? parseEntra(r, registry.entraSignIn, providerSettings, { domainRaw, connectToRaw }) : undefined

  const renewal = parseRenewal(r, { entraOn, mode })

  if (r.violations.length > 0) throw new InputError(r.violations)

  // Every field below was checked above; an undefined here would have added a violation.
  const settings: Settings = deepFreeze({
    domain: domain ?? '',
    ip: address?.address ?? '',
    recordType: address?.family === 6 ? 'AAAA' : 'A',
    allowPrivateIp: allowPrivateIp!,
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
      failOnRenewalDue: failOnRenewalDue!,
      // Without the Entra stage there is no uploaded certificate: auto is the endpoint.
      source: entraOn ? certificateSource! : 'endpoint',
      expectedFingerprint
    },
    drift: { failOnDrift: failOnDrift!, openIssue: openIssue!, githubToken },
    entra,
    ...(ldapBind === undefined ? {} : { ldapBind }),
    ...(renewal === undefined ? {} : { renewal })
  })
  return { settings, warnings: r.warnings }
}

function parseMinDaysValid(r: Reader): RenewalRule | undefined {
  const value = r.raw('min-days-valid')
  return (
    parseRenewalRule(value) ??
    r.fail(
      'min-days-valid',
      `must be a whole number of days from 0 to ${MAX_RENEWAL_DAYS} or a share of the certificate's lifetime from 1% to 99% (e.g. 33%), got ${r.shown('min-days-valid', value)}`
    )
  )
}

/**
 * The message for a domain outside the zone it is written to, naming both inputs (`domain` may
 * have come from the managed domain, hence the value is part of the message).
 */
export function outsideZone(domain: string, zone: string): string {
  return `domain ${domain} is not inside zone ${zone}: zone must be domain itself or one of its parent domains (e.g. contoso100.com for ldaps.contoso100.com); fix domain or zone, or leave zone empty to find it`
}

function parseEndpointAddress(
  r: Reader,
  use: { provider: ProviderName | undefined; zonesArePublic: boolean; allowPrivateIp: boolean }
): ParsedAddress | undefined {
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
  const problem = endpointAddressProblem(checked.value)
  if (problem !== undefined) return r.fail('ip', `${problem}, got ${r.shown('ip', raw)}`)
  const refusal = privateInPublicZone(checked.value, use)
  if (refusal !== undefined) return r.fail('ip', refusal)
  const range = nonPublicAddressRange(checked.value)
  if (range !== undefined && !(use.allowPrivateIp && privateAddressRange(checked.value) !== undefined)) {
    r.warn(
      'ip',
      `${checked.value.address} is a ${range} address, not reachable from the internet; clients outside that network cannot use this name`
    )
  }
  return checked.value
}

/**
 * Why a private (RFC 1918, RFC 4193) address must not go into a public zone, or undefined when it
 * may: every resolver on the internet would hand out an address only one network can reach, and
 * tell the world how that network is numbered. `where` names the public zone's provider.
 */
export function privateInPublicZone(
  address: ParsedAddress,
  use: { provider: ProviderName | undefined; zonesArePublic: boolean; allowPrivateIp: boolean },
  where = `provider ${use.provider ?? '?'} publishes to a public zone`
): string | undefined {
  const range = privateAddressRange(address)
  if (range === undefined || !use.zonesArePublic || use.allowPrivateIp) return undefined
  return `${address.address} is a ${range} address and ${where}, where every resolver on the internet would hand it out though only your network can reach it; give the endpoint's public address, or set allow-private-ip: true if a private address in this zone is intended (split-horizon DNS)`
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
  if (blocks.length === 1 && !blocks[0]!.startsWith('-----') && isPfx(Buffer.from(blocks[0]!, 'base64'))) {
    r.fail(
      name,
      `${source === 'the value' ? 'is' : `${source} is`} a PFX (PKCS #12) file, which holds a private key, not only certificates; give the public CA certificate in PEM or DER form instead (openssl pkcs12 -in ldaps.pfx -nokeys -cacerts -out ca.pem, or -clcerts for a self-signed certificate), and keep the PFX itself out of workflow inputs`
    )
    return []
  }
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

/**
 * A PKCS #12 (PFX) file in DER: SEQUENCE { INTEGER 3, ContentInfo { OID pkcs7-data, ... } }
 * (RFC 7292, section 4). Recognised so that the message can say what it is.
 */
function isPfx(der: Buffer): boolean {
  if (der.length < 20 || der[0] !== 0x30) return false
  const lengthBytes = der[1]! < 0x80 ? 0 : der[1]! & 0x7f
  const body = 2 + lengthBytes
  if (!der.subarray(body, body + 3).equals(Buffer.from([0x02, 0x01, 0x03]))) return false
  const pkcs7Data = Buffer.from('06092a864886f70d010701', 'hex')
  return der.subarray(body + 3, body + 3 + 16).includes(pkcs7Data)
}

function parseFingerprint(r: Reader): string | undefined {
  const raw = r.optional('expected-fingerprint')
  if (raw === undefined) return undefined
  const hex = raw
    .replace(/^sha-?(?:256|1)[:=]?/i, '')
    .replace(/[:\s]/g, '')
    .toLowerCase()
  if (/^[0-9a-f]{40}$/.test(hex) && !/^sha-?256/i.test(raw)) {
    return r.fail(
      'expected-fingerprint',
      `is a SHA-1 thumbprint (40 hex digits, as Windows and the Entra admin center show a certificate's thumbprint), got ${r.shown('expected-fingerprint', raw)}; give the SHA-256 fingerprint, 64 hex digits: openssl x509 -in ldaps.pem -noout -fingerprint -sha256, or the certificate-sha256 output of a run`
    )
  }
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
