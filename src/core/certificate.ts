// The certificate verdict: would an LDAP client trust the chain a server presented for a name?
// Pure: the served chain, trust anchors and clock come in, a verdict with one finding per problem
// comes out. The verdict is trusted only when these rules pass AND Node's own TLS verification
// (OpenSSL, given as `nodeVerification`) accepted the chain and the name: OpenSSL enforces rules
// not repeated here (name constraints, policies, signature details), and an LDAP client built on
// OpenSSL will not connect where it refuses. Our rules add what OpenSSL lets through but clients
// following RFC 6125 or the CA/Browser Forum profile reject, and say *why* in words.

import { OID, normalizeIp, parseCertificate, shortName, subjectLine, type ParsedCertificate } from './x509.ts'
import {
  describeRenewal,
  describeRenewalRule,
  renewalDue,
  renewalRuleInput,
  type RenewalJudgement,
  type RenewalRule
} from './renewal-window.ts'

export type CertificateRule =
  'trust' | 'name' | 'validity' | 'renewal' | 'usage' | 'strength' | 'pinning' | 'structure' | 'advice'

export type CertificateSource = 'served' | 'trust-store' | 'ca-certificate'

export interface CertificateFinding {
  readonly rule: CertificateRule
  /** warning: does not make the chain untrusted (renewal due); the step decides how loud it is. */
  readonly severity: 'error' | 'warning' | 'notice'
  /** Position in the served chain (0 = leaf); undefined for certificates the server did not send. */
  readonly position: number | undefined
  readonly subject: string
  readonly issuer: string
  /** Verb phrase that follows "<host>:<port> ", e.g. "serves a certificate that expired on 2025-01-01". */
  readonly problem: string
}

export interface ChainMember {
  readonly certificate: ParsedCertificate
  readonly source: CertificateSource
  /** Position in the served chain, when the server sent it. */
  readonly position: number | undefined
  readonly anchor: boolean
}

export interface NodeVerification {
  /** `tlsSocket.authorized` with ca = bundled roots + ca-certificate. */
  readonly authorized: boolean
  /** `tlsSocket.authorizationError`, e.g. UNABLE_TO_VERIFY_LEAF_SIGNATURE. */
  readonly error: string | undefined
  /** What `tls.checkServerIdentity(peer, certificate)` returned, when it refused the name. */
  readonly identityError: string | undefined
}

export interface CertificateEvaluationInput {
  /** The chain exactly as the server sent it, leaf first, DER. */
  readonly served: readonly Buffer[]
  /** Node's bundled roots (tls.rootCertificates), PEM. */
  readonly rootsPem: readonly string[]
  /** ca-certificate anchors, PEM; trusted as given, also when one is the served leaf. */
  readonly trustAnchorsPem: readonly string[]
  /** The DNS name (or IP literal) the client connects to. */
  readonly peer: string
  readonly now: Date
  /** min-days-valid: when a valid certificate is due for renewal (a warning, not a trust failure). */
  readonly renewal: RenewalRule
  readonly expectedFingerprint?: string | undefined
  /** Add the Entra Domain Services certificate requirements as notices. */
  readonly entraAdvice?: boolean
  readonly nodeVerification?: NodeVerification | undefined
  /**
   * Where the certificates after the leaf came from: sent by the server (default), or fetched
   * from the leaf's AIA caIssuers URLs (a certificate judged without a server, such as the one
   * uploaded to a managed domain). Only the wording of a missing issuer differs.
   */
  readonly chainFrom?: 'server' | 'aia'
}

export interface CertificateVerdict {
  readonly trusted: boolean
  readonly findings: readonly CertificateFinding[]
  readonly served: readonly ParsedCertificate[]
  /** The chosen path from the leaf to a trust anchor, or the served chain when none builds. */
  readonly path: readonly ChainMember[]
  /** The leaf's renewal window under min-days-valid; undefined without a parsable leaf. */
  readonly renewal?: RenewalJudgement | undefined
}

const DAY_MS = 86_400_000
const MAX_PATH_LENGTH = 10
/** Path-building work limit, so crafted chains (cycles, many cross-signs) cannot stall the run. */
const MAX_SEARCH_STEPS = 2_000
const MAX_PATHS = 16

const parsedPemCache = new Map<string, ParsedCertificate | null>()

function parseCached(pem: string): ParsedCertificate | undefined {
  let parsed = parsedPemCache.get(pem)
  if (parsed === undefined) {
    try {
      parsed = parseCertificate(pem)
    } catch {
      parsed = null
    }
    if (parsedPemCache.size > 2_000) parsedPemCache.clear()
    parsedPemCache.set(pem, parsed)
  }
  return parsed ?? undefined
}

const subjectCache = new Map<string, string | null>()

/**
 * The bundled roots that can take part in a path for `inPlay`: those whose subject is the issuer
 * of a certificate already in play, followed up through cross-signed roots. Parsing all ~120
 * bundled roots fully costs ~70 ms per run, reading their subjects ~5 ms, so roots are picked
 * by name before they are parsed; issuers are matched by name in path building anyway.
 */
function rootsNamed(rootsPem: readonly string[], inPlay: readonly ParsedCertificate[]): ParsedCertificate[] {
  const bySubject = new Map<string, string[]>()
  for (const pem of rootsPem) {
    let subject = subjectCache.get(pem)
    if (subject === undefined) {
      subject = subjectLine(pem) ?? null
      if (subjectCache.size > 2_000) subjectCache.clear()
      subjectCache.set(pem, subject)
    }
    if (subject !== null) bySubject.set(subject, [...(bySubject.get(subject) ?? []), pem])
  }
  const wanted = inPlay.map(c => c.issuer)
  const asked = new Set<string>()
  const roots: ParsedCertificate[] = []
  for (let name = wanted.pop(); name !== undefined; name = wanted.pop()) {
    if (asked.has(name)) continue
    asked.add(name)
    for (const pem of bySubject.get(name) ?? []) {
      const root = parseCached(pem)
      if (root === undefined) continue
      roots.push(root)
      if (root.issuer !== root.subject) wanted.push(root.issuer)
    }
  }
  return roots
}

interface Candidate {
  readonly certificate: ParsedCertificate
  readonly source: CertificateSource
  readonly position: number | undefined
  readonly anchor: boolean
}

export function evaluateCertificate(input: CertificateEvaluationInput): CertificateVerdict {
  const findings: CertificateFinding[] = []
  const served: ParsedCertificate[] = []
  for (const [position, der] of input.served.entries()) {
    try {
      served.push(parseCertificate(der))
    } catch {
      findings.push({
        rule: 'structure',
        severity: 'error',
        position,
        subject: `certificate ${position}`,
        issuer: '?',
        problem: `serves a certificate at position ${position} that does not parse as X.509`
      })
    }
  }
  const leaf = served[0]
  if (leaf === undefined || findings.length > 0) {
    if (leaf === undefined && findings.length === 0) {
      findings.push({
        rule: 'trust',
        severity: 'error',
        position: undefined,
        subject: '(none)',
        issuer: '(none)',
        problem: 'sent no certificate'
      })
    }
    return { trusted: false, findings, served, path: [] }
  }

  const anchors = input.trustAnchorsPem.flatMap(pem => parseCached(pem) ?? [])
  const anchorSet = new Set(anchors.map(a => a.sha256))
  const roots = rootsNamed(input.rootsPem, [...served, ...anchors])
  const rootSet = new Set(roots.map(r => r.sha256))
  const pool: Candidate[] = []
  const inPool = new Set<string>()
  const add = (c: Candidate): void => {
    if (inPool.has(c.certificate.sha256)) return
    inPool.add(c.certificate.sha256)
    pool.push(c)
  }
  for (const a of anchors) add({ certificate: a, source: 'ca-certificate', position: undefined, anchor: true })
  for (const [position, c] of served.entries()) {
    if (position === 0) continue
    add({
      certificate: c,
      source: 'served',
      position,
      anchor: anchorSet.has(c.sha256) || rootSet.has(c.sha256)
    })
  }
  for (const r of roots) add({ certificate: r, source: 'trust-store', position: undefined, anchor: true })

  const leafMember: ChainMember = {
    certificate: leaf,
    source: 'served',
    position: 0,
    anchor: anchorSet.has(leaf.sha256) || rootSet.has(leaf.sha256)
  }
  const search = buildPaths(leafMember, pool)

  // Choose the first path without problems; else the one with the fewest.
  let best: { path: ChainMember[]; findings: CertificateFinding[] } | undefined
  for (const path of search.paths) {
    const pathFindings = evaluatePath(path, input)
    const errors = pathFindings.filter(f => f.severity === 'error').length
    if (best === undefined || errors < best.findings.filter(f => f.severity === 'error').length) {
      best = { path, findings: pathFindings }
    }
    if (errors === 0) break
  }
  if (best === undefined) {
    const servedPath: ChainMember[] = served.map((certificate, position) => ({
      certificate,
      source: 'served',
      position,
      anchor: false
    }))
    findings.push(describeMissingTrust(leaf, search, served, input.chainFrom ?? 'server'))
    findings.push(...evaluatePath(servedPath.slice(0, 1), input))
    best = { path: servedPath, findings: [] }
  }
  findings.push(...best.findings)
  findings.push(...nodeFindings(input.nodeVerification, leaf, findings, best.path))
  return {
    trusted: !findings.some(f => f.severity === 'error'),
    findings: dedupe(findings),
    served,
    path: best.path,
    renewal: renewalDue(leaf.notBefore, leaf.notAfter, input.renewal, input.now)
  }
}

interface PathSearch {
  readonly paths: ChainMember[][]
  /** Certificates at which a path stopped without a trusted issuer. */
  readonly deadEnds: ChainMember[]
  /** Issuers with the right name whose key did not verify the signature. */
  readonly badSignatures: { child: ChainMember; issuer: Candidate }[]
}

/** Depth-first search over every issuer candidate, so one wrong turn does not hide a valid path. */
function buildPaths(leaf: ChainMember, pool: readonly Candidate[]): PathSearch {
  const paths: ChainMember[][] = []
  const deadEnds: ChainMember[] = []
  const badSignatures: { child: ChainMember; issuer: Candidate }[] = []
  let steps = 0
  const walk = (path: ChainMember[]): void => {
    if (paths.length >= MAX_PATHS || ++steps > MAX_SEARCH_STEPS) return
    const current = path[path.length - 1]!
    if (current.anchor) {
      paths.push(path)
      return
    }
    if (path.length >= MAX_PATH_LENGTH) return
    let extended = false
    for (const candidate of pool) {
      const c = candidate.certificate
      if (path.some(m => m.certificate.sha256 === c.sha256 || sameSubjectAndKey(m.certificate, c))) continue
      // Name and signature decide who issued whom; OpenSSL's checkIssued would also drop an issuer
      // without keyCertSign, which must instead be reported as a usage problem.
      if (c.subject !== current.certificate.issuer) continue
      let verified: boolean
      try {
        verified = current.certificate.x509.verify(c.x509.publicKey)
      } catch {
        verified = false
      }
      if (!verified) {
        badSignatures.push({ child: current, issuer: candidate })
        continue
      }
      extended = true
      walk([...path, candidate])
    }
    if (!extended) deadEnds.push(current)
  }
  walk([leaf])
  return { paths, deadEnds, badSignatures }
}

function sameSubjectAndKey(a: ParsedCertificate, b: ParsedCertificate): boolean {
  if (a.subject !== b.subject) return false
  try {
    return a.x509.publicKey.equals(b.x509.publicKey)
  } catch {
    return false
  }
}

function describeMissingTrust(
  leaf: ParsedCertificate,
  search: PathSearch,
  served: ParsedCertificate[],
  chainFrom: 'server' | 'aia'
): CertificateFinding {
  const at = (m: ChainMember): Pick<CertificateFinding, 'position' | 'subject' | 'issuer'> => ({
    position: m.position,
    subject: m.certificate.subject,
    issuer: m.certificate.issuer
  })
  const bad = search.badSignatures[0]
  if (leaf.selfSigned && served.length === 1) {
    return {
      rule: 'trust',
      severity: 'error',
      ...at(search.deadEnds[0] ?? { certificate: leaf, source: 'served', position: 0, anchor: false }),
      problem:
        'serves a self-signed certificate that is not trusted (not in ca-certificate); clients trust it only once its public part is installed, so give it in ca-certificate or use a certificate from a trusted CA'
    }
  }
  const end = search.deadEnds.find(d => d.certificate.selfSigned) ?? search.deadEnds[search.deadEnds.length - 1]
  if (end !== undefined && end.certificate.selfSigned) {
    return {
      rule: 'trust',
      severity: 'error',
      ...at(end),
      problem: `serves a chain that ends at the root "${shortName(end.certificate.subject)}"${end.position === undefined ? '' : ` (position ${end.position})`}, which is not trusted: it is neither one of Node's bundled roots nor given in ca-certificate`
    }
  }
  if (bad !== undefined && end === bad.child) {
    return {
      rule: 'trust',
      severity: 'error',
      ...at(bad.child),
      problem: `serves a certificate "${shortName(bad.child.certificate.subject)}" whose signature does not verify with the key of its issuer "${shortName(bad.issuer.certificate.subject)}" (${bad.issuer.source})`
    }
  }
  const stop = end ?? { certificate: leaf, source: 'served' as const, position: 0, anchor: false }
  const aia = stop.certificate.caIssuersUrls[0]
  if (chainFrom === 'aia') {
    return {
      rule: 'trust',
      severity: 'error',
      ...at(stop),
      problem:
        `serves a certificate whose chain could not be completed: the issuer of "${shortName(stop.certificate.subject)}" (${stop.certificate.issuer}) is not a trusted root and ` +
        (aia !== undefined
          ? `could not be fetched from its AIA URL ${aia}`
          : 'the certificate names no AIA URL to fetch it from') +
        '; for a private CA, give the CA in ca-certificate'
    }
  }
  return {
    rule: 'trust',
    severity: 'error',
    ...at(stop),
    problem:
      `serves an incomplete chain: the issuer of "${shortName(stop.certificate.subject)}" (${stop.certificate.issuer}) was not sent by the server and is not a trusted root; ` +
      (aia !== undefined
        ? `it is published at ${aia} (AIA), but LDAP clients do not fetch missing intermediates, so the server must send it`
        : 'the server must send that intermediate, or, for a private CA, give the CA in ca-certificate')
  }
}

function evaluatePath(path: readonly ChainMember[], input: CertificateEvaluationInput): CertificateFinding[] {
  const findings: CertificateFinding[] = []
  const leaf = path[0]!
  const finding = (
    member: ChainMember,
    rule: CertificateRule,
    problem: string,
    severity: CertificateFinding['severity'] = 'error'
  ): void => {
    findings.push({
      rule,
      severity,
      position: member.position,
      subject: member.certificate.subject,
      issuer: member.certificate.issuer,
      problem
    })
  }
  const describe = (member: ChainMember, index: number): string => {
    if (index === 0) return 'a certificate'
    const where =
      member.position === undefined
        ? ` from the ${member.source === 'trust-store' ? 'trust store' : 'ca-certificate'}`
        : ` (position ${member.position})`
    return `${member.anchor ? 'a root certificate' : 'an intermediate certificate'} "${shortName(member.certificate.subject)}"${where}`
  }
  const now = input.now.getTime()
  const leafRenewal = renewalDue(leaf.certificate.notBefore, leaf.certificate.notAfter, input.renewal, input.now)
  if (leafRenewal.due) {
    finding(
      leaf,
      'renewal',
      `serves a certificate that is due for renewal: ${describeRenewal(leafRenewal)} (min-days-valid ${renewalRuleInput(input.renewal)}: ${describeRenewalRule(input.renewal)})`,
      'warning'
    )
  }
  for (const [index, member] of path.entries()) {
    const c = member.certificate
    const what = describe(member, index)
    // validity
    if (c.notBefore.getTime() > now) {
      finding(member, 'validity', `serves ${what} that is not valid before ${isoDate(c.notBefore)}`)
    } else if (c.notAfter.getTime() < now) {
      finding(member, 'validity', `serves ${what} that expired on ${isoDate(c.notAfter)}`)
    } else if (index > 0 && c.notAfter.getTime() < leafRenewal.renewBy.getTime()) {
      // A CA that expires before the leaf is due: the chain breaks before renewal would fix it.
      const days = Math.floor((c.notAfter.getTime() - now) / DAY_MS)
      finding(
        member,
        'renewal',
        `serves ${what} that expires on ${isoDate(c.notAfter)}, in ${days} day${days === 1 ? '' : 's'}, before the leaf is due for renewal (${isoDate(leafRenewal.renewBy)})`,
        'warning'
      )
    }
    // strength: key size on every member, signatures except on trust anchors (their self-signature is not relied on)
    if (c.keyType === 'rsa' && c.keyBits !== undefined && c.keyBits < 2048) {
      finding(member, 'strength', `serves ${what} with a ${c.keyBits}-bit RSA key; at least 2048 bits are required`)
    } else if (c.keyType === 'dsa') {
      finding(member, 'strength', `serves ${what} with a DSA key, which TLS 1.3 and current clients do not accept`)
    } else if (c.keyType === 'ec' && c.keyBits !== undefined && c.keyBits < 256) {
      finding(
        member,
        'strength',
        `serves ${what} with a ${c.keyBits}-bit EC key (${c.curve}); at least P-256 is required`
      )
    } else if (c.keyType === 'unsupported') {
      finding(member, 'strength', `serves ${what} with a public key type Node cannot use`)
    }
    if (!member.anchor && /sha1|md5|md2/i.test(c.signatureAlgorithm)) {
      finding(
        member,
        'strength',
        `serves ${what} signed with ${c.signatureAlgorithm}, a broken hash that clients reject`
      )
    }
    if (member.anchor && index > 0) continue
    // structure and usage of what is not a trust anchor
    if (c.malformed !== undefined && !member.anchor)
      finding(member, 'structure', `serves ${what} that is malformed: ${c.malformed}`)
    if (c.duplicateExtensions.length > 0 && !member.anchor) {
      finding(
        member,
        'structure',
        `serves ${what} that repeats the extension ${c.duplicateExtensions.join(', ')} (RFC 5280 forbids it)`
      )
    }
    if (c.unknownCriticalExtensions.length > 0 && !member.anchor) {
      finding(
        member,
        'structure',
        `serves ${what} with the unknown critical extension ${c.unknownCriticalExtensions.join(', ')}, which clients must reject`
      )
    }
    if (index === 0) continue
    if (c.basicConstraints?.ca !== true) {
      finding(
        member,
        'usage',
        `serves ${what} that is used as a CA but ${c.basicConstraints === undefined ? 'has no basic constraints' : 'has basic constraints CA:FALSE'}`
      )
    }
    if (c.keyUsage !== undefined && !c.keyUsage.has('keyCertSign')) {
      finding(member, 'usage', `serves ${what} that is used as a CA but whose key usage lacks keyCertSign`)
    }
    const pathLen = c.basicConstraints?.pathLen
    if (pathLen !== undefined) {
      const below = path.slice(1, index).filter(m => m.certificate.subject !== m.certificate.issuer).length
      if (below > pathLen) {
        finding(
          member,
          'usage',
          `serves ${what} whose path length constraint (${pathLen}) allows fewer CAs below it than the ${below} in this chain`
        )
      }
    }
  }

  // The leaf: usage, name, pinning.
  const c = leaf.certificate
  if (c.extKeyUsage !== undefined && !c.extKeyUsage.includes(OID.serverAuth)) {
    finding(
      leaf,
      'usage',
      `serves a certificate whose extended key usage (${c.extKeyUsage.map(ekuName).join(', ') || 'empty'}) does not include TLS server authentication`
    )
  }
  if (c.keyUsage !== undefined) {
    if (!['digitalSignature', 'keyEncipherment', 'keyAgreement'].some(u => c.keyUsage!.has(u as never))) {
      finding(
        leaf,
        'usage',
        `serves a certificate whose key usage (${[...c.keyUsage].join(', ') || 'empty'}) allows no TLS key exchange or signature`
      )
    }
    if (c.keyUsage.has('keyCertSign') && c.basicConstraints?.ca !== true) {
      finding(
        leaf,
        'usage',
        'serves a certificate whose key usage asserts keyCertSign without being a CA (RFC 5280 4.2.1.3)'
      )
    }
  }
  findings.push(...evaluateName(leaf, input.peer))
  if (input.expectedFingerprint !== undefined && input.expectedFingerprint !== c.sha256) {
    finding(
      leaf,
      'pinning',
      `serves a certificate with SHA-256 fingerprint ${c.sha256}, not the expected ${input.expectedFingerprint}`
    )
  }
  if (input.entraAdvice === true) findings.push(...entraAdvice(leaf))
  return findings
}

function evaluateName(leaf: ChainMember, peer: string): CertificateFinding[] {
  const c = leaf.certificate
  const base = {
    rule: 'name' as const,
    severity: 'error' as const,
    position: leaf.position,
    subject: c.subject,
    issuer: c.issuer
  }
  const ip = normalizeIp(peer.replace(/^\[|\]$/g, ''))
  const san = c.subjectAltName
  if (san === undefined) {
    const cnMatches = ip === undefined && c.commonNames.some(cn => matchesDnsName(peer, cn))
    return [
      {
        ...base,
        problem: cnMatches
          ? `serves a certificate that names ${peer} only in its subject CN and has no subjectAltName; clients following RFC 6125 (Go since 1.15, Python since 3.7, browsers) reject it`
          : `serves a certificate without a subjectAltName, so it is not valid for ${peer}`
      }
    ]
  }
  const names = [...san.dns.map(d => `DNS:${d}`), ...san.ip.map(i => `IP:${i}`)]
  const valid = ip === undefined ? san.dns.some(d => matchesDnsName(peer, d)) : san.ip.includes(ip)
  if (valid) return []
  return [
    {
      ...base,
      problem: `serves a certificate that is not valid for ${peer} (its names: ${names.join(', ') || 'none'})`
    }
  ]
}

/**
 * RFC 6125 §6.4: case-insensitive; a wildcard only as the whole left-most label, matching exactly
 * one label, and not directly under a top-level domain.
 */
export function matchesDnsName(host: string, pattern: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '')
  const p = pattern.toLowerCase().replace(/\.$/, '')
  if (!/^[\x21-\x7e]+$/.test(p) || p.includes('..')) return false
  if (!p.includes('*')) return /^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(p) && h === p
  const labels = p.split('.')
  if (labels[0] !== '*' || labels.slice(1).some(l => l.includes('*')) || labels.length < 3) return false
  const hostLabels = h.split('.')
  return (
    hostLabels.length === labels.length &&
    hostLabels[0] !== '' &&
    hostLabels.slice(1).join('.') === labels.slice(1).join('.')
  )
}

function entraAdvice(leaf: ChainMember): CertificateFinding[] {
  const c = leaf.certificate
  const advice: string[] = []
  if (!(c.subjectAltName?.dns ?? []).some(d => d.startsWith('*.')) && !c.commonNames.some(cn => cn.startsWith('*.'))) {
    advice.push(
      'Entra Domain Services expects a wildcard subject and SAN for the managed domain (e.g. *.aaddscontoso.com)'
    )
  }
  if (c.keyType !== 'rsa') advice.push(`Entra Domain Services expects an RSA key (this one is ${c.keyType})`)
  if (c.keyUsage !== undefined && !(c.keyUsage.has('digitalSignature') && c.keyUsage.has('keyEncipherment'))) {
    advice.push('Entra Domain Services expects key usage digitalSignature and keyEncipherment')
  }
  if (c.extKeyUsage === undefined) advice.push('Entra Domain Services expects an explicit server authentication EKU')
  return advice.map(text => ({
    rule: 'advice' as const,
    severity: 'notice' as const,
    position: leaf.position,
    subject: c.subject,
    issuer: c.issuer,
    problem: `serves a certificate that differs from the Entra DS requirements: ${text}`
  }))
}

const NODE_ERROR_RULE: Record<string, CertificateRule> = {
  CERT_HAS_EXPIRED: 'validity',
  CERT_NOT_YET_VALID: 'validity',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'trust',
  SELF_SIGNED_CERT_IN_CHAIN: 'trust',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'trust',
  UNABLE_TO_GET_ISSUER_CERT: 'trust',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'trust',
  CERT_SIGNATURE_FAILURE: 'trust',
  INVALID_PURPOSE: 'usage',
  INVALID_CA: 'usage',
  PATH_LENGTH_EXCEEDED: 'usage',
  CA_KEY_TOO_SMALL: 'strength',
  EE_KEY_TOO_SMALL: 'strength',
  CA_MD_TOO_WEAK: 'strength'
}

/**
 * Node's own verdict counts too: where OpenSSL refuses the chain or the name, an LDAP client on
 * OpenSSL refuses it as well. Reported unless one of our findings already names the same rule.
 */
function nodeFindings(
  node: NodeVerification | undefined,
  leaf: ParsedCertificate,
  findings: readonly CertificateFinding[],
  path: readonly ChainMember[]
): CertificateFinding[] {
  if (node === undefined) return []
  const errors = findings.filter(f => f.severity === 'error')
  const result: CertificateFinding[] = []
  const base = { severity: 'error' as const, position: 0, subject: leaf.subject, issuer: leaf.issuer }
  if (!node.authorized) {
    const rule = NODE_ERROR_RULE[node.error ?? ''] ?? 'trust'
    if (!errors.some(f => f.rule === rule)) {
      result.push({
        ...base,
        rule,
        problem: `serves a chain that Node's own TLS verification (OpenSSL) rejects: ${node.error ?? 'not authorized'}${nodeHint(node.error, path)}`
      })
    }
  }
  if (node.identityError !== undefined && !errors.some(f => f.rule === 'name')) {
    result.push({
      ...base,
      rule: 'name',
      problem: `serves a certificate whose name Node's TLS check refuses: ${node.identityError}`
    })
  }
  return result
}

/** What an OpenSSL refusal means here, where our own rules did not explain it. */
function nodeHint(error: string | undefined, path: readonly ChainMember[]): string {
  const end = path[path.length - 1]
  if (
    (error === 'UNABLE_TO_GET_ISSUER_CERT' || error === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY') &&
    end?.anchor === true &&
    !end.certificate.selfSigned
  ) {
    return ` (the path ends at "${shortName(end.certificate.subject)}", which is not a self-signed root; clients built on OpenSSL (Node, Python, OpenLDAP when linked with OpenSSL) accept only a path that ends at a self-signed root, so give the root CA in ca-certificate)`
  }
  if (error === 'UNABLE_TO_GET_ISSUER_CERT' || error === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY') {
    return ' (OpenSSL found no path to a trusted root with the certificates sent)'
  }
  return ''
}

function dedupe(findings: CertificateFinding[]): CertificateFinding[] {
  const seen = new Set<string>()
  return findings.filter(f => {
    const key = `${f.rule}|${f.subject}|${f.problem}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

const EKU_NAMES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '2.5.29.37.0': 'anyExtendedKeyUsage'
}

function ekuName(oid: string): string {
  return EKU_NAMES[oid] ?? oid
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10)
}

/** One-line description of a key, e.g. "RSA 2048" or "EC P-256 (prime256v1)". */
export function describeKey(c: ParsedCertificate): string {
  if (c.keyType === 'rsa' || c.keyType === 'rsa-pss') return `RSA ${c.keyBits ?? '?'}`
  if (c.keyType === 'ec') return `EC ${c.curve ?? '?'}`
  return c.keyType
}
