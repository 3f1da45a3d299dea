// Microsoft Entra Domain Services: what the managed domain says about its secure LDAP endpoint,
// as plain data, and the decisions taken from it (which replica set's external IP to publish,
// whether secure LDAP is on, whether the served certificate is the uploaded one). Pure: the
// adapter (adapters/entra-ds.ts) reads Azure Resource Manager and fills these shapes.

export interface HealthAlert {
  readonly id: string
  readonly name: string
  readonly issue?: string | undefined
  readonly resolutionUri?: string | undefined
}

export interface ReplicaSetFacts {
  /** Display name as ARM returns it ("West US"). */
  readonly location: string
  readonly subnetId: string | undefined
  readonly externalAccessIpAddress: string | undefined
  readonly domainControllerIpAddress: readonly string[]
  readonly serviceStatus: string | undefined
  readonly healthAlerts: readonly HealthAlert[]
}

export interface ManagedDomainFacts {
  readonly id: string
  /** Resource name; usually the domain name, but need not be. */
  readonly name: string
  readonly subscriptionId: string
  readonly resourceGroup: string
  /** properties.domainName, e.g. aaddscontoso.com. */
  readonly domainName: string
  readonly ldaps: string | undefined
  readonly externalAccess: string | undefined
  readonly certificateThumbprint: string | undefined
  readonly certificateNotAfter: Date | undefined
  readonly tlsV1: string | undefined
  readonly replicaSets: readonly ReplicaSetFacts[]
}

/** Thrown for a managed domain that cannot serve secure LDAP to the internet as configured. */
export class EntraError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'EntraError'
  }
}

/** "West US", "westus" and "WestUS" are one location. */
export function normalizeLocation(location: string): string {
  return location.replace(/[\s_-]+/g, '').toLowerCase()
}

export function describeDomain(d: Pick<ManagedDomainFacts, 'domainName'>): string {
  return `managed domain ${d.domainName}`
}

/**
 * Secure LDAP over the internet needs both switches on. Returns one problem per switch that is
 * off, each titled by its own setting (two problems must not read alike in the failure line) and
 * naming the portal control that fixes it.
 */
export function secureLdapProblems(d: ManagedDomainFacts): { readonly title: string; readonly message: string }[] {
  const problems: { title: string; message: string }[] = []
  if (d.ldaps !== 'Enabled') {
    problems.push({
      title: 'Secure LDAP not enabled on the managed domain',
      message: `${describeDomain(d)}: ldapsSettings.ldaps is ${d.ldaps ?? 'not set'}; enable 'Secure LDAP' (Secure LDAP page of the managed domain, with a certificate)`
    })
  }
  if (d.externalAccess !== 'Enabled') {
    problems.push({
      title: 'Secure LDAP internet access (externalAccess) not enabled',
      message: `${describeDomain(d)}: ldapsSettings.externalAccess is ${d.externalAccess ?? 'not set'}; enable 'Allow secure LDAP access over the internet'`
    })
  }
  return problems
}

export type ReplicaSetChoice =
  { readonly ok: true; readonly replicaSet: ReplicaSetFacts } | { readonly ok: false; readonly message: string }

/**
 * The replica set whose external IP the DNS name gets: the only one with an external IP, or the
 * one at `wanted` (entra-replica-set). With several and none chosen, the action does not guess.
 */
export function chooseReplicaSet(d: ManagedDomainFacts, wanted: string | undefined): ReplicaSetChoice {
  const withIp = d.replicaSets.filter(r => r.externalAccessIpAddress !== undefined && r.externalAccessIpAddress !== '')
  const listing = (sets: readonly ReplicaSetFacts[]): string =>
    sets.map(r => `${r.location} ${r.externalAccessIpAddress ?? '(no external IP)'}`).join(', ')
  if (wanted !== undefined) {
    const found = d.replicaSets.filter(r => normalizeLocation(r.location) === normalizeLocation(wanted))
    if (found.length === 0) {
      return {
        ok: false,
        message: `${describeDomain(d)} has no replica set in ${wanted} (it has: ${listing(d.replicaSets) || 'none'}); fix entra-replica-set`
      }
    }
    const chosen = found[0]!
    if (chosen.externalAccessIpAddress === undefined || chosen.externalAccessIpAddress === '') {
      return {
        ok: false,
        message: `${describeDomain(d)}: replica set ${chosen.location} has no externalAccessIpAddress (secure LDAP over the internet is not published there yet); choose another entra-replica-set (${listing(withIp) || 'none has one'})`
      }
    }
    return { ok: true, replicaSet: chosen }
  }
  if (withIp.length === 1) return { ok: true, replicaSet: withIp[0]! }
  if (withIp.length === 0) {
    return {
      ok: false,
      message: `${describeDomain(d)}: no replica set has an externalAccessIpAddress (replica sets: ${listing(d.replicaSets) || 'none'}); enable 'Allow secure LDAP access over the internet' and wait for the managed domain to finish updating`
    }
  }
  return {
    ok: false,
    message: `${describeDomain(d)} has ${withIp.length} replica sets with an external IP (${listing(withIp)}); set entra-replica-set to the location whose IP the name should point at`
  }
}

/** 40 hex digits, lowercase; colons, spaces and case ignored. Undefined when not a SHA-1 thumbprint. */
export function normalizeThumbprint(text: string | undefined): string | undefined {
  if (text === undefined) return undefined
  const hex = text.replace(/[\s:-]/g, '').toLowerCase()
  return /^[0-9a-f]{40}$/.test(hex) ? hex : undefined
}

export type ThumbprintVerdict =
  { readonly match: true; readonly thumbprint: string } | { readonly match: false; readonly message: string }

/**
 * The served leaf's SHA-1 (Windows "thumbprint") against ldapsSettings.certificateThumbprint.
 * `where` names the endpoint (`ldaps.contoso.com:636 at 20.1.2.3`).
 */
export function compareThumbprint(
  d: ManagedDomainFacts,
  servedSha1: string,
  where: string
): ThumbprintVerdict | undefined {
  const uploaded = normalizeThumbprint(d.certificateThumbprint)
  if (uploaded === undefined) return undefined
  const served = normalizeThumbprint(servedSha1)
  if (served === uploaded) return { match: true, thumbprint: uploaded }
  return {
    match: false,
    message: `${where} does not serve the certificate uploaded to ${describeDomain(d)}: it serves SHA-1 ${(served ?? servedSha1).toUpperCase()}, ldapsSettings.certificateThumbprint is ${uploaded.toUpperCase()}; upload the served certificate to the managed domain, or point the name at the managed domain's endpoint`
  }
}

const DAY_MS = 86_400_000

/** certificateNotAfter within min-days-valid (or past): the same failure as an expiring served certificate. */
export function uploadedCertificateExpiry(d: ManagedDomainFacts, now: Date, minDaysValid: number): string | undefined {
  if (d.certificateNotAfter === undefined) return undefined
  const days = (d.certificateNotAfter.getTime() - now.getTime()) / DAY_MS
  const date = d.certificateNotAfter.toISOString().slice(0, 10)
  const fix = 'upload a renewed certificate on the Secure LDAP page of the managed domain (alert AADDS502)'
  if (days <= 0) {
    return `${describeDomain(d)}: the secure LDAP certificate (ldapsSettings.certificateNotAfter) expired on ${date}; ${fix}`
  }
  if (days < minDaysValid) {
    return `${describeDomain(d)}: the secure LDAP certificate (ldapsSettings.certificateNotAfter) expires on ${date}, in ${Math.floor(days)} days (min-days-valid is ${minDaysValid}); ${fix}`
  }
  return undefined
}

export interface SubnetRef {
  readonly subscriptionId: string
  readonly resourceGroup: string
  readonly virtualNetwork: string
  readonly subnet: string
}

/** Parses `/subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.Network/virtualNetworks/{v}/subnets/{n}` (segments case-insensitive). */
export function parseSubnetId(id: string): SubnetRef | undefined {
  const m =
    /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/virtualNetworks\/([^/]+)\/subnets\/([^/]+)\/?$/i.exec(
      id
    )
  if (m === null) return undefined
  return { subscriptionId: m[1]!, resourceGroup: m[2]!, virtualNetwork: m[3]!, subnet: m[4]! }
}

export interface NsgRef {
  readonly subscriptionId: string
  readonly resourceGroup: string
  readonly name: string
}

export function parseNsgId(id: string): NsgRef | undefined {
  const m =
    /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/networkSecurityGroups\/([^/]+)\/?$/i.exec(
      id
    )
  if (m === null) return undefined
  return { subscriptionId: m[1]!, resourceGroup: m[2]!, name: m[3]! }
}

/** The resource group in any ARM resource id. */
export function resourceGroupOf(id: string | undefined): string | undefined {
  return id === undefined ? undefined : /\/resourceGroups\/([^/]+)/i.exec(id)?.[1]
}

/** The managed domain that entra-domain-name names: by resource name or by properties.domainName. */
export function matchesManagedDomain(d: Pick<ManagedDomainFacts, 'name' | 'domainName'>, wanted: string): boolean {
  const w = wanted.toLowerCase().replace(/\.$/, '')
  return d.name.toLowerCase() === w || d.domainName.toLowerCase().replace(/\.$/, '') === w
}
