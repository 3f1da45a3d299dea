// Whether a network security group lets the whole internet reach secure LDAP (TCP 636) on the
// managed domain's subnet: the exposure that Entra Domain Services raises as alert AADDS101. Pure:
// it evaluates the rules as plain data, the way Azure does for one inbound packet: rules in
// ascending priority, the first rule that matches decides (network-security-groups-overview.md).

/** One security rule as ARM returns it (the SDK flattens `properties`). */
export interface NsgRule {
  readonly name: string
  readonly priority: number
  readonly direction: string
  readonly access: string
  readonly protocol: string
  readonly sourceAddressPrefix?: string | undefined
  readonly sourceAddressPrefixes?: readonly string[] | undefined
  readonly sourceApplicationSecurityGroups?: readonly unknown[] | undefined
  readonly destinationAddressPrefix?: string | undefined
  readonly destinationAddressPrefixes?: readonly string[] | undefined
  readonly destinationApplicationSecurityGroups?: readonly unknown[] | undefined
  readonly destinationPortRange?: string | undefined
  readonly destinationPortRanges?: readonly string[] | undefined
  /** One of the six rules every NSG has (AllowVnetInBound, DenyAllInBound, ...). */
  readonly isDefault: boolean
}

export type LdapsExposure = 'restricted' | 'open' | 'no-rule' | 'no-nsg' | 'unknown'

export interface DecidingRule {
  readonly name: string
  readonly priority: number
  readonly isDefault: boolean
}

export interface NsgVerdict {
  readonly exposure: 'restricted' | 'open' | 'no-rule'
  /** The rule that decides; undefined only when no rule at all matches (Azure's implicit deny). */
  readonly rule: DecidingRule | undefined
  /** One sentence: why this verdict. */
  readonly reason: string
}

/** Where the traffic goes: the domain controllers' addresses and the subnet's prefixes. */
export interface NsgTarget {
  readonly addresses: readonly string[]
  readonly subnetPrefixes: readonly string[]
}

export const LDAPS_PORT = 636

// `*`, `0.0.0.0/0` and "Any" mean every address; `Internet` is the service tag for the public
// address space. Each lets every internet client through.
const ANY_SOURCE = new Set(['*', 'any', '0.0.0.0/0', '::/0', 'internet'])
const ANY_DESTINATION = new Set(['*', 'any', '0.0.0.0/0', '::/0', 'virtualnetwork'])

/**
 * Evaluates the inbound rules (custom and default together) for a TCP packet to `port` from an
 * arbitrary internet address. An Allow reached first is `open`; a custom Allow from listed sources
 * only, before any Deny for everyone, is `restricted`; a custom Deny for everyone is `restricted`
 * too (nothing gets in); when only the default rules speak to the port, `no-rule` (DenyAllInBound
 * drops internet LDAPS).
 */
export function evaluateLdapsExposure(
  rules: readonly NsgRule[],
  target: NsgTarget = { addresses: [], subnetPrefixes: [] },
  port: number = LDAPS_PORT
): NsgVerdict {
  const inbound = rules
    .filter(r => r.direction.toLowerCase() === 'inbound')
    .filter(r => coversProtocol(r.protocol) && coversPort(r, port) && coversDestination(r, target))
    .toSorted((a, b) => a.priority - b.priority || Number(a.isDefault) - Number(b.isDefault))
  let restrictedAllow: NsgRule | undefined
  // The Allow rules since the last Deny: together they may cover every address without any one
  // of them saying so (0.0.0.0/1 and 128.0.0.0/1), which lets the whole internet in just the same.
  let band: NsgRule[] = []
  for (const rule of inbound) {
    const allow = rule.access.toLowerCase() === 'allow'
    if (allow && !fromAnySource(rule)) {
      band = [...band, rule]
      const family = coveredFamily(band.flatMap(r => listOf(r.sourceAddressPrefix, r.sourceAddressPrefixes)))
      if (family !== undefined) {
        const named = band.filter(r => !r.isDefault)
        return {
          exposure: 'open',
          rule: decided(rule),
          reason: `${named.map(describeRule).join(', ')} allow TCP ${port} from ${named.map(sourceText).join(', ')}, which together cover every IPv${family} address`
        }
      }
    } else if (!allow) {
      band = []
    }
    if (fromAnySource(rule)) {
      if (allow) {
        return {
          exposure: 'open',
          rule: decided(rule),
          reason: `${describeRule(rule)} allows TCP ${port} from ${sourceText(rule)}`
        }
      }
      if (restrictedAllow !== undefined) {
        return {
          exposure: 'restricted',
          rule: decided(restrictedAllow),
          reason: `${describeRule(restrictedAllow)} allows TCP ${port} from ${sourceText(restrictedAllow)} only; ${describeRule(rule)} denies everyone else`
        }
      }
      if (rule.isDefault) {
        return {
          exposure: 'no-rule',
          rule: decided(rule),
          reason: `no custom rule admits TCP ${port}; the default ${describeRule(rule)} drops it from the internet`
        }
      }
      return {
        exposure: 'restricted',
        rule: decided(rule),
        reason: `${describeRule(rule)} denies TCP ${port} from every source`
      }
    }
    // From listed sources only. A default rule of this kind (AllowVnetInBound, from the virtual
    // network) is not a decision about the internet.
    if (allow && !rule.isDefault && restrictedAllow === undefined) restrictedAllow = rule
  }
  if (restrictedAllow !== undefined) {
    return {
      exposure: 'restricted',
      rule: decided(restrictedAllow),
      reason: `${describeRule(restrictedAllow)} allows TCP ${port} from ${sourceText(restrictedAllow)} only`
    }
  }
  return {
    exposure: 'no-rule',
    rule: undefined,
    reason: `no rule admits TCP ${port} from the internet (Azure denies what no rule allows)`
  }
}

/** The worse of several verdicts first: open, then no NSG, unreadable, restricted, no rule. */
export const EXPOSURE_ORDER: readonly LdapsExposure[] = ['open', 'no-nsg', 'unknown', 'restricted', 'no-rule']

export function worstExposure<T extends { readonly exposure: LdapsExposure }>(items: readonly T[]): T | undefined {
  return items.toSorted((a, b) => EXPOSURE_ORDER.indexOf(a.exposure) - EXPOSURE_ORDER.indexOf(b.exposure))[0]
}

export function describeRule(rule: { readonly name: string; readonly priority: number }): string {
  return `rule ${rule.name} (priority ${rule.priority})`
}

function decided(rule: NsgRule): DecidingRule {
  return { name: rule.name, priority: rule.priority, isDefault: rule.isDefault }
}

function listOf(single: string | undefined, plural: readonly string[] | undefined): string[] {
  // A singular field and its plural are alternatives (augmented rules use the plural); read both.
  return [...(single === undefined || single === '' ? [] : [single]), ...(plural ?? [])].map(s => s.trim())
}

function coversProtocol(protocol: string): boolean {
  const p = protocol.toLowerCase()
  return p === 'tcp' || p === '*' || p === 'any'
}

function coversPort(rule: NsgRule, port: number): boolean {
  return listOf(rule.destinationPortRange, rule.destinationPortRanges).some(range => {
    if (range === '*' || range.toLowerCase() === 'any') return true
    const m = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/.exec(range)
    if (m === null) return false
    const low = Number(m[1])
    const high = m[2] === undefined ? low : Number(m[2])
    return low <= port && port <= high
  })
}

function fromAnySource(rule: NsgRule): boolean {
  return listOf(rule.sourceAddressPrefix, rule.sourceAddressPrefixes).some(s => ANY_SOURCE.has(s.toLowerCase()))
}

function sourceText(rule: NsgRule): string {
  const sources = listOf(rule.sourceAddressPrefix, rule.sourceAddressPrefixes)
  if (sources.length === 0 && (rule.sourceApplicationSecurityGroups?.length ?? 0) > 0)
    return 'application security groups'
  return sources.length === 0 ? 'no address' : sources.join(', ')
}

/**
 * A rule whose destination excludes the subnet does not apply. Destinations this cannot judge
 * (application security groups, prefixes without target data) are taken to apply, so an open
 * rule is never missed.
 */
function coversDestination(rule: NsgRule, target: NsgTarget): boolean {
  const destinations = listOf(rule.destinationAddressPrefix, rule.destinationAddressPrefixes)
  if (destinations.length === 0) return true
  const known = [...target.addresses, ...target.subnetPrefixes]
  return destinations.some(d => {
    if (ANY_DESTINATION.has(d.toLowerCase())) return true
    const prefix = parseIpv4Prefix(d)
    if (prefix === undefined) return !/^[a-z]/i.test(d) // another service tag: not this subnet
    if (known.length === 0) return true
    return known.some(k => {
      const other = parseIpv4Prefix(k)
      return other !== undefined && overlaps(prefix, other)
    })
  })
}

interface Ipv4Prefix {
  readonly base: number
  readonly bits: number
}

function parseIpv4Prefix(text: string): Ipv4Prefix | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(text)
  if (m === null) return undefined
  const octets = m.slice(1, 5).map(Number)
  const bits = m[5] === undefined ? 32 : Number(m[5])
  if (octets.some(o => o > 255) || bits > 32) return undefined
  const value = ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0
  return { base: (value & mask(bits)) >>> 0, bits }
}

function mask(bits: number): number {
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0
}

function overlaps(a: Ipv4Prefix, b: Ipv4Prefix): boolean {
  const bits = Math.min(a.bits, b.bits)
  return (a.base & mask(bits)) >>> 0 === (b.base & mask(bits)) >>> 0
}

// Whether source prefixes together cover a whole address family, as ranges of BigInt addresses.

interface AddressRange {
  readonly start: bigint
  readonly end: bigint
}

const FAMILY_BITS = { 4: 32n, 6: 128n } as const

/** 4 or 6 when the prefixes' union is every address of that family, else undefined. */
export function coveredFamily(prefixes: readonly string[]): 4 | 6 | undefined {
  for (const family of [4, 6] as const) {
    const ranges = prefixes
      .map(p => parseRange(p, family))
      .filter((r): r is AddressRange => r !== undefined)
      .toSorted((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0))
    let next = 0n // the lowest address not covered yet
    for (const r of ranges) {
      if (r.start > next) break
      if (r.end + 1n > next) next = r.end + 1n
    }
    if (next === 1n << FAMILY_BITS[family]) return family
  }
  return undefined
}

function parseRange(text: string, family: 4 | 6): AddressRange | undefined {
  const slash = text.indexOf('/')
  const address = slash < 0 ? text : text.slice(0, slash)
  const value = family === 4 ? parseIpv4Value(address) : parseIpv6Value(address)
  if (value === undefined) return undefined
  const total = FAMILY_BITS[family]
  const bits = slash < 0 ? total : /^\d{1,3}$/.test(text.slice(slash + 1)) ? BigInt(text.slice(slash + 1)) : -1n
  if (bits < 0n || bits > total) return undefined
  const size = 1n << (total - bits)
  const start = value - (value % size)
  return { start, end: start + size - 1n }
}

function parseIpv4Value(text: string): bigint | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text)
  if (m === null) return undefined
  const octets = m.slice(1, 5).map(Number)
  if (octets.some(o => o > 255)) return undefined
  return octets.reduce((n, o) => n * 256n + BigInt(o), 0n)
}

/** An IPv6 address (with `::`, and a dotted IPv4 tail) as a number; undefined when it is none. */
function parseIpv6Value(text: string): bigint | undefined {
  if (!/^[0-9a-f:.]+$/i.test(text) || !text.includes(':')) return undefined
  let groups: string[]
  const halves = text.split('::')
  if (halves.length > 2) return undefined
  const split = (part: string): string[] => (part === '' ? [] : part.split(':'))
  const head = split(halves[0]!)
  const tail = halves.length === 2 ? split(halves[1]!) : []
  const last = (halves.length === 2 ? tail : head).at(-1)
  const dotted = last !== undefined && last.includes('.') ? parseIpv4Value(last) : undefined
  if (last !== undefined && last.includes('.')) {
    if (dotted === undefined) return undefined
    const words = [(dotted >> 16n).toString(16), (dotted & 0xffffn).toString(16)]
    if (halves.length === 2) tail.splice(-1, 1, ...words)
    else head.splice(-1, 1, ...words)
  }
  if (halves.length === 2) {
    const missing = 8 - head.length - tail.length
    if (missing < 1) return undefined
    groups = [...head, ...Array<string>(missing).fill('0'), ...tail]
  } else {
    groups = head
  }
  if (groups.length !== 8 || groups.some(g => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined
  return groups.reduce((n, g) => n * 65536n + BigInt(`0x${g}`), 0n)
}
