// The Entra Domain Services stage: the managed domain is the source of truth for the external IP
// (and, when `domain` is empty, the name), the certificate it should serve and the NSG on port
// 636. The managed domain is read before the DNS plan (it may supply ip and domain); the subnet
// and NSG reads then run beside the plan, and finish() gathers them after the certificate check.
// Only reads: nothing is written to Microsoft.AAD or Microsoft.Network.

import * as github from '../adapters/github.ts'
import {
  chooseReplicaSet,
  compareThumbprint,
  describeDomain,
  normalizeThumbprint,
  secureLdapProblems,
  uploadedCertificateExpiry,
  type ManagedDomainFacts,
  type ReplicaSetFacts
} from '../core/entra.ts'
import { BASE64, outsideZone } from '../core/inputs.ts'
import {
  endpointAddressProblem,
  isInZone,
  nonPublicAddressRange,
  parseDomainName,
  parseIpAddress
} from '../core/names.ts'
import { parseCertificate, type ParsedCertificate } from '../core/x509.ts'
import { evaluateLdapsExposure, worstExposure, type LdapsExposure } from '../core/nsg.ts'
import {
  failed,
  succeeded,
  type CertificateReport,
  type EntraReplicaSetNsgReport,
  type EntraReport,
  type Finding,
  type StepOutcome,
  type StepResult
} from '../core/report.ts'
import { planRun, type RunPlan } from '../core/run-plan.ts'
import type { EntraSettings, Settings } from '../core/settings.ts'
import { createEntraReader, type EntraReader } from '../adapters/entra-ds.ts'
import type { AzureDnsOptions } from '../adapters/providers/azure-dns.ts'

/** The stage's part of the report: the managed domain as read, and (when it supplies them) the name and IP. */
export interface EntraPart {
  readonly entra: EntraReport
  /** The report's domain and ip, when the managed domain settled them. */
  readonly target?: { readonly domain: string; readonly ip: string }
}

export interface EntraStage extends StepResult<EntraPart> {
  /** The settings with ip, domain and connect-to taken from the managed domain where not given. */
  readonly settings: Settings
  /** False when the DNS record must not be written (apply mode, and the managed domain disagrees or is not ready). */
  readonly dnsAllowed: boolean
  /**
   * Waits for the NSG reads and compares the served certificate (the certificate step's part, if
   * it ran) with the uploaded one. When the NSG reads failed, the certificate comparison's
   * findings come with the error.
   */
  finish(served: CertificateReport | undefined): Promise<StepOutcome<StepResult<{ readonly entra: EntraReport }>>>
  /** ldapsSettings.publicCertificate parsed (or why not): after renewed(), the renewed leaf. */
  uploadedCertificate(): UploadedCertificate
  /** "managed domain contoso100.com". */
  readonly description: string
  /** The worst NSG verdict over the replica sets, once read; undefined with entra-nsg-check off or unreadable. */
  networkVerdict(): Promise<{ readonly exposure: LdapsExposure; readonly rule: string | undefined } | undefined>
  /** The managed domain as read (the renewal step orders and uploads from it). */
  readonly facts: ManagedDomainFacts
  /**
   * A renewed certificate was uploaded: finish() compares the served one with it, and the report
   * shows it. Returns the stage's part as of now.
   */
  renewed(certificate: {
    readonly thumbprint: string
    readonly notAfter: Date | undefined
    /** The renewed leaf, base64 DER (what ARM returns as publicCertificate from now on). */
    readonly publicCertificate: string
  }): EntraPart
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/**
 * Health alerts listed one finding each; the rest are counted in one more. A real managed domain
 * has a handful; a list of thousands (a fault, or a hostile endpoint) must not become thousands of
 * findings in the log, the summary and the report.
 */
export const MAX_HEALTH_ALERT_FINDINGS = 20

export async function startEntraStage(
  settings: Settings,
  options: AzureDnsOptions & { now?: () => Date; reader?: EntraReader; plan?: RunPlan } = {}
): Promise<EntraStage> {
  const entra = settings.entra
  if (entra === undefined) throw new Error('Entra stage without entra settings')
  const reader = options.reader ?? createEntraReader(entra, options)
  let facts = await reader.readManagedDomain()
  const drift = (options.plan ?? planRun(settings)).differencesAreDrift
  let findings: Finding[] = []
  const add = (f: Omit<Finding, 'step'>): void => void findings.push({ step: 'entra', ...f })
  github.info(
    `Managed domain ${facts.domainName} (resource ${facts.name} in resource group ${facts.resourceGroup}): ldaps ${facts.ldaps ?? '?'}, externalAccess ${facts.externalAccess ?? '?'}, ${facts.replicaSets.length} replica set(s).`
  )

  const state: Mutable<EntraReport> = {
    managedDomain: {
      id: facts.id,
      name: facts.name,
      domainName: facts.domainName,
      resourceGroup: facts.resourceGroup,
      subscriptionId: facts.subscriptionId
    },
    ldaps: facts.ldaps,
    externalAccess: facts.externalAccess,
    tlsV1: facts.tlsV1,
    certificate: {
      thumbprint: normalizeThumbprint(facts.certificateThumbprint)?.toUpperCase() ?? facts.certificateThumbprint,
      notAfter: facts.certificateNotAfter?.toISOString()
    },
    nsg: { check: entra.nsgCheck, replicaSets: [] },
    healthAlerts: facts.replicaSets.flatMap(r =>
      r.healthAlerts.map(a => ({ replicaSet: r.location, id: a.id, name: a.name, resolutionUri: a.resolutionUri }))
    ),
    armReads: reader.stats.reads
  }
  // A copy: what the report shows is the state as of the end of each half of the stage.
  const snapshot = (): EntraReport => ({ ...state, armReads: reader.stats.reads })

  // The NSG reads start now and run beside the DNS plan.
  const exposure = entra.nsgCheck === 'off' ? undefined : settle(readExposure(reader, facts))

  // Evidence only: the service refreshes these hourly at best.
  if (facts.tlsV1 === 'Enabled') {
    add({
      severity: 'warning',
      code: 'entra-tls1-enabled',
      title: 'Managed domain accepts TLS 1.0',
      message: `${describeDomain(facts)}: domainSecuritySettings.tlsV1 is Enabled, so secure LDAP still accepts TLS 1.0; turn on 'TLS 1.2 only mode' (Security settings of the managed domain)`
    })
  }
  for (const a of state.healthAlerts.slice(0, MAX_HEALTH_ALERT_FINDINGS)) {
    add({
      severity: 'warning',
      code: 'entra-health-alert',
      title: `Managed domain health alert ${a.id}`,
      message: `${describeDomain(facts)} reports health alert ${a.id} (${a.name}) for replica set ${a.replicaSet}${a.resolutionUri ? `; see ${a.resolutionUri}` : ''}`
    })
  }
  const unlisted = state.healthAlerts.length - MAX_HEALTH_ALERT_FINDINGS
  if (unlisted > 0) {
    add({
      severity: 'warning',
      code: 'entra-health-alerts-unlisted',
      title: 'More managed domain health alerts',
      message: `${describeDomain(facts)} reports ${unlisted} more health alert(s) than the ${MAX_HEALTH_ALERT_FINDINGS} listed (${state.healthAlerts.length} in all); see the managed domain's Health page in the Azure portal`
    })
  }

  let dnsAllowed = true
  const problems = secureLdapProblems(facts)
  for (const { code, title, message } of problems) add({ severity: 'error', code, title, message, drift })
  if (problems.length > 0) dnsAllowed = false

  let uploaded = readUploadedCertificate(facts)
  const expiry = uploadedCertificateExpiry(
    facts,
    (options.now ?? (() => new Date()))(),
    settings.certificate.minDaysValid,
    uploaded.ok ? uploaded.certificate.notBefore : undefined
  )
  if (expiry?.kind === 'expired') {
    add({
      severity: 'error',
      code: 'entra-certificate-expired',
      title: 'Managed domain certificate expired',
      message: expiry.message,
      drift: true
    })
  } else if (expiry !== undefined) {
    const fails = settings.certificate.failOnRenewalDue
    add({
      severity: fails ? 'error' : 'warning',
      code: 'entra-certificate-renewal-due',
      title: 'Managed domain certificate renewal due',
      message: expiry.message,
      ...(fails ? { drift: true } : {})
    })
  }

  // The external IP: from the chosen replica set; the ip input, when given, must agree.
  let ip = settings.ip
  const choice = chooseReplicaSet(facts, entra.replicaSet)
  if (!choice.ok) {
    if (problems.length === 0 || entra.replicaSet !== undefined) {
      add({
        severity: 'error',
        code: 'entra-no-external-ip',
        title: 'No external IP on the managed domain',
        message: choice.message,
        drift
      })
    }
    dnsAllowed = false
  } else {
    const raw = choice.replicaSet.externalAccessIpAddress!
    const parsed = parseIpAddress(raw)
    // Text from ARM: the same rules as the ip input before the name can point at it.
    const refused = parsed.ok ? endpointAddressProblem(parsed.value) : 'must be an IP address'
    if (!parsed.ok || refused !== undefined) {
      add({
        severity: 'error',
        code: 'entra-external-ip-unusable',
        title: 'External IP unusable',
        message: `${describeDomain(facts)}: replica set ${choice.replicaSet.location} has externalAccessIpAddress ${JSON.stringify(raw.slice(0, 80))}, which is not published: the address ${refused}; nothing was written`,
        drift
      })
      dnsAllowed = false
    } else {
      const external = parsed.value.address
      state.replicaSet = choice.replicaSet.location
      state.externalIp = external
      const range = nonPublicAddressRange(parsed.value)
      if (range !== undefined) {
        add({
          severity: 'warning',
          code: 'entra-external-ip-not-public',
          title: 'External IP not public',
          message: `${describeDomain(facts)}: replica set ${choice.replicaSet.location} publishes secure LDAP at ${external}, a ${range} address, not reachable from the internet; clients outside that network cannot use this name`
        })
      }
      if (entra.ipGiven && settings.ip !== external) {
        add({
          severity: 'error',
          code: 'entra-ip-differs',
          title: 'ip differs from the managed domain',
          message: `input "ip" is ${settings.ip}, but ${describeDomain(facts)} publishes secure LDAP at ${external} (replica set ${choice.replicaSet.location}); leave ip empty to follow the managed domain, or correct it${drift ? '' : '. Nothing was written'}`,
          drift: true
        })
        if (!drift) dnsAllowed = false
      }
      ip = external
    }
  }

  let domain = settings.domain
  if (!entra.domainGiven) {
    const named = parseDomainName(`ldaps.${facts.domainName}`)
    if (named.ok && settings.zone !== undefined && !isInZone(named.value, settings.zone)) {
      add({
        severity: 'error',
        code: 'entra-domain-outside-zone',
        title: 'Domain outside the zone',
        message: `input "zone": ${outsideZone(named.value, settings.zone)} (domain is empty, so the name comes from ${describeDomain(facts)}: set domain to a name in zone ${settings.zone}, or fix zone)`
      })
      ip = ''
    } else if (named.ok) domain = named.value
    else {
      add({
        severity: 'error',
        code: 'entra-no-domain-name',
        title: 'No name for the managed domain',
        message: `${describeDomain(facts)}: ldaps.${facts.domainName} is not a usable DNS name (${named.rule}); set the domain input`
      })
      ip = ''
    }
  }
  const entraPart = snapshot()

  let resolved = settings
  let target: EntraPart['target']
  if (ip !== '' && domain !== '') {
    const recordType: Settings['recordType'] = ip.includes(':') ? 'AAAA' : 'A'
    resolved = Object.freeze({
      ...settings,
      domain,
      ip,
      recordType,
      certificate: Object.freeze({
        ...settings.certificate,
        connectTo: entra.connectToGiven ? settings.certificate.connectTo : ip
      })
    })
    target = { domain, ip }
    github.info(`Secure LDAP of ${facts.domainName}: ${domain} → ${ip} (replica set ${state.replicaSet ?? '?'}).`)
  } else {
    resolved = Object.freeze({ ...settings, ip: '' })
  }

  return {
    settings: resolved,
    dnsAllowed,
    part: target === undefined ? { entra: entraPart } : { entra: entraPart, target },
    findings,
    uploadedCertificate() {
      return uploaded
    },
    description: describeDomain(facts),
    async networkVerdict() {
      if (exposure === undefined) return undefined
      const outcome = await exposure
      if (!outcome.ok) return undefined
      const worst = worstExposure(outcome.value.map(r => r.report))
      return worst === undefined ? undefined : { exposure: worst.exposure, rule: worst.rule }
    },
    facts,
    renewed(certificate) {
      facts = {
        ...facts,
        certificateThumbprint: certificate.thumbprint,
        certificateNotAfter: certificate.notAfter,
        publicCertificate: certificate.publicCertificate
      }
      uploaded = readUploadedCertificate(facts)
      state.certificate = { thumbprint: certificate.thumbprint, notAfter: certificate.notAfter?.toISOString() }
      return target === undefined ? { entra: snapshot() } : { entra: snapshot(), target }
    },
    async finish(served: CertificateReport | undefined) {
      findings = []
      compareCertificate(facts, served, resolved, state, add)
      if (exposure !== undefined) {
        const outcome = await exposure
        // The report keeps the certificate comparison's findings and the state as first read.
        if (!outcome.ok) return failed(outcome.error, { part: {}, findings })
        judgeExposure(facts, entra, outcome.value, state, add)
      }
      return succeeded({ part: { entra: snapshot() }, findings })
    }
  }
}

function compareCertificate(
  facts: ManagedDomainFacts,
  served: CertificateReport | undefined,
  settings: Settings,
  state: Mutable<EntraReport>,
  add: (f: Omit<Finding, 'step'>) => void
): void {
  if (served?.source === 'managed-domain') {
    github.info(
      'The certificate uploaded to the managed domain was judged itself; the served certificate was not compared with it.'
    )
    return
  }
  const leaf = served?.leaf
  if (leaf?.sha1 === undefined) {
    if (settings.certificate.verify) return // the probe failed; the certificate step says why
    github.info('verify-certificate is false: the served certificate is not compared with the uploaded one.')
    return
  }
  const where = `${settings.domain}:${settings.certificate.port} at ${settings.certificate.connectTo}`
  const verdict = compareThumbprint(facts, leaf.sha1, where)
  if (verdict === undefined) {
    add({
      severity: 'warning',
      code: 'entra-no-thumbprint',
      title: 'No certificate thumbprint on the managed domain',
      message: `${describeDomain(facts)}: ldapsSettings.certificateThumbprint is ${facts.certificateThumbprint === undefined ? 'not set' : `not a SHA-1 thumbprint (${JSON.stringify(facts.certificateThumbprint.slice(0, 80))})`}, so the served certificate cannot be compared with the uploaded one`
    })
    return
  }
  state.certificate = { ...state.certificate, match: verdict.match }
  if (verdict.match) {
    github.info(
      `${where} serves the certificate uploaded to ${facts.domainName} (thumbprint ${verdict.thumbprint.toUpperCase()}).`
    )
    return
  }
  add({
    severity: 'error',
    code: 'entra-certificate-mismatch',
    title: 'Not the uploaded certificate',
    message: verdict.message,
    drift: true
  })
}

interface ReplicaSetExposure {
  readonly replicaSet: ReplicaSetFacts
  readonly report: EntraReplicaSetNsgReport
}

async function readExposure(reader: EntraReader, facts: ManagedDomainFacts): Promise<ReplicaSetExposure[]> {
  // One subnet GET and one NSG GET per replica set, all at once.
  return Promise.all(
    facts.replicaSets.map(async (replicaSet): Promise<ReplicaSetExposure> => {
      const base = { location: replicaSet.location, subnetId: replicaSet.subnetId }
      if (replicaSet.subnetId === undefined) {
        return {
          replicaSet,
          report: { ...base, exposure: 'unknown', reason: 'the replica set names no subnetId' }
        }
      }
      const read = await reader.readSubnetNsg(replicaSet.subnetId)
      if (read.kind === 'unreadable') {
        return { replicaSet, report: { ...base, exposure: 'unknown', reason: read.message } }
      }
      if (read.kind === 'no-nsg') {
        return {
          replicaSet,
          report: {
            ...base,
            exposure: 'no-nsg',
            reason: `no network security group is associated with subnet ${read.subnetName}, so nothing restricts TCP 636`
          }
        }
      }
      const verdict = evaluateLdapsExposure(read.rules, {
        addresses: replicaSet.domainControllerIpAddress,
        subnetPrefixes: read.subnetPrefixes
      })
      return {
        replicaSet,
        report: {
          ...base,
          nsg: read.nsgName,
          exposure: verdict.exposure,
          rule: verdict.rule === undefined ? undefined : `${verdict.rule.name} (priority ${verdict.rule.priority})`,
          reason: verdict.reason
        }
      }
    })
  )
}

function judgeExposure(
  facts: ManagedDomainFacts,
  entra: EntraSettings,
  results: readonly ReplicaSetExposure[],
  state: Mutable<EntraReport>,
  add: (f: Omit<Finding, 'step'>) => void
): void {
  const reports = results.map(r => r.report)
  const worst = worstExposure(reports)
  state.nsg = { check: entra.nsgCheck, exposure: worst?.exposure, rule: worst?.rule, replicaSets: reports }
  const severity = (failing: boolean): Finding['severity'] =>
    failing && entra.nsgCheck === 'fail' ? 'error' : 'warning'
  for (const r of reports) {
    const where = `${describeDomain(facts)}, replica set ${r.location}`
    const kinds: Partial<Record<LdapsExposure, () => void>> = {
      open: () =>
        add({
          severity: severity(true),
          code: 'nsg-open-to-internet',
          title: 'Secure LDAP open to the internet (AADDS101)',
          message: `${where}: network security group ${r.nsg ?? '?'} ${r.reason}, so port 636 is open to the whole internet (alert AADDS101); restrict that rule's source to the client address ranges that need secure LDAP`
        }),
      'no-nsg': () =>
        add({
          severity: severity(true),
          code: 'nsg-missing',
          title: 'No network security group on the managed domain subnet',
          message: `${where}: ${r.reason}; associate a network security group that allows TCP 636 only from the client address ranges`
        }),
      unknown: () =>
        add({
          severity: 'warning',
          code: 'nsg-not-checked',
          title: 'NSG not checked',
          message: `${where}: the network security group could not be judged: ${r.reason}`
        }),
      'no-rule': () =>
        add({
          severity: 'notice',
          code: 'nsg-no-ldaps-rule',
          title: 'No NSG rule for secure LDAP',
          message: `${where}: network security group ${r.nsg ?? '?'}: ${r.reason}; internet clients cannot reach secure LDAP until a rule allows TCP 636 from their ranges`
        })
    }
    kinds[r.exposure]?.()
    github.info(`${where}: NSG verdict ${r.exposure}${r.rule ? ` (${r.rule})` : ''}: ${r.reason}.`)
  }
}

export type UploadedCertificate =
  { readonly ok: true; readonly certificate: ParsedCertificate } | { readonly ok: false; readonly reason: string }

/** ldapsSettings.publicCertificate parsed: base64 DER of the uploaded leaf (PEM armour tolerated). */
export function readUploadedCertificate(facts: ManagedDomainFacts): UploadedCertificate {
  const text = facts.publicCertificate
  if (text === undefined || text === '') return { ok: false, reason: 'ldapsSettings.publicCertificate is not set' }
  const base64 = text.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '')
  if (!BASE64.test(base64) || base64.length > MAX_PUBLIC_CERTIFICATE_BASE64) {
    return { ok: false, reason: 'ldapsSettings.publicCertificate is not base64 of at most 64 KiB' }
  }
  try {
    return { ok: true, certificate: parseCertificate(Buffer.from(base64, 'base64')) }
  } catch {
    return { ok: false, reason: 'ldapsSettings.publicCertificate does not parse as an X.509 certificate' }
  }
}

/** A leaf certificate is a few KiB; anything larger is not one (and is not parsed). */
const MAX_PUBLIC_CERTIFICATE_BASE64 = 88_000

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown }

/** A promise that never rejects, so a failure while the DNS plan runs is not unhandled. */
function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    value => ({ ok: true, value }),
    error => ({ ok: false, error })
  )
}
