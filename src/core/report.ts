// The result of one run, as data: every step writes its part here, and the outputs, the job
// summary, annotations and the drift issue are all rendered from it. Its JSON form is the `report`
// output, so its shape is a public contract: add fields freely, but bump REPORT_VERSION before
// renaming or removing one.

import type { LdapsExposure } from './nsg.ts'
import type { EntraNsgCheck, Mode, ProviderName, RecordType, TlsProtocol } from './settings.ts'

export const REPORT_VERSION = 1

export type Step =
  'inputs' | 'dns-plan' | 'dns-write' | 'propagation' | 'certificate' | 'drift-issue' | 'entra' | 'renewal'

/**
 * What a finding is about, as data: code decides, title and message are for people. Stable
 * within a report version (a new code may be added; none is renamed).
 */
export const FINDING_CODES = [
  // inputs, and any step that failed as a whole (its error, in `message`)
  'input-invalid',
  'input-warning',
  'step-failed',
  // DNS plan and propagation
  'record-cname',
  'record-drift',
  'nameserver-cname',
  'nameserver-stale',
  'nameserver-not-checked',
  'propagation-timeout',
  // the certificate, as served or as uploaded to the managed domain (one per evaluator rule)
  'certificate-probe-failed',
  'certificate-untrusted',
  'certificate-name-mismatch',
  'certificate-invalid',
  'certificate-renewal-due',
  'certificate-usage',
  'certificate-weak',
  'certificate-fingerprint-mismatch',
  'certificate-malformed',
  'certificate-entra-advice',
  'certificate-from-managed-domain',
  'tls-version-outdated',
  'ldap-no-answer',
  'ldap-bind-failed',
  'ldap-search-failed',
  // the Entra Domain Services managed domain
  'entra-tls1-enabled',
  'entra-health-alert',
  'entra-health-alerts-unlisted',
  'entra-secure-ldap-disabled',
  'entra-external-access-disabled',
  'entra-certificate-expired',
  'entra-certificate-renewal-due',
  'entra-no-external-ip',
  'entra-external-ip-unusable',
  'entra-external-ip-not-public',
  'entra-ip-differs',
  'entra-domain-outside-zone',
  'entra-no-domain-name',
  'entra-no-thumbprint',
  'entra-certificate-mismatch',
  'nsg-open-to-internet',
  'nsg-missing',
  'nsg-not-checked',
  'nsg-no-ldaps-rule',
  // certificate renewal (renew: acme)
  'renewal-not-served',
  'renewal-challenge-not-removed',
  'renewal-endpoint-unreachable',
  // publishing
  'drift-issue-not-updated'
] as const

export type FindingCode = (typeof FINDING_CODES)[number]

export interface Finding {
  readonly severity: 'error' | 'warning' | 'notice'
  readonly step: Step
  readonly code: FindingCode
  /** Short title for the annotation, e.g. "Certificate expired". */
  readonly title: string
  /** One sentence a person understands without reading the log. */
  readonly message: string
  /** True when, in check mode, this finding means the live state differs from the inputs. */
  readonly drift?: boolean
}

export interface RecordReport {
  readonly zone: string | undefined
  readonly name: string
  readonly type: RecordType
  readonly desired: { readonly values: readonly string[]; readonly ttl: number }
  /** What the provider held before the run; undefined when nothing was read (provider none). */
  readonly found?:
    | { readonly values: readonly string[]; readonly ttl: number | undefined; readonly cname?: string | undefined }
    | undefined
  readonly action: 'create' | 'replace' | 'none' | 'conflict' | 'skipped'
  readonly changed: boolean
  /** Provider API calls made, so a no-op can be shown to make zero writes. */
  readonly providerReads?: number
  readonly providerWrites?: number
}

export type NameserverState =
  'in-sync' | 'stale' | 'unreachable' | 'refused' | 'servfail' | 'not-authoritative' | 'error' | 'skipped'

export interface NameserverReport {
  readonly nameserver: string
  readonly address: string
  readonly state: NameserverState
  /** Addresses it answered with (empty for NODATA/NXDOMAIN). */
  readonly answer: readonly string[]
  readonly serial?: number | undefined
  /** Seconds after the write (or the start of the step) when it first answered in sync. */
  readonly syncedAfterSeconds?: number | undefined
  readonly detail?: string | undefined
  /** DNS queries sent to this address (answer polls and SOA). */
  readonly queries?: number | undefined
}

export interface PropagationReport {
  readonly zone: string | undefined
  readonly propagated: boolean
  readonly seconds: number | undefined
  readonly nameservers: readonly NameserverReport[]
  readonly queries: number
  /** What the recursive resolver answered after success, for information. */
  readonly recursiveAnswer?: readonly string[] | undefined
  /** How the pairs were found: discovered through the resolver, or given in `nameservers`. */
  readonly source?: 'discovered' | 'nameservers' | undefined
  /** Addresses left out because the runner cannot reach their address family at all. */
  readonly skippedAddresses?: readonly string[] | undefined
  /** The newest SOA serial any pair answered (RFC 1982 order). */
  readonly newestSerial?: number | undefined
  /** Target of a CNAME at the domain, as the authoritative servers answer it. */
  readonly cname?: string | undefined
  /** The provider's own in-sync signal (Route 53 INSYNC), when it has one. */
  readonly providerInSync?: boolean | undefined
}

export interface CertificateSummary {
  /** 0 is the leaf, as served. */
  readonly position: number
  readonly subject: string
  readonly issuer: string
  readonly notBefore: string
  readonly notAfter: string
  readonly sha256: string
  readonly key: string
  readonly signature: string
  /** Where it came from: sent by the server, or added from the trust store. */
  readonly source: 'served' | 'trust-store' | 'ca-certificate'
  readonly verdict: 'ok' | 'problem' | 'trust-anchor'
}

export interface CertificateReport {
  readonly trusted: boolean
  /**
   * Which certificate was judged: the one served at the endpoint, or the one uploaded to the
   * Entra DS managed domain (certificate-source; auto falls back to it when 636 is closed to the
   * runner). Absent in reports of older versions: the endpoint.
   */
  readonly source?: 'endpoint' | 'managed-domain' | undefined
  /** Why the managed domain's certificate was judged instead of the endpoint's, in words. */
  readonly sourceReason?: string | undefined
  readonly host: string
  readonly port: number
  readonly protocol: TlsProtocol
  readonly tlsVersion: string | undefined
  readonly cipher: string | undefined
  readonly leaf:
    | {
        readonly subject: string
        readonly issuer: string
        readonly sha256: string
        /** SHA-1 over the DER (the Windows "thumbprint"), 40 lowercase hex digits. */
        readonly sha1?: string | undefined
        readonly notAfter: string
        readonly daysRemaining: number
        readonly subjectAltNames: readonly string[]
      }
    | undefined
  readonly chain: readonly CertificateSummary[]
  readonly ldap?:
    | {
        readonly namingContexts: readonly string[]
        readonly supportedLDAPVersion: readonly string[]
        /** Active Directory's default naming context (the domain), when the root DSE has one. */
        readonly defaultNamingContext?: string | undefined
      }
    | undefined
  /** Address the probe connected to (the name itself is never resolved for the verdict). */
  readonly connectTo?: string | undefined
  /** handshake: the chain read from the TLS 1.2 Certificate message; linked: rebuilt (TLS 1.3-only server). */
  readonly servedFrom?: 'handshake' | 'linked' | undefined
  /** Node's own verification of the same handshake (ca = bundled roots + ca-certificate). */
  readonly nodeVerification?:
    | { readonly authorized: boolean; readonly error?: string | undefined; readonly identityError?: string | undefined }
    | undefined
  /**
   * The renewal window (min-days-valid) applied to the leaf: due while the chain is still valid
   * and trusted, from renewBy on (or when a CA in the path expires before that).
   */
  readonly renewal?:
    | {
        readonly due: boolean
        readonly renewBy: string
        readonly daysLeft: number
        readonly lifetimeDays: number
        readonly windowDays: number
        /** min-days-valid as given, e.g. `33%` or `30`. */
        readonly rule: string
        /** The rule in words, e.g. `33% of the lifetime, at least 7 days, before expiry`. */
        readonly ruleText: string
      }
    | undefined
  /** One entry per failed rule (and renewal due), in the order found. */
  readonly problems?:
    | readonly {
        readonly rule: string
        readonly position: number | undefined
        readonly subject: string
        readonly message: string
      }[]
    | undefined
}

/** The optional authenticated bind (ldap-bind-dn) and the base search after it. */
export interface LdapBindReport {
  /** ok: bound; failed: the server refused or did not answer; skipped: not attempted (see reason). */
  readonly state: 'ok' | 'failed' | 'skipped'
  /** The bind name as given (DN, UPN or down-level name). */
  readonly dn: string
  /** The result code name, with AD's data code, e.g. `invalidCredentials (data 52e)`. */
  readonly result?: string | undefined
  readonly resultCode?: number | undefined
  /** Active Directory's data code from the diagnostic message, lowercase hex (e.g. `52e`). */
  readonly dataCode?: string | undefined
  /** For people: what happened, why it was skipped or what to do. */
  readonly message: string
  readonly search?:
    | {
        readonly base: string
        readonly filter: string
        /** The search's result code name. */
        readonly result: string
        readonly entries: number
      }
    | undefined
}

/** NSG verdict on the subnet of one replica set of the managed domain. */
export interface EntraReplicaSetNsgReport {
  readonly location: string
  readonly subnetId: string | undefined
  readonly nsg?: string | undefined
  readonly exposure: LdapsExposure
  /** Deciding rule, `Name (priority N)`. */
  readonly rule?: string | undefined
  readonly reason: string
}

/** What the Entra Domain Services stage read from the managed domain, and its verdicts. */
export interface EntraReport {
  readonly managedDomain: {
    readonly id: string
    readonly name: string
    readonly domainName: string
    readonly resourceGroup: string
    readonly subscriptionId: string
  }
  /** Location of the replica set whose external IP is published. */
  readonly replicaSet?: string | undefined
  readonly externalIp?: string | undefined
  readonly ldaps?: string | undefined
  readonly externalAccess?: string | undefined
  readonly tlsV1?: string | undefined
  readonly certificate: {
    /** ldapsSettings.certificateThumbprint, 40 uppercase hex digits. */
    readonly thumbprint?: string | undefined
    readonly notAfter?: string | undefined
    /** Whether the served leaf's SHA-1 equals the thumbprint; absent when not compared. */
    readonly match?: boolean | undefined
  }
  readonly nsg: {
    readonly check: EntraNsgCheck
    /** The worst verdict over the replica sets; absent with entra-nsg-check off. */
    readonly exposure?: LdapsExposure | undefined
    readonly rule?: string | undefined
    readonly replicaSets: readonly EntraReplicaSetNsgReport[]
  }
  readonly healthAlerts: readonly {
    readonly replicaSet: string
    readonly id: string
    readonly name: string
    readonly resolutionUri?: string | undefined
  }[]
  /** Azure Resource Manager requests of this stage (all reads). */
  readonly armReads: number
}

/** The managed domain's certificate as ARM or the CA tell it: thumbprint and expiry. */
export interface RenewalCertificate {
  /** SHA-1, 40 uppercase hex digits. */
  readonly thumbprint?: string | undefined
  readonly notAfter?: string | undefined
}

/** Certificate renewal (renew: acme): whether it was due, and how far it got. */
export interface RenewalReport {
  /**
   * not-due: nothing ordered; renewed: uploaded and ARM reports it; failed: stopped on the way
   * (`stage` says where), the managed domain keeps `previous`.
   */
  readonly state: 'not-due' | 'renewed' | 'failed'
  readonly reason: string
  readonly directory: string
  readonly previous: RenewalCertificate
  readonly renewed?: (RenewalCertificate & { readonly subject?: string | undefined }) | undefined
  /** Where a failed renewal stopped. */
  readonly stage?: 'order' | 'checks' | 'upload' | 'served' | undefined
  /** Handshakes in a row that showed the renewed leaf, and how many were needed; absent when not probed. */
  readonly served?: { readonly inARow: number; readonly needed: number; readonly handshakes: number } | undefined
  /** Azure Resource Manager writes (the one PATCH), when one was sent. */
  readonly armWrites: number
}

export interface DriftIssueReport {
  readonly action: 'opened' | 'updated' | 'closed' | 'none'
  readonly number?: number | undefined
  readonly url?: string | undefined
  /** True when this run commented on the issue (closing it, or the kinds of finding changed). */
  readonly commented?: boolean | undefined
}

export interface Report {
  readonly version: typeof REPORT_VERSION
  readonly domain: string
  readonly ip: string
  readonly mode: Mode | undefined
  readonly provider: ProviderName | undefined
  readonly startedAt: string
  outcome: 'success' | 'failure'
  drift: boolean
  findings: Finding[]
  record?: RecordReport
  propagation?: PropagationReport
  certificate?: CertificateReport
  ldapBind?: LdapBindReport
  driftIssue?: DriftIssueReport
  entra?: EntraReport
  renewal?: RenewalReport
  /**
   * Present only when the report was over the output limit (MAX_REPORT_OUTPUT_BYTES): its full
   * size, and how far lists and strings were shortened to fit.
   */
  cut?: { readonly bytes: number; readonly listItems: number; readonly stringCharacters: number }
}

/** Failures first: the order in which a cut summary or report keeps findings. */
export const SEVERITY_ORDER: Record<Finding['severity'], number> = { error: 0, warning: 1, notice: 2 }

/**
 * GitHub refuses a step output over 1 MB (and a job's outputs over 50 MB in all): the `report`
 * output stays under 1,000,000 bytes of UTF-8.
 */
export const MAX_REPORT_OUTPUT_BYTES = 1_000_000

/** Where a cut starts: 100 items a list (errors first) and 2,000 characters a string; halved until it fits. */
const CUT_START = { listItems: 100, stringCharacters: 2_000 } as const

/**
 * The report as JSON, within MAX_REPORT_OUTPUT_BYTES: when the whole is larger (20,000 health
 * alerts, a huge server message), lists are cut to their first items (findings errors first) and
 * long strings end in `…`, and `cut` says so. Still valid JSON of the same shape.
 */
export function reportJson(report: Report, maxBytes: number = MAX_REPORT_OUTPUT_BYTES): string {
  const full = JSON.stringify(report)
  const bytes = Buffer.byteLength(full, 'utf8')
  if (bytes <= maxBytes) return full
  const ordered = {
    ...report,
    findings: report.findings.toSorted((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity])
  }
  let { listItems, stringCharacters }: { listItems: number; stringCharacters: number } = CUT_START
  for (;;) {
    const json = JSON.stringify({
      ...(shorten(ordered, listItems, stringCharacters) as Report),
      cut: { bytes, listItems, stringCharacters }
    })
    if (Buffer.byteLength(json, 'utf8') <= maxBytes || (listItems === 1 && stringCharacters <= 16)) return json
    listItems = Math.max(1, Math.floor(listItems / 2))
    stringCharacters = Math.max(16, Math.floor(stringCharacters / 2))
  }
}

function shorten(value: unknown, listItems: number, stringCharacters: number): unknown {
  if (typeof value === 'string') {
    if (value.length <= stringCharacters) return value
    const characters = Array.from(value)
    return characters.length <= stringCharacters ? value : `${characters.slice(0, stringCharacters - 1).join('')}…`
  }
  if (Array.isArray(value)) return value.slice(0, listItems).map(v => shorten(v, listItems, stringCharacters))
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shorten(v, listItems, stringCharacters)]))
  }
  return value
}

export function createReport(init: {
  domain: string
  ip: string
  mode: Mode | undefined
  provider: ProviderName | undefined
  now: Date
}): Report {
  return {
    version: REPORT_VERSION,
    domain: init.domain,
    ip: init.ip,
    mode: init.mode,
    provider: init.provider,
    startedAt: init.now.toISOString(),
    outcome: 'success',
    drift: false,
    findings: []
  }
}

/**
 * The Entra stage supplies `domain` and `ip` when the inputs left them empty; the report then
 * names what the run actually published and verified.
 */
export function setReportTarget(report: Report, target: { domain: string; ip: string }): void {
  Object.assign(report, target)
}

/** Step outputs as GitHub sets them: strings only; unknown values are left unset. */
export function toOutputs(report: Report): Record<string, string> {
  const out: Record<string, string> = {}
  const set = (name: string, value: string | number | boolean | undefined): void => {
    if (value !== undefined) out[name] = String(value)
  }
  const { record, propagation, certificate } = report
  set('record-changed', record?.changed ?? false)
  if (record?.found !== undefined) set('previous-ips', record.found.values.join(','))
  set('zone', record?.zone ?? propagation?.zone)
  if (propagation !== undefined) {
    set('nameservers', [...new Set(propagation.nameservers.map(n => n.nameserver))].join(','))
    set('propagated', propagation.propagated)
    if (propagation.seconds !== undefined) set('propagation-seconds', Math.round(propagation.seconds * 10) / 10)
  }
  if (certificate !== undefined) {
    set('certificate-trusted', certificate.trusted)
    set('certificate-source', certificate.source)
    set('certificate-renewal-due', certificate.renewal?.due)
    set('tls-version', certificate.tlsVersion)
    if (certificate.leaf !== undefined) {
      set('certificate-subject', certificate.leaf.subject)
      set('certificate-issuer', certificate.leaf.issuer)
      set('certificate-sha256', certificate.leaf.sha256)
      set('certificate-not-after', certificate.leaf.notAfter)
      set('certificate-days-remaining', Math.floor(certificate.leaf.daysRemaining))
    }
  }
  if (report.ldapBind !== undefined) {
    set('ldap-bind', report.ldapBind.state)
    set('ldap-bind-result', report.ldapBind.result)
    set('ldap-search-entries', report.ldapBind.search?.entries)
  }
  const { entra } = report
  if (entra !== undefined) {
    set('entra-external-ip', entra.externalIp)
    set('entra-certificate-thumbprint', entra.certificate.thumbprint)
    set('entra-certificate-not-after', entra.certificate.notAfter)
    set('entra-certificate-match', entra.certificate.match)
    set('nsg-ldaps-exposure', entra.nsg.exposure)
    set('nsg-ldaps-rule', entra.nsg.rule)
  }
  if (report.renewal !== undefined) {
    set('certificate-renewed', report.renewal.state === 'renewed')
    set('renewed-thumbprint', report.renewal.renewed?.thumbprint)
    set('renewed-not-after', report.renewal.renewed?.notAfter)
  }
  set('drift', report.drift)
  out['report'] = reportJson(report)
  return out
}

/** What a step returns: its part of the report and its findings; main puts both into the report. */
export interface StepResult<Part> {
  readonly part: Part
  readonly findings: readonly Finding[]
}

/**
 * What a step's run returns instead of throwing: its result, or the error it stopped at with what
 * it had found before (a re-read record, a judged certificate), which main reports before the error.
 */
export type StepOutcome<R extends StepResult<object>> =
  | { readonly ok: true; readonly result: R }
  | { readonly ok: false; readonly error: unknown; readonly partial?: StepResult<Partial<R['part']>> | undefined }

export function succeeded<R extends StepResult<object>>(result: R): StepOutcome<R> {
  return { ok: true, result }
}

export function failed<R extends StepResult<object>>(
  error: unknown,
  partial?: StepResult<Partial<R['part']>>
): StepOutcome<R> {
  return partial === undefined ? { ok: false, error } : { ok: false, error, partial }
}
