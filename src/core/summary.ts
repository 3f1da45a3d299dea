// Renders the report as the job summary (GitHub-flavoured Markdown); core/outcome.ts decides the outcome.
// Pure: the GitHub adapter only writes what this returns.

import { mdCell, mdCode, mdText } from './escape.ts'
import type { EntraReport, Finding, Report } from './report.ts'

/** A Markdown table cell: every value in the summary is outside text (see escape.ts). */
export const cell = mdCell

function table(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map(r => `| ${r.map(cell).join(' | ')} |`)
  ].join('\n')
}

function verdictLine(report: Report): string {
  const target = `${mdCode(report.domain)} → ${mdCode(report.ip)}`
  if (report.mode === 'check') {
    if (!report.drift && report.outcome === 'success') return `### ✅ No drift: ${target}`
    return `### ${report.outcome === 'failure' ? '❌' : '⚠️'} Drift found: ${target}`
  }
  return report.outcome === 'success' ? `### ✅ ${target}` : `### ❌ Failed: ${target}`
}

const ICON: Record<Finding['severity'], string> = { error: '❌', warning: '⚠️', notice: 'ℹ️' }

function recordAction(mode: Report['mode'], action: string, changed: boolean): string {
  if (action === 'none') {
    return changed ? 'right after a retried write (it changed during this run)' : 'already right, nothing written'
  }
  if (mode === 'check' && action !== 'conflict') return `would ${action} (check mode writes nothing)`
  return `action **${mdText(action)}**${changed ? ' (written)' : ''}`
}

export function renderSummary(report: Report): string {
  const parts: string[] = [verdictLine(report)]
  const lead: string[] = []
  if (report.mode !== undefined) lead.push(`mode **${mdText(report.mode)}**`)
  if (report.provider !== undefined) lead.push(`provider **${mdText(report.provider)}**`)
  if (lead.length > 0) parts.push(lead.join(', '))

  if (report.findings.length > 0) {
    parts.push(
      '#### Findings',
      report.findings.map(f => `- ${ICON[f.severity]} **${mdText(f.title)}**: ${mdText(f.message)}`).join('\n')
    )
  }

  const { record } = report
  if (record !== undefined) {
    parts.push(
      '#### DNS record',
      table(
        ['', 'Name', 'Type', 'Value', 'TTL'],
        [
          ['Declared', record.name, record.type, record.desired.values.join(', '), record.desired.ttl],
          [
            'Found',
            record.name,
            record.found?.cname !== undefined ? 'CNAME' : record.type,
            record.found === undefined
              ? 'not read'
              : (record.found.cname ?? (record.found.values.join(', ') || 'none')),
            record.found?.ttl
          ]
        ]
      ),
      `Zone ${mdCode(record.zone ?? '?')} · ${recordAction(report.mode, record.action, record.changed)}` +
        (record.providerReads !== undefined
          ? ` · provider calls: ${record.providerReads} read, ${record.providerWrites ?? 0} write`
          : '')
    )
  }

  const { propagation } = report
  if (propagation !== undefined) {
    parts.push(
      '#### Authoritative nameservers',
      propagation.nameservers.length === 0
        ? 'No nameserver was checked.'
        : table(
            ['Nameserver', 'Address', 'State', 'Answer', 'SOA serial', 'In sync after'],
            propagation.nameservers.map(n => [
              n.nameserver,
              n.address,
              n.state,
              n.answer.length > 0 ? n.answer.join(', ') : (n.detail ?? 'no answer'),
              n.serial,
              n.syncedAfterSeconds === undefined ? undefined : `${n.syncedAfterSeconds.toFixed(1)} s`
            ])
          ),
      `${propagation.propagated ? 'Propagated' : 'Not propagated'}` +
        (propagation.seconds !== undefined ? ` in ${propagation.seconds.toFixed(1)} s` : '') +
        ` · ${propagation.queries} DNS queries` +
        (propagation.recursiveAnswer !== undefined
          ? ` · recursive resolver answers ${mdText(propagation.recursiveAnswer.join(', ') || 'nothing')}`
          : '')
    )
  }

  const { certificate } = report
  if (certificate !== undefined) {
    parts.push(
      '#### Certificate',
      `${certificate.trusted ? '✅ trusted' : '❌ not trusted'} · ${mdText(`${certificate.protocol}://${certificate.host}:${certificate.port}`)}` +
        (certificate.connectTo !== undefined && certificate.connectTo !== certificate.host
          ? ` at ${mdText(certificate.connectTo)}`
          : '') +
        (certificate.tlsVersion !== undefined ? ` · ${mdText(certificate.tlsVersion)}` : '') +
        (certificate.cipher !== undefined ? ` · ${mdText(certificate.cipher)}` : '')
    )
    if (certificate.chain.length > 0) {
      parts.push(
        table(
          ['#', 'Subject', 'Issuer', 'Not after', 'Key', 'Signature', 'Source', 'Verdict'],
          certificate.chain.map(c => [
            c.position,
            c.subject,
            c.issuer,
            c.notAfter.slice(0, 10),
            c.key,
            c.signature,
            c.source,
            c.verdict
          ])
        )
      )
    }
    if (certificate.leaf !== undefined) {
      parts.push(
        `Leaf SHA-256 ${mdCode(certificate.leaf.sha256)} · expires ${mdText(certificate.leaf.notAfter)} (${Math.floor(certificate.leaf.daysRemaining)} days)`
      )
    }
    if (certificate.ldap !== undefined) {
      parts.push(
        `LDAP root DSE: namingContexts ${certificate.ldap.namingContexts.map(n => mdCode(n)).join(', ') || 'none'}; supportedLDAPVersion ${mdText(certificate.ldap.supportedLDAPVersion.join(', ') || '?')}`
      )
    }
  }

  const { ldapBind } = report
  if (ldapBind !== undefined) {
    const icon = ldapBind.state === 'ok' ? '✅' : ldapBind.state === 'failed' ? '❌' : '⏭️'
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

  if (report.entra !== undefined) parts.push(...entraSection(report.entra))

  if (report.driftIssue !== undefined && report.driftIssue.action !== 'none') {
    parts.push(
      `Drift issue ${mdText(report.driftIssue.action)}: ${report.driftIssue.url !== undefined ? mdText(report.driftIssue.url) : `#${report.driftIssue.number ?? '?'}`}`
    )
  }
  return `${parts.join('\n\n')}\n`
}

/** The managed domain's facts and the NSG verdict per replica set. */
function entraSection(entra: EntraReport): string[] {
  const d = entra.managedDomain
  const match = entra.certificate.match
  const lines = [
    '#### Entra Domain Services',
    table(
      ['Managed domain', 'Resource group', 'Secure LDAP', 'Internet access', 'External IP', 'Replica set'],
      [[d.domainName, d.resourceGroup, entra.ldaps, entra.externalAccess, entra.externalIp, entra.replicaSet]]
    ),
    `Uploaded certificate \`${cell(entra.certificate.thumbprint)}\` · expires ${cell(entra.certificate.notAfter)} · ` +
      (match === undefined
        ? 'not compared with the served one'
        : match
          ? '✅ served at the endpoint'
          : '❌ not what the endpoint serves')
  ]
  if (entra.nsg.replicaSets.length > 0) {
    lines.push(
      table(
        ['Replica set', 'NSG', 'TCP 636 exposure', 'Deciding rule'],
        entra.nsg.replicaSets.map(r => [r.location, r.nsg, r.exposure, r.rule])
      )
    )
  } else if (entra.nsg.check === 'off') {
    lines.push('NSG not checked (entra-nsg-check is off).')
  }
  lines.push(`Azure Resource Manager reads: ${entra.armReads}, writes: 0`)
  return lines
}
