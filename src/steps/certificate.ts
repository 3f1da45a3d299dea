// Step 4: connect where the name points and decide whether an LDAP client would trust what is served.

import * as core from '@actions/core'
import { createHash } from 'node:crypto'
import tls from 'node:tls'
import {
  describeKey,
  evaluateCertificate,
  type CertificateFinding,
  type CertificateRule,
  type CertificateVerdict
} from '../core/certificate.ts'
import type { CertificateReport, CertificateSummary, Finding, Report } from '../core/report.ts'
import type { Settings } from '../core/settings.ts'
import { shortName } from '../core/x509.ts'
import { ProbeError, probeTls, type ProbeResult, type ProbeTimeouts } from '../adapters/tls-probe.ts'

const DAY_MS = 86_400_000

const RULE_TITLE: Record<CertificateRule, string> = {
  trust: 'Certificate not trusted',
  name: 'Certificate name mismatch',
  validity: 'Certificate validity',
  usage: 'Certificate usage',
  strength: 'Weak certificate',
  pinning: 'Certificate fingerprint mismatch',
  structure: 'Malformed certificate',
  advice: 'Entra DS certificate advice'
}

/**
 * Environment variable that bounds every phase of the probe (connect, StartTLS, TLS handshake,
 * LDAP root DSE read) to the same number of milliseconds instead of the defaults (10-15 s). For
 * slow links, and for tests that play a stalled or slow server (see docs/faults.md).
 */
export const PROBE_TIMEOUT_ENV = 'LDAPS_DNS_ACTION_PROBE_TIMEOUT_MS'

export function parseProbeTimeouts(env: NodeJS.ProcessEnv): Partial<ProbeTimeouts> {
  const raw = env[PROBE_TIMEOUT_ENV]?.trim()
  if (raw === undefined || raw === '') return {}
  const ms = Number(raw)
  if (!/^\d+$/.test(raw) || ms < 1 || ms > 600_000) {
    throw new Error(`${PROBE_TIMEOUT_ENV} must be a whole number of milliseconds from 1 to 600000, got "${raw}"`)
  }
  return { connectMs: ms, startTlsMs: ms, handshakeMs: ms, ldapMs: ms }
}

export async function verifyCertificate(
  settings: Settings,
  report: Report,
  now: () => Date = () => new Date()
): Promise<void> {
  const { certificate: c, domain } = settings
  const where = `${domain}:${c.port}`
  core.info(`Probing ${c.protocol} at ${c.connectTo}:${c.port} with SNI ${domain}.`)
  let probe: ProbeResult
  try {
    probe = await probeTls({
      protocol: c.protocol,
      connectTo: c.connectTo,
      port: c.port,
      peer: domain,
      trustAnchorsPem: c.trustAnchorsPem,
      timeouts: parseProbeTimeouts(process.env)
    })
  } catch (error) {
    if (!(error instanceof ProbeError)) throw error
    report.certificate = {
      trusted: false,
      host: domain,
      port: c.port,
      protocol: c.protocol,
      connectTo: c.connectTo,
      tlsVersion: undefined,
      cipher: undefined,
      leaf: undefined,
      chain: []
    }
    report.findings.push({
      severity: 'error',
      step: 'certificate',
      title: `Certificate check: ${error.phase} failed`,
      message: error.message,
      drift: true
    })
    return
  }
  core.info(`Negotiated ${probe.tlsVersion} ${probe.cipher}; the server sent ${probe.served.length} certificate(s).`)

  const at = now()
  const verdict = evaluateCertificate({
    served: probe.served,
    rootsPem: tls.rootCertificates,
    trustAnchorsPem: c.trustAnchorsPem,
    peer: domain,
    now: at,
    minDaysValid: c.minDaysValid,
    expectedFingerprint: c.expectedFingerprint,
    entraAdvice: c.protocol !== 'tls',
    nodeVerification: probe.node
  })
  report.certificate = renderCertificateReport(settings, probe, verdict, at)
  for (const f of verdict.findings) report.findings.push(toFinding(where, f))
  if (probe.ldapError !== undefined) {
    report.findings.push({
      severity: 'error',
      step: 'certificate',
      title: 'No LDAP answer behind TLS',
      message: `${where} completed the TLS handshake, but ${probe.ldapError.replace(/^TLS probe \([^)]*\) of [^:]+:\d+: /, '')}`,
      drift: true
    })
  }
  core.info(verdict.trusted ? `${where}: the certificate is trusted.` : `${where}: the certificate is NOT trusted.`)
}

function toFinding(where: string, f: CertificateFinding): Finding {
  const issuer = f.issuer === f.subject ? 'self-signed' : `issued by ${shortName(f.issuer)}`
  return {
    severity: f.severity,
    step: 'certificate',
    title: RULE_TITLE[f.rule],
    message: `${where} ${f.problem} (${shortName(f.subject)}, ${issuer})`,
    ...(f.severity === 'error' ? { drift: true } : {})
  }
}

export function renderCertificateReport(
  settings: Settings,
  probe: ProbeResult,
  verdict: CertificateVerdict,
  now: Date
): CertificateReport {
  const errors = verdict.findings.filter(f => f.severity === 'error')
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
    problems: errors.map(f => ({ rule: f.rule, position: f.position, subject: f.subject, message: f.problem }))
  }
}
