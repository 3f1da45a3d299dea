// Step 4: connect where the name points and decide whether an LDAP client would trust what is served.

import { millisecondsFromEnv } from '../core/environment.ts'
import * as github from '../adapters/github.ts'
import { createHash } from 'node:crypto'
import tls from 'node:tls'
import {
  describeKey,
  evaluateCertificate,
  type CertificateFinding,
  type CertificateRule,
  type CertificateVerdict
} from '../core/certificate.ts'
import { describeBind, outdatedTlsVersion, quoteServerText, resultCodeName } from '../core/ldap-bind.ts'
import {
  failed,
  succeeded,
  type CertificateReport,
  type CertificateSummary,
  type Finding,
  type FindingCode,
  type LdapBindReport,
  type StepOutcome,
  type StepResult
} from '../core/report.ts'
import type { LdapBindSettings, Settings } from '../core/settings.ts'
import { shortName, subjectLine, type ParsedCertificate } from '../core/x509.ts'
import { fetchIssuers } from '../adapters/aia-fetch.ts'
import { describeRenewal, describeRenewalRule, renewalRuleInput, type RenewalRule } from '../core/renewal-window.ts'
import { ProbeError, probeTls, type LdapChannel, type ProbeResult, type ProbeTimeouts } from '../adapters/tls-probe.ts'

const DAY_MS = 86_400_000

const RULE_TITLE: Record<CertificateRule, string> = {
  trust: 'Certificate not trusted',
  name: 'Certificate name mismatch',
  validity: 'Certificate validity',
  renewal: 'Certificate renewal due',
  usage: 'Certificate usage',
  strength: 'Weak certificate',
  pinning: 'Certificate fingerprint mismatch',
  structure: 'Malformed certificate',
  advice: 'Entra DS certificate advice'
}

const RULE_CODE: Record<CertificateRule, FindingCode> = {
  trust: 'certificate-untrusted',
  name: 'certificate-name-mismatch',
  validity: 'certificate-invalid',
  renewal: 'certificate-renewal-due',
  usage: 'certificate-usage',
  strength: 'certificate-weak',
  pinning: 'certificate-fingerprint-mismatch',
  structure: 'certificate-malformed',
  advice: 'certificate-entra-advice'
}

/**
 * Environment variable that bounds every phase of the probe (connect, StartTLS, TLS handshake,
 * LDAP root DSE read) to the same number of milliseconds instead of the defaults (10-15 s). For
 * slow links, and for tests that play a stalled or slow server (see docs/faults.md).
 */
export const PROBE_TIMEOUT_ENV = 'LDAPS_DNS_ACTION_PROBE_TIMEOUT_MS'

export function parseProbeTimeouts(env: NodeJS.ProcessEnv): Partial<ProbeTimeouts> {
  const ms = millisecondsFromEnv(env, PROBE_TIMEOUT_ENV)
  return ms === undefined ? {} : { connectMs: ms, startTlsMs: ms, handshakeMs: ms, ldapMs: ms }
}

/** The certificate and LDAP bind parts of the report (in the order the report lists them). */
export interface CertificatePart {
  certificate?: CertificateReport
  ldapBind?: LdapBindReport
}

/** The endpoint's verdict; `unanswered` when nothing answered on the port (see ProbeError). */
export interface EndpointResult extends StepResult<CertificatePart> {
  readonly unanswered?: string | undefined
}

export async function verifyCertificate(
  settings: Settings,
  now: () => Date = () => new Date(),
  env: NodeJS.ProcessEnv = process.env
): Promise<StepOutcome<EndpointResult>> {
  const { certificate: c, domain, ldapBind: bind } = settings
  github.info(`Probing ${c.protocol} at ${c.connectTo}:${c.port} with SNI ${domain}.`)
  let probe: ProbeResult
  try {
    probe = await probeTls({
      protocol: c.protocol,
      connectTo: c.connectTo,
      port: c.port,
      peer: domain,
      trustAnchorsPem: c.trustAnchorsPem,
      timeouts: parseProbeTimeouts(env),
      // With a bind to make, the probe keeps the judged connection open (see tls-probe.ts).
      holdForBind: bind !== undefined
    })
  } catch (error) {
    // Key order as the report has always listed them: the skipped bind first.
    const part: CertificatePart = {}
    if (bind !== undefined) {
      part.ldapBind = skipped(
        bind,
        'the TLS probe failed, so there was no verified channel to send the credentials over'
      )
    }
    if (!(error instanceof ProbeError)) return failed(error, { part, findings: [] })
    part.certificate = {
      trusted: false,
      source: 'endpoint',
      host: domain,
      port: c.port,
      protocol: c.protocol,
      connectTo: c.connectTo,
      tlsVersion: undefined,
      cipher: undefined,
      leaf: undefined,
      chain: []
    }
    const findings: Finding[] = [
      {
        severity: 'error',
        step: 'certificate',
        code: 'certificate-probe-failed',
        title: `Certificate check: ${error.phase} failed`,
        message: error.message,
        drift: true
      }
    ]
    return succeeded({ part, findings, ...(error.unanswered ? { unanswered: error.message } : {}) })
  }
  const result = { part: {} as CertificatePart, findings: [] as Finding[] }
  try {
    await judge(settings, result, probe, now())
    return succeeded(result)
  } catch (error) {
    // The verdict stays reported when the bind after it fails.
    return failed(error, result)
  } finally {
    await probe.channel?.close()
  }
}

/**
 * The verdict on what the probe saw, then (with ldap-bind-dn) the bind over the same connection.
 * Fills `result` as it goes, so a bind that throws still leaves the verdict to report.
 */
async function judge(
  settings: Settings,
  result: { part: CertificatePart; findings: Finding[] },
  probe: ProbeResult,
  at: Date
): Promise<void> {
  const { part, findings } = result
  const { certificate: c, domain, ldapBind: bind } = settings
  const where = `${domain}:${c.port}`
  github.info(`Negotiated ${probe.tlsVersion} ${probe.cipher}; the server sent ${probe.served.length} certificate(s).`)

  const verdict = evaluateCertificate({
    served: probe.served,
    rootsPem: tls.rootCertificates,
    trustAnchorsPem: c.trustAnchorsPem,
    peer: domain,
    now: at,
    renewal: c.minDaysValid,
    expectedFingerprint: c.expectedFingerprint,
    entraAdvice: c.protocol !== 'tls',
    nodeVerification: probe.node
  })
  part.certificate = renderCertificateReport(settings, probe, verdict, at)
  for (const f of verdict.findings) findings.push(toFinding(where, f, c.failOnRenewalDue))
  if (probe.ldapError !== undefined) {
    findings.push({
      severity: 'error',
      step: 'certificate',
      code: 'ldap-no-answer',
      title: 'No LDAP answer behind TLS',
      message: `${where} completed the TLS handshake, but ${probe.ldapError.replace(/^TLS probe \([^)]*\) of [^:]+:\d+: /, '')}`,
      drift: true
    })
  }
  if (outdatedTlsVersion(probe.tlsVersion)) {
    findings.push({
      severity: 'warning',
      step: 'certificate',
      code: 'tls-version-outdated',
      title: 'Outdated TLS version',
      message: `${where} negotiated ${probe.tlsVersion}; LDAP clients should use TLS 1.2 or later (on a Microsoft Entra Domain Services managed domain, turn on "TLS 1.2 only mode" in its security settings)`
    })
  }
  github.info(verdict.trusted ? `${where}: the certificate is trusted.` : `${where}: the certificate is NOT trusted.`)
  if (verdict.renewal !== undefined) {
    const r = part.certificate.renewal!
    github.info(
      `${where}: renewal ${r.due ? 'is DUE' : 'is not due'} (${describeRenewal(verdict.renewal)}; min-days-valid ${r.rule}).`
    )
  }
  if (bind === undefined) return

  // The verdict is known; only a trusted one lets the credentials leave (tls-probe.ts enforces it
  // again, and the connection is the one just judged).
  if (!verdict.trusted) {
    part.ldapBind = skipped(bind, 'the certificate is not trusted, so the credentials were not sent')
  } else if (probe.channel === undefined) {
    part.ldapBind = skipped(
      bind,
      probe.ldapError !== undefined
        ? 'no LDAP server answered the root DSE read behind TLS, so the credentials were not sent'
        : 'no LDAP connection was left to bind over'
    )
  } else {
    part.ldapBind = await bindAndSearch(where, bind, probe, probe.channel, verdict)
    const b = part.ldapBind
    if (b.state === 'failed') {
      findings.push({
        severity: 'error',
        step: 'certificate',
        code: 'ldap-bind-failed',
        title: 'LDAP bind failed',
        message: `${where}: ${b.message}`,
        drift: true
      })
    } else if (b.search !== undefined && b.search.result !== 'success') {
      findings.push({
        severity: 'warning',
        step: 'certificate',
        code: 'ldap-search-failed',
        title: 'LDAP search failed',
        message: `${where}: the bind as "${bind.dn}" succeeded, but the base search of "${b.search.base}" with ${b.search.filter} ended with ${b.search.result}`
      })
    }
  }
  github.info(`${where}: LDAP bind ${part.ldapBind.state}: ${part.ldapBind.message}.`)
}

function skipped(bind: LdapBindSettings, why: string): LdapBindReport {
  return { state: 'skipped', dn: bind.dn, message: `the bind as "${bind.dn}" was skipped: ${why}` }
}

async function bindAndSearch(
  where: string,
  bind: LdapBindSettings,
  probe: ProbeResult,
  channel: LdapChannel,
  verdict: CertificateVerdict
): Promise<LdapBindReport> {
  const base = bind.searchBase ?? probe.ldap?.defaultNamingContext ?? probe.ldap?.namingContexts[0] ?? ''
  github.info(`${where}: binding as "${bind.dn}" over the verified ${probe.tlsVersion} connection.`)
  const answer = await channel.bindAndSearch(verdict, {
    dn: bind.dn,
    password: bind.password,
    searchBase: base,
    searchFilter: bind.searchFilter
  })
  const outcome = describeBind(bind.dn, answer.bind, [bind.password])
  const search =
    answer.search === undefined
      ? undefined
      : {
          base,
          filter: bind.searchFilter,
          result:
            answer.search.answer.resultCode === undefined
              ? `no result (${quoteServerText(answer.search.answer.diagnosticMessage, [bind.password])})`
              : resultCodeName(answer.search.answer.resultCode),
          entries: answer.search.entries
        }
  return {
    state: outcome.state,
    dn: bind.dn,
    result: outcome.result,
    resultCode: outcome.resultCode,
    dataCode: outcome.dataCode,
    message: outcome.message,
    ...(search === undefined ? {} : { search })
  }
}

/**
 * A finding of the evaluator as the report lists it. Renewal due is a warning from the evaluator
 * (the chain is still trusted); fail-on-renewal-due makes it an error that fails the run.
 */
export function toFinding(where: string, f: CertificateFinding, failOnRenewalDue: boolean): Finding {
  const issuer = f.issuer === f.subject ? 'self-signed' : `issued by ${shortName(f.issuer)}`
  const severity = f.rule === 'renewal' && failOnRenewalDue ? 'error' : f.severity
  return {
    severity,
    step: 'certificate',
    code: RULE_CODE[f.rule],
    title: RULE_TITLE[f.rule],
    message: `${where} ${f.problem} (${shortName(f.subject)}, ${issuer})`,
    ...(severity === 'error' ? { drift: true } : {})
  }
}

/** What the report shows of a TLS session: none for a certificate judged without connecting. */
type SessionFacts = Partial<Pick<ProbeResult, 'tlsVersion' | 'cipher' | 'ldap' | 'servedFrom' | 'node'>>

export function renderCertificateReport(
  settings: Settings,
  probe: SessionFacts,
  verdict: CertificateVerdict,
  now: Date,
  source: { readonly source: 'endpoint' } | { readonly source: 'managed-domain'; readonly sourceReason: string } = {
    source: 'endpoint'
  }
): CertificateReport {
  // Renewal due marks its certificate in the chain too, though it leaves the chain trusted.
  const errors = verdict.findings.filter(f => f.severity === 'error' || f.rule === 'renewal')
  const chain: CertificateSummary[] = []
  const listed = new Set<string>()
  const pathAnchors = new Set(verdict.path.filter(m => m.anchor).map(m => m.certificate.sha256))
  const summarize = (
    cert: (typeof verdict.served)[number],
    position: number,
    source: CertificateSummary['source']
  ): CertificateSummary => ({
    position,
    subject: cert.subject,
    issuer: cert.issuer,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    sha256: cert.sha256,
    key: describeKey(cert),
    signature: cert.signatureAlgorithm,
    source,
    verdict: errors.some(f => f.subject === cert.subject && (f.position === undefined || f.position === position))
      ? 'problem'
      : pathAnchors.has(cert.sha256)
        ? 'trust-anchor'
        : 'ok'
  })
  for (const [position, cert] of verdict.served.entries()) {
    listed.add(cert.sha256)
    chain.push(summarize(cert, position, 'served'))
  }
  for (const member of verdict.path) {
    if (listed.has(member.certificate.sha256)) continue
    listed.add(member.certificate.sha256)
    chain.push(summarize(member.certificate, chain.length, member.source))
  }
  const leaf = verdict.served[0]
  return {
    trusted: verdict.trusted,
    ...source,
    host: settings.domain,
    port: settings.certificate.port,
    protocol: settings.certificate.protocol,
    connectTo: settings.certificate.connectTo,
    tlsVersion: probe.tlsVersion,
    cipher: probe.cipher,
    leaf:
      leaf === undefined
        ? undefined
        : {
            subject: leaf.subject,
            issuer: leaf.issuer,
            sha256: leaf.sha256,
            sha1: createHash('sha1').update(leaf.der).digest('hex'),
            notAfter: leaf.notAfter.toISOString(),
            daysRemaining: (leaf.notAfter.getTime() - now.getTime()) / DAY_MS,
            subjectAltNames: [
              ...(leaf.subjectAltName?.dns ?? []).map(d => `DNS:${d}`),
              ...(leaf.subjectAltName?.ip ?? []).map(i => `IP:${i}`)
            ]
          },
    chain,
    ldap: probe.ldap,
    servedFrom: probe.servedFrom,
    nodeVerification: probe.node,
    problems: errors.map(f => ({ rule: f.rule, position: f.position, subject: f.subject, message: f.problem })),
    ...(verdict.renewal === undefined ? {} : { renewal: renewalReport(verdict, settings.certificate.minDaysValid) })
  }
}

/** The renewal part of the certificate report: due when any certificate of the path is. */
export function renewalReport(verdict: CertificateVerdict, rule: RenewalRule): CertificateReport['renewal'] {
  const r = verdict.renewal!
  return {
    due: verdict.findings.some(f => f.rule === 'renewal'),
    renewBy: r.renewBy.toISOString(),
    daysLeft: r.daysLeft,
    lifetimeDays: r.lifetimeDays,
    windowDays: Math.round(r.windowDays * 10) / 10,
    rule: renewalRuleInput(rule),
    ruleText: describeRenewalRule(rule)
  }
}

export interface UploadedCertificateJudgement {
  /** The uploaded leaf (ldapsSettings.publicCertificate), parsed. */
  readonly leaf: ParsedCertificate
  /** "managed domain contoso100.com", as messages name it. */
  readonly owner: string
  /** Why this certificate is judged instead of the served one, for the log, summary and report. */
  readonly reason: string
  /** Fetches the chain above the leaf (adapters/aia-fetch.ts); injected by tests. */
  readonly fetchIssuers?: typeof fetchIssuers
}

/**
 * The verdict on the certificate uploaded to the managed domain, by the same evaluator as a served
 * chain: its CAs fetched from the AIA caIssuers URLs, anchored in the bundled roots or
 * ca-certificate, named for `domain`, and judged for validity, renewal, usage and strength. No
 * TLS session exists, so Node's own verification and the LDAP checks (root DSE, bind) are not made.
 */
export async function judgeUploadedCertificate(
  settings: Settings,
  uploaded: UploadedCertificateJudgement,
  now: () => Date = () => new Date()
): Promise<StepResult<CertificatePart>> {
  const { certificate: c, domain, ldapBind: bind } = settings
  const at = now()
  const where = `${uploaded.owner} (secure LDAP certificate for ${domain})`
  const anchorSubjects = new Set([...tls.rootCertificates, ...c.trustAnchorsPem].flatMap(pem => subjectLine(pem) ?? []))
  const fetched = await (uploaded.fetchIssuers ?? fetchIssuers)(uploaded.leaf, {
    endsHere: cert => anchorSubjects.has(cert.issuer)
  })
  for (const line of fetched.log) github.info(`AIA: ${line}`)
  const verdict = evaluateCertificate({
    served: [uploaded.leaf.der, ...fetched.certificates],
    rootsPem: tls.rootCertificates,
    trustAnchorsPem: c.trustAnchorsPem,
    peer: domain,
    now: at,
    renewal: c.minDaysValid,
    expectedFingerprint: c.expectedFingerprint,
    entraAdvice: true,
    chainFrom: 'aia'
  })
  const part: CertificatePart = {
    certificate: renderCertificateReport(settings, {}, verdict, at, {
      source: 'managed-domain',
      sourceReason: uploaded.reason
    })
  }
  if (bind !== undefined) {
    part.ldapBind = skipped(bind, 'the endpoint was not reached, so there was no connection to bind over')
  }
  const findings: Finding[] = [
    {
      severity: 'notice',
      step: 'certificate',
      code: 'certificate-from-managed-domain',
      title: 'Certificate judged from the managed domain',
      message: uploaded.reason
    }
  ]
  // "serves" is the evaluator's verb for what it judged; here the managed domain holds it.
  for (const f of verdict.findings) {
    findings.push(toFinding(where, { ...f, problem: f.problem.replace(/^serves /, 'holds ') }, c.failOnRenewalDue))
  }
  github.info(
    `${where}: the certificate is ${verdict.trusted ? 'trusted' : 'NOT trusted'} (judged from the managed domain; the served certificate was not checked).`
  )
  return { part, findings }
}
