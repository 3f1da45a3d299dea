// Renders the report as the job summary (GitHub-flavoured Markdown); core/outcome.ts decides the outcome.
// Pure: the GitHub adapter only writes what this returns.

import { mdCell, mdCode, mdText } from './escape.ts'
import { SEVERITY_ORDER, type EntraReport, type Finding, type RenewalReport, type Report } from './report.ts'
import type { CertificateReport, CertificateSummary, NameserverReport, PropagationReport } from './report.ts'

/** A Markdown table cell: every value in the summary is outside text (see escape.ts). */
export const cell = mdCell

function table(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map(r => `| ${r.map(cell).join(' | ')} |`)
  ].join('\n')
}

/** A table whose cells are already Markdown (each built from mdText/mdCode pieces). */
function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map(r => `| ${r.map(c => (c === '' ? '—' : c)).join(' | ')} |`)
  ].join('\n')
}

const OK = '✅'
const ICON: Record<Finding['severity'], string> = { error: '❌', warning: '⚠️', notice: 'ℹ️' }

/** The mark of a row that is not right: ❌ when the run fails, ⚠️ when it is only reported. */
function badIcon(report: Report): string {
  return report.outcome === 'failure' ? '❌' : '⚠️'
}

/** An ISO time as people read it in a summary: `2027-11-30 19:40 UTC`. Anything else as text. */
export function displayDate(value: string | undefined): string {
  if (value === undefined || value === '') return '—'
  const date = new Date(value)
  if (!/^\d{4}-\d\d-\d\d/.test(value) || Number.isNaN(date.getTime())) return mdText(value)
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

/**
 * A distinguished name CN first, as people read it: the certificate fields come in the order of
 * the certificate (`O=Contoso, CN=ldaps…`, the reverse of RFC 4514's string form).
 */
export function displayName(subject: string): string {
  if (subject === '') return '(empty subject)'
  return subject
    .split(/, (?=[A-Za-z][A-Za-z0-9.-]*=)/)
    .reverse()
    .join(', ')
}

/** The common name alone (see x509.ts shortName), else the whole name CN first. */
function commonName(subject: string): string {
  const cn = /(?:^|, )CN=([^,]*(?:\\,[^,]*)*)/.exec(subject)
  return cn?.[1] ?? displayName(subject)
}

function target(report: Report): string | undefined {
  if (report.domain === '') return undefined
  return report.ip === '' ? mdCode(report.domain) : `${mdCode(report.domain)} → ${mdCode(report.ip)}`
}

/** The steps whose findings the DNS phrase of the heading already says. */
const DNS_STEPS: ReadonlySet<Finding['step']> = new Set(['dns-plan', 'dns-write', 'propagation'])

/** In check mode: what DNS serves against what the inputs declare, when they differ. */
function dnsDifference(report: Report): string | undefined {
  const declared = report.record?.desired.values.join(', ') || report.ip
  const served = new Set<string>()
  for (const n of report.propagation?.nameservers ?? []) {
    if (n.state !== 'stale') continue
    served.add(n.answer.length > 0 ? n.answer.join(', ') : (n.detail ?? 'no record'))
  }
  if (served.size > 0) return `DNS serves ${mdText([...served].join(' / '))}, declared ${mdText(declared)}`
  const { record } = report
  if (record?.found !== undefined && record.action !== 'none' && record.action !== 'skipped' && !record.changed) {
    const found = record.found.cname !== undefined ? `a CNAME to ${record.found.cname}` : record.found.values.join(', ')
    return found === ''
      ? `no ${mdText(record.type)} record, declared ${mdText(declared)}`
      : `the record holds ${mdText(found)}, declared ${mdText(declared)}`
  }
  return undefined
}

/** What is wrong, in words, for the heading: at most three phrases and how many more. */
function problemPhrases(report: Report): string {
  const failed = report.outcome === 'failure'
  const relevant = report.findings.filter(f => (failed ? f.severity === 'error' : f.drift === true))
  const phrases: string[] = []
  const dns = report.mode === 'check' ? dnsDifference(report) : undefined
  if (dns !== undefined) phrases.push(dns)
  for (const f of relevant) {
    if (dns !== undefined && DNS_STEPS.has(f.step) && f.code !== 'step-failed') continue
    const phrase = mdText(f.title)
    if (!phrases.includes(phrase)) phrases.push(phrase)
  }
  if (phrases.length === 0) return ''
  const more = phrases.length - 3
  return `${phrases.slice(0, 3).join('; ')}${more > 0 ? ` and ${more} more` : ''}`
}

function heading(report: Report): string {
  const failed = report.outcome === 'failure'
  if (report.mode === undefined && failed) {
    const inputs = report.findings.filter(f => f.step === 'inputs' && f.severity === 'error')
    const names = inputs.map(f => mdText(f.title.replace(/^Invalid input /, '')))
    const listed = names.slice(0, 5).join(', ') + (names.length > 5 ? ` and ${names.length - 5} more` : '')
    return `### ❌ ${names.length === 1 ? 'Invalid input' : `${names.length} invalid inputs`}: ${listed}`
  }
  const what = target(report)
  if (report.mode === 'check') {
    if (!report.drift && !failed) return `### ✅ No drift${what === undefined ? '' : `: ${what}`}`
    const phrases = problemPhrases(report)
    return `### ${badIcon(report)} Drift${phrases === '' ? ' found' : `: ${phrases}`}`
  }
  if (!failed) return `### ✅ ${what ?? 'Done'}`
  const phrases = problemPhrases(report)
  return `### ❌ Failed${phrases === '' ? '' : `: ${phrases}`}`
}

function recordVerdict(report: Report, record: NonNullable<Report['record']>): string {
  const bad = badIcon(report)
  switch (record.action) {
    case 'none':
      return record.changed
        ? `${OK} matches (it changed during this run, after a retried write)`
        : `${OK} matches, nothing written`
    case 'skipped':
      return '⚠️ not read'
    case 'conflict':
      return `${bad} a CNAME holds the name`
    default:
      if (report.mode === 'check') {
        return `${bad} ${record.action === 'create' ? 'missing' : 'differs'}, would ${mdText(record.action)} (check mode writes nothing)`
      }
      return record.changed
        ? `${OK} ${record.action === 'create' ? 'created' : 'replaced'}`
        : `${bad} not written (would ${mdText(record.action)})`
  }
}

function recordSection(report: Report, record: NonNullable<Report['record']>): string[] {
  const found = record.found
  const held =
    found === undefined
      ? 'not read'
      : found.cname !== undefined
        ? `CNAME ${mdText(found.cname)}`
        : `${mdText(found.values.join(', ') || 'none')}${found.ttl === undefined ? '' : `, TTL ${found.ttl}`}`
  return [
    '#### DNS record',
    markdownTable(
      ['Record', 'Declared', 'Provider holds', 'Verdict'],
      [
        [
          `${mdText(record.name)} ${mdText(record.type)}`,
          `${mdText(record.desired.values.join(', '))}, TTL ${record.desired.ttl}`,
          held,
          recordVerdict(report, record)
        ]
      ]
    ),
    `Zone ${record.zone === undefined ? 'unknown' : mdCode(record.zone)}`
  ]
}

/** A nameserver's state relative to the declared value, with its mark. */
function nameserverState(report: Report, n: NameserverReport): string {
  const bad = badIcon(report)
  switch (n.state) {
    case 'in-sync':
      return `${OK} matches${report.mode !== 'check' && n.syncedAfterSeconds !== undefined ? ` after ${n.syncedAfterSeconds.toFixed(1)} s` : ''}`
    case 'stale':
      return n.answer.length > 0 || n.detail?.startsWith('CNAME') ? `${bad} differs` : `${bad} no record`
    case 'skipped':
      return 'ℹ️ not checked (no route from this runner)'
    case 'not-authoritative':
      return `${bad} not authoritative`
    default:
      return `${bad} ${n.state}`
  }
}

function serialCell(n: NameserverReport, serials: ReadonlySet<number>, newest: number | undefined): string {
  if (n.serial === undefined) return '—'
  if (serials.size < 2 || newest === undefined) return String(n.serial)
  return `${n.serial} (${n.serial === newest ? 'newest' : 'older'})`
}

function nameserverSection(report: Report, propagation: PropagationReport): string[] {
  const serials = new Set(propagation.nameservers.flatMap(n => (n.serial === undefined ? [] : [n.serial])))
  const newest = propagation.newestSerial ?? (serials.size > 0 ? Math.max(...serials) : undefined)
  const status = propagation.propagated
    ? `${OK} every nameserver serves the declared value` +
      (report.mode !== 'check' && propagation.seconds !== undefined ? ` (in ${propagation.seconds.toFixed(1)} s)` : '')
    : `${badIcon(report)} not every nameserver serves the declared value`
  return [
    '#### Authoritative nameservers',
    propagation.nameservers.length === 0
      ? 'No nameserver was checked.'
      : markdownTable(
          ['Nameserver', 'Answer', 'State', 'SOA serial'],
          propagation.nameservers.map(n => [
            `${mdText(n.nameserver)} (${mdText(n.address)})`,
            mdText(n.answer.length > 0 ? n.answer.join(', ') : (n.detail ?? 'no answer')),
            nameserverState(report, n),
            serialCell(n, serials, newest)
          ])
        ),
    status +
      (propagation.recursiveAnswer !== undefined
        ? ` · recursive resolver answers ${mdText(propagation.recursiveAnswer.join(', ') || 'nothing')}`
        : '')
  ]
}

type Problem = NonNullable<CertificateReport['problems']>[number]

function problemsOf(certificate: CertificateReport, c: CertificateSummary): Problem[] {
  return (certificate.problems ?? []).filter(
    p => p.subject === c.subject && (p.position === undefined || p.position === c.position)
  )
}

const RULE_REASON: Record<string, string> = {
  trust: 'not trusted',
  name: 'wrong name',
  usage: 'wrong key usage',
  strength: 'weak key or signature',
  pinning: 'not the pinned certificate',
  structure: 'malformed',
  advice: 'not as Entra DS requires',
  renewal: 'renewal due'
}

function problemReason(p: Problem, c: CertificateSummary, now: string): string {
  if (p.rule === 'validity') {
    if (c.notAfter <= now) return 'expired'
    if (c.notBefore > now) return 'not yet valid'
    return /expir/i.test(p.message) ? 'expiring soon' : 'validity'
  }
  return RULE_REASON[p.rule] ?? p.rule
}

function certificateVerdict(report: Report, certificate: CertificateReport, c: CertificateSummary): string {
  if (c.verdict === 'trust-anchor') return `${OK} trust anchor`
  if (c.verdict === 'ok') return `${OK} ok`
  const reasons = [...new Set(problemsOf(certificate, c).map(p => problemReason(p, c, report.startedAt)))]
  return `${badIcon(report)} ${mdText(reasons.join(', ') || 'problem')}`
}

function certificateSection(report: Report, certificate: CertificateReport): string[] {
  const where =
    mdText(`${certificate.protocol}://${certificate.host}:${certificate.port}`) +
    (certificate.connectTo !== undefined && certificate.connectTo !== certificate.host
      ? ` at ${mdText(certificate.connectTo)}`
      : '')
  const uploaded = certificate.source === 'managed-domain'
  const lines = [
    '#### Certificate',
    `${certificate.trusted ? `${OK} trusted` : `${badIcon(report)} not trusted`} · ` +
      (uploaded ? `the certificate uploaded to the managed domain, for ${mdText(certificate.host)}` : where) +
      (certificate.tlsVersion !== undefined ? ` · ${mdText(certificate.tlsVersion)}` : '')
  ]
  // Said plainly: what was judged is not what the endpoint serves.
  if (uploaded) lines.push(`ℹ️ ${mdText(certificate.sourceReason ?? 'certificate-source is managed-domain')}.`)
  if (certificate.chain.length > 0) {
    lines.push(
      markdownTable(
        ['Certificate', 'Issuer', 'Expires', 'Verdict'],
        certificate.chain.map(c => [
          mdText(commonName(c.subject)),
          mdText(commonName(c.issuer)),
          displayDate(c.notAfter),
          certificateVerdict(report, certificate, c)
        ])
      )
    )
  }
  if (certificate.leaf !== undefined) {
    const days = Math.floor(certificate.leaf.daysRemaining)
    lines.push(
      `The ${uploaded ? 'uploaded' : 'served'} certificate expires ${displayDate(certificate.leaf.notAfter)} (${days} ${days === 1 ? 'day' : 'days'}).`
    )
  }
  if (certificate.renewal !== undefined) lines.push(renewalLine(report, certificate.renewal))
  return lines
}

/** Whether renewal is due, and the rule that decided it, so the choice of window stays visible. */
function renewalLine(report: Report, r: NonNullable<CertificateReport['renewal']>): string {
  const rule = `min-days-valid ${mdCode(r.rule)}: ${mdText(r.ruleText)}`
  const by = displayDate(r.renewBy)
  if (!r.due) return `${OK} Renewal not due: renew by ${by} (${rule}).`
  return `${badIcon(report)} **Renewal due**: renew by ${by}: ${r.daysLeft} ${r.daysLeft === 1 ? 'day' : 'days'} left of a ${r.lifetimeDays}-day certificate (${rule}).`
}

/** The chain in full and the run's counters: for whoever digs, folded away from the verdict. */
function detailsSection(report: Report): string[] {
  const items: string[] = []
  const { record, propagation, certificate } = report
  if (record?.providerReads !== undefined) {
    items.push(`- Provider calls: ${record.providerReads} read, ${record.providerWrites ?? 0} write`)
  }
  if (propagation !== undefined) {
    items.push(
      `- DNS queries: ${propagation.queries}` +
        (propagation.source !== undefined ? ` (nameservers ${mdText(propagation.source)})` : '') +
        (propagation.seconds !== undefined ? ` · propagated in ${propagation.seconds.toFixed(1)} s` : '')
    )
    if (propagation.skippedAddresses !== undefined && propagation.skippedAddresses.length > 0) {
      items.push(
        `- Not checked (no route to that address family from this runner): ${propagation.skippedAddresses.map(a => mdCode(a)).join(', ')}`
      )
    }
  }
  if (certificate !== undefined) {
    if (certificate.cipher !== undefined || certificate.tlsVersion !== undefined) {
      items.push(`- TLS: ${mdText([certificate.tlsVersion, certificate.cipher].filter(Boolean).join(', '))}`)
    }
    if (certificate.ldap !== undefined) {
      items.push(
        `- LDAP root DSE: namingContexts ${certificate.ldap.namingContexts.map(n => mdCode(n)).join(', ') || 'none'}; supportedLDAPVersion ${mdText(certificate.ldap.supportedLDAPVersion.join(', ') || '?')}`
      )
    }
    if (certificate.nodeVerification !== undefined) {
      const node = certificate.nodeVerification
      items.push(
        `- Node's own TLS verification: ${node.authorized ? 'authorized' : `refused (${mdText(node.error ?? 'not authorized')})`}` +
          (node.identityError !== undefined ? `; name: ${mdText(node.identityError)}` : '')
      )
    }
  }
  const chain = certificate?.chain ?? []
  if (items.length === 0 && chain.length === 0) return []
  const out = ['<details><summary>Certificate chain and counters</summary>', '']
  if (items.length > 0) out.push(items.join('\n'), '')
  for (const c of chain) {
    const problems = certificate === undefined ? [] : problemsOf(certificate, c)
    out.push(
      `**${c.position}. ${mdText(displayName(c.subject))}** (${mdText(c.source)})`,
      '',
      [
        `- issued by ${mdText(displayName(c.issuer))}`,
        `- valid ${displayDate(c.notBefore)} to ${displayDate(c.notAfter)}`,
        `- ${mdText(c.key)}, ${mdText(c.signature)}`,
        `- SHA-256 ${mdCode(c.sha256)}`,
        ...problems.map(p => `- ${badIcon(report)} ${mdText(p.message)}`)
      ].join('\n'),
      ''
    )
  }
  out.push('</details>')
  return [out.join('\n')]
}

export function renderSummary(report: Report): string {
  const title = heading(report)
  const parts: string[] = [title]
  const lead: string[] = []
  const what = target(report)
  // A heading that says what is wrong leaves the name and address to this line.
  if (what !== undefined && report.mode !== undefined && !title.includes(what)) lead.push(what)
  if (report.mode !== undefined) lead.push(`mode **${mdText(report.mode)}**`)
  if (report.provider !== undefined) lead.push(`provider **${mdText(report.provider)}**`)
  if (lead.length > 0) parts.push(lead.join(' · '))

  if (report.findings.length > 0) {
    // Failures first, so a summary cut to GitHub's size limit still shows them.
    const findings = report.findings.toSorted((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity])
    parts.push(
      '#### Findings',
      findings.map(f => `- ${ICON[f.severity]} **${mdText(f.title)}**: ${mdText(f.message)}`).join('\n')
    )
  }
  if (report.record !== undefined) parts.push(...recordSection(report, report.record))
  if (report.propagation !== undefined) parts.push(...nameserverSection(report, report.propagation))
  if (report.certificate !== undefined) parts.push(...certificateSection(report, report.certificate))

  const { ldapBind } = report
  if (ldapBind !== undefined) {
    const icon = ldapBind.state === 'ok' ? OK : ldapBind.state === 'failed' ? '❌' : '⚠️'
    const search = ldapBind.search
    parts.push(
      '#### LDAP bind',
      `${icon} **${ldapBind.state}** · ${cell(ldapBind.dn)}` +
        (ldapBind.result !== undefined ? ` · ${cell(ldapBind.result)}` : '') +
        (search !== undefined
          ? ` · search of ${cell(search.base || '(root DSE)')} with ${cell(search.filter)}: ${cell(search.result)}, ${search.entries} ${search.entries === 1 ? 'entry' : 'entries'}`
          : '') +
        (ldapBind.state === 'ok' ? '' : `\n\n${cell(ldapBind.message)}`)
    )
  }

  if (report.entra !== undefined) parts.push(...entraSection(report, report.entra))
  if (report.renewal !== undefined) parts.push(...renewalSection(report, report.renewal))
  parts.push(...detailsSection(report))

  if (report.driftIssue !== undefined && report.driftIssue.action !== 'none') {
    parts.push(
      `Drift issue ${mdText(report.driftIssue.action)}: ${report.driftIssue.url !== undefined ? mdText(report.driftIssue.url) : `#${report.driftIssue.number ?? '?'}`}`
    )
  }
  return boundSummary(`${parts.join('\n\n')}\n`)
}

/**
 * GitHub refuses a step's job summary over 1 MiB (1,048,576 bytes) and shows none of it. The
 * summary is cut below that, leaving room for the note and for what follows it; the heading
 * (the verdict) and the findings (failures first) come first, so they survive a cut.
 */
export const MAX_SUMMARY_BYTES = 1_000_000

/**
 * The summary within MAX_SUMMARY_BYTES: cut at a line break (a line longer than what is left is
 * cut inside, at a character), an open <details> closed, and a visible note saying it was cut.
 */
export function boundSummary(markdown: string, maxBytes: number = MAX_SUMMARY_BYTES): string {
  const total = Buffer.byteLength(markdown, 'utf8')
  if (total <= maxBytes) return markdown
  const note = `\n\n---\n\n✂️ **Summary cut**: it was ${total.toLocaleString('en-US')} bytes, over GitHub's limit of 1 MiB for a step's summary; the verdict and the findings come first, the rest is left out.\n`
  const budget = maxBytes - Buffer.byteLength(note, 'utf8') - Buffer.byteLength('\n</details>', 'utf8')
  const kept: string[] = []
  let used = 0
  for (const line of markdown.split('\n')) {
    const size = Buffer.byteLength(line, 'utf8') + 1
    if (used + size > budget) {
      const room = budget - used - Buffer.byteLength('…', 'utf8')
      if (room > 0) kept.push(`${cutToBytes(line, room)}…`)
      break
    }
    kept.push(line)
    used += size
  }
  let text = kept.join('\n')
  const opened = (text.match(/<details>/g) ?? []).length
  const closed = (text.match(/<\/details>/g) ?? []).length
  if (opened > closed) text += '\n</details>'
  return text + note
}

/** The longest prefix of `text` of at most `maxBytes` UTF-8 bytes, never splitting a character. */
function cutToBytes(text: string, maxBytes: number): string {
  let bytes = 0
  let end = 0
  for (const ch of text) {
    const size = Buffer.byteLength(ch, 'utf8')
    if (bytes + size > maxBytes) break
    bytes += size
    end += ch.length
  }
  return text.slice(0, end)
}

const EXPOSURE: Record<string, string> = {
  restricted: `${OK} restricted`,
  open: '⚠️ open to the internet',
  'no-rule': '⚠️ no rule for TCP 636',
  'no-nsg': '⚠️ no NSG',
  unknown: '⚠️ unknown'
}

/** The managed domain's facts and the NSG verdict per replica set; the first column is the verdict. */
function entraSection(report: Report, entra: EntraReport): string[] {
  const d = entra.managedDomain
  const match = entra.certificate.match
  const entraErrors = report.findings.some(f => f.step === 'entra' && f.severity !== 'notice')
  const lines = [
    '#### Entra Domain Services',
    table(
      ['', 'Managed domain', 'Resource group', 'Secure LDAP', 'Internet access', 'External IP', 'Replica set'],
      [
        [
          entraErrors ? badIcon(report) : OK,
          d.domainName,
          d.resourceGroup,
          entra.ldaps,
          entra.externalAccess,
          entra.externalIp,
          entra.replicaSet
        ]
      ]
    ),
    `Uploaded certificate ${entra.certificate.thumbprint === undefined ? 'without thumbprint' : mdCode(entra.certificate.thumbprint)} · expires ${displayDate(entra.certificate.notAfter)} · ` +
      (match === undefined && report.certificate?.source === 'managed-domain'
        ? 'ℹ️ judged itself (see Certificate); the served one was not checked'
        : match === undefined
          ? '⚠️ not compared with the served one'
          : match
            ? `${OK} served at the endpoint`
            : `${badIcon(report)} not what the endpoint serves`)
  ]
  if (entra.nsg.replicaSets.length > 0) {
    lines.push(
      markdownTable(
        ['Replica set', 'NSG', 'TCP 636 exposure', 'Deciding rule'],
        entra.nsg.replicaSets.map(r => [
          mdText(r.location),
          mdCell(r.nsg),
          EXPOSURE[r.exposure] ?? `⚠️ ${mdText(r.exposure)}`,
          mdCell(r.rule)
        ])
      )
    )
  } else if (entra.nsg.check === 'off') {
    lines.push('⚠️ NSG not checked (entra-nsg-check is off).')
  }
  lines.push(`Azure Resource Manager reads: ${entra.armReads}, writes: ${report.renewal?.armWrites ?? 0}`)
  return lines
}

/** Certificate renewal: old → new, or why nothing was ordered, or where it stopped. */
function renewalSection(report: Report, renewal: RenewalReport): string[] {
  const certificate = (c: RenewalReport['previous']): string =>
    `${c.thumbprint === undefined ? 'no thumbprint' : mdCode(c.thumbprint)} (expires ${displayDate(c.notAfter)})`
  const lines = ['#### Certificate renewal']
  if (renewal.state === 'not-due') {
    lines.push(`${OK} Not due: ${mdText(renewal.reason)}.`)
    return lines
  }
  if (renewal.state === 'renewed' && renewal.renewed !== undefined) {
    const served =
      renewal.served === undefined
        ? '⚠️ not confirmed at the endpoint'
        : renewal.served.inARow >= renewal.served.needed
          ? `${OK} served (${renewal.served.inARow} handshakes in a row)`
          : `${badIcon(report)} not yet served (${renewal.served.inARow} of ${renewal.served.needed} handshakes in a row)`
    lines.push(
      `${OK} Renewed from ${mdText(renewal.directory)}: ${certificate(renewal.previous)} → ${certificate(renewal.renewed)} · ${served}`
    )
    return lines
  }
  lines.push(
    `${badIcon(report)} Renewal failed at ${mdText(renewal.stage ?? 'order')}: the managed domain keeps ${certificate(renewal.previous)}.`
  )
  return lines
}
