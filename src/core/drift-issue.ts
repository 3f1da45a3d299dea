// The drift issue as data: the hidden marker that finds it again, the body rendered from the
// report, and the decision (open, update, close or nothing) from the report and the issue found.
// Pure: the adapter does the HTTP, the step wires the two together.

import { mdCode, mdText } from './escape.ts'
import { createRedactor, redactDeep } from './redact.ts'
import type { Finding, Report } from './report.ts'
import { renderSummary } from './summary.ts'

/** Where the run that produced a report can be seen, for links in the issue. */
export interface RunLink {
  readonly url: string
  readonly id: string
}

/** An open issue that carries this domain's marker. */
export interface FoundIssue {
  readonly number: number
  readonly body: string
}

export type DriftIssuePlan =
  | { readonly action: 'open'; readonly title: string; readonly body: string }
  | {
      readonly action: 'update'
      readonly number: number
      readonly body: string
      /** Posted only when the kinds of finding changed, so a nightly check of the same drift stays quiet. */
      readonly comment: string | undefined
    }
  | { readonly action: 'close'; readonly number: number; readonly comment: string }
  | { readonly action: 'none' }

const MARKER = 'ldaps-dns-action:drift'
const FINDINGS_MARKER = 'ldaps-dns-action:findings'

/** The hidden first line of the issue body; the issue is found by it, never by its title. */
export function renderDriftMarker(domain: string): string {
  return `<!-- ${MARKER} domain=${domain.toLowerCase()} -->`
}

/**
 * True when the body's first line is the marker for exactly this domain (not a longer or shorter
 * name). Only the first line counts: findings rendered further down quote text from DNS answers
 * and certificates, which must not be able to claim another domain's issue.
 */
export function hasDriftMarker(body: string | null | undefined, domain: string): boolean {
  if (body === null || body === undefined) return false
  const firstLine = body.trimStart().split(/\r?\n/, 1)[0] ?? ''
  const m = /^<!--\s*ldaps-dns-action:drift\s+domain=(\S+)\s*-->\s*$/.exec(firstLine)
  return m !== null && m[1]!.toLowerCase() === domain.toLowerCase()
}

/**
 * The kinds of drift in a report: step and title, not the message, whose numbers (days left,
 * seconds) change from run to run without the drift being any different.
 */
export function evaluateFindingKeys(report: Pick<Report, 'findings'>): string[] {
  const keys = report.findings.filter(isDrift).map(f => `${f.step}: ${f.title}`)
  return [...new Set(keys)].sort()
}

function isDrift(f: Finding): boolean {
  return f.drift === true
}

/** Reads the finding keys a previous run stored in the body; undefined when there are none. */
export function parseFindingKeys(body: string): string[] | undefined {
  const m = /<!--\s*ldaps-dns-action:findings\s+([A-Za-z0-9_-]*)\s*-->/.exec(body)
  if (m === null) return undefined
  try {
    const keys: unknown = JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8'))
    if (Array.isArray(keys) && keys.every(k => typeof k === 'string')) return keys
  } catch {
    // A hand-edited marker: treat the findings as unknown.
  }
  return undefined
}

function renderFindingKeys(keys: readonly string[]): string {
  // base64url, so no title can end the HTML comment early.
  return `<!-- ${FINDINGS_MARKER} ${Buffer.from(JSON.stringify(keys), 'utf8').toString('base64url')} -->`
}

/**
 * GitHub refuses an issue title over 256 characters (422 "title is too long (maximum is 256
 * characters)"); a 253-character domain after the prefix would pass it.
 */
export const MAX_TITLE_LENGTH = 256

/** The drift issue's title, cut (with …) to GitHub's limit, counted in characters, not UTF-16 units. */
export function renderDriftIssueTitle(domain: string): string {
  const title = `LDAPS drift: ${domain}`
  const characters = Array.from(title)
  if (characters.length <= MAX_TITLE_LENGTH) return title
  return `${characters.slice(0, MAX_TITLE_LENGTH - 1).join('')}…`
}

function runText(run: RunLink | undefined): string {
  return run === undefined ? 'a check run' : `[run ${run.id}](${run.url})`
}

/**
 * The issue body: marker, a short explanation, then the same findings and tables as the job
 * summary. Every value in `secrets` is replaced (in every form an API echoes, see redact.ts), in
 * case one ever reached a message; the action passes the same values as to every other sink.
 */
export function renderDriftIssueBody(
  report: Report,
  run: RunLink | undefined,
  secrets: readonly string[] = []
): string {
  // Values first, then the text: escaping can change how a secret is spelled (a _ becomes \_).
  const redact = createRedactor(secrets)
  report = redactDeep(report, redact)
  const body = [
    renderDriftMarker(report.domain),
    renderFindingKeys(evaluateFindingKeys(report)),
    `The check of ${mdCode(report.domain)} found drift: the live state differs from what the workflow declares. ` +
      'ldaps-dns-action rewrites this description on every check that finds drift, and closes the issue with a comment ' +
      'on the first check that finds none.',
    `Last checked: ${report.startedAt} by ${runText(run)}.`,
    renderSummary({ ...report, driftIssue: undefined })
  ].join('\n\n')
  return truncateBody(redact(body))
}

/** GitHub refuses issue bodies over 65,536 characters (422); a cut summary still carries the marker. */
export const MAX_BODY_LENGTH = 65_536

function truncateBody(body: string): string {
  if (body.length <= MAX_BODY_LENGTH) return body
  const note = "\n\n… (cut to fit GitHub's limit; the job summary of the run has everything)\n"
  return body.slice(0, MAX_BODY_LENGTH - note.length) + note
}

/** Replaces each secret (of 4 characters or more), in every form an API echoes, with ***. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  return createRedactor(secrets)(text)
}

function renderChangeComment(
  previous: readonly string[],
  current: readonly string[],
  run: RunLink | undefined
): string {
  const added = current.filter(k => !previous.includes(k))
  const resolved = previous.filter(k => !current.includes(k))
  const lines = [`The findings changed in ${runText(run)}; the description above now shows them.`]
  if (added.length > 0) lines.push('', 'New:', ...added.map(k => `- ${mdText(k)}`))
  if (resolved.length > 0) lines.push('', 'No longer found:', ...resolved.map(k => `- ${mdText(k)}`))
  return lines.join('\n')
}

/**
 * Decides what to do with the domain's drift issue. Drift opens one (or rewrites the open one,
 * commenting only when the kinds of finding changed); a check without drift or errors closes it.
 */
export function planDriftIssue(input: {
  readonly report: Report
  readonly existing: FoundIssue | undefined
  readonly run: RunLink | undefined
  readonly secrets?: readonly string[]
}): DriftIssuePlan {
  const { existing, run } = input
  const report = redactDeep(input.report, createRedactor(input.secrets ?? []))
  if (!report.drift) {
    // A check that failed without finding drift (an error not counted as drift) proves nothing
    // healthy: the issue stays as it is.
    if (existing === undefined || report.findings.some(f => f.severity === 'error')) return { action: 'none' }
    return {
      action: 'close',
      number: existing.number,
      comment: redactSecrets(
        `✅ ${runText(run)} found no drift for ${mdCode(report.domain)} (checked ${report.startedAt}); closing.`,
        input.secrets ?? []
      )
    }
  }
  const body = renderDriftIssueBody(report, run, input.secrets)
  if (existing === undefined) return { action: 'open', title: renderDriftIssueTitle(report.domain), body }
  const previous = parseFindingKeys(existing.body)
  const current = evaluateFindingKeys(report)
  const changed = previous === undefined || previous.join('\n') !== current.join('\n')
  return {
    action: 'update',
    number: existing.number,
    body,
    comment: changed ? redactSecrets(renderChangeComment(previous ?? [], current, run), input.secrets ?? []) : undefined
  }
}

/** The label on every drift issue the action opens (created in the repository on first use). */
export const DRIFT_LABEL = {
  name: 'ldaps-dns-drift',
  color: 'd93f0b',
  description: 'Drift found by ldaps-dns-action: opened, updated and closed by the action'
} as const

/** The comment on an extra drift issue of ours (two checks ran at once) before it is closed. */
export function renderDuplicateComment(domain: string, keep: number, run: RunLink | undefined): string {
  return (
    `Duplicate of #${keep}: ldaps-dns-action keeps one drift issue for \`${domain}\` ` +
    `(two checks probably ran at the same time). ${runText(run)} closes this one; #${keep} carries on.`
  )
}
