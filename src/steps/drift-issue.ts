// After a check: open, update or close the drift issue for this domain.
//
// Only issues of ours are ever touched: open, holding this domain's marker on their first line,
// and opened by the identity the token acts as. Anyone can paste the marker into an issue; nobody
// else can open an issue as that identity (a `[bot]` login cannot be registered by a person).
// Among several of ours (two checks ran at once), the oldest is the drift issue and the others
// are closed as its duplicates. Ours carry DRIFT_LABEL; one without it (opened by an earlier
// version, or the label was removed) is labelled again.

import {
  DRIFT_LABEL,
  hasDriftMarker,
  planDriftIssue,
  renderDuplicateComment,
  type RunLink
} from '../core/drift-issue.ts'
import type { DriftIssueReport, Report } from '../core/report.ts'
import type { Settings } from '../core/settings.ts'
import type { IssueTracker, ListedIssue, TokenIdentity } from '../adapters/github-issues.ts'
import * as github from '../adapters/github.ts'

type Environment = Readonly<Record<string, string | undefined>>

export async function reportDriftIssue(
  report: Report,
  settings: Settings,
  env: Environment = process.env,
  given?: IssueTracker
): Promise<DriftIssueReport> {
  // Octokit is loaded only by the runs that need it (check mode with drift-issue), so every other
  // run starts without it.
  const tracker =
    given ??
    (await import('../adapters/github-issues.ts')).createGitHubIssues({
      token: settings.drift.githubToken,
      repository: env['GITHUB_REPOSITORY'] ?? '',
      // The same default as @actions/github's getOctokit; GHES runners set GITHUB_API_URL.
      apiUrl: env['GITHUB_API_URL'] || 'https://api.github.com'
    })
  const candidates = await tracker.findOpenIssues(body => hasDriftMarker(body, report.domain))
  // Who we are matters only when some issue claims to be ours; a quiet night costs one listing.
  const identity = candidates.length > 0 ? await tracker.identity() : undefined
  const ours = identity === undefined ? [] : candidates.filter(issue => isOurs(issue, identity))
  const foreign = candidates.filter(issue => !ours.includes(issue))
  if (foreign.length > 0) {
    github.info(
      `Left alone ${foreign.length === 1 ? 'an open issue' : `${foreign.length} open issues`} with the drift marker for ${report.domain} not opened by ${identity!.login}: ` +
        foreign.map(i => `#${i.number} (opened by ${i.author.login})`).join(', ')
    )
  }
  const [existing, ...duplicates] = ours
  const run = runLink(env)
  const labels = new Labels(tracker)
  // Adopt ours that lack the label (an earlier version opened them, or someone removed it).
  for (const issue of ours) {
    if (!issue.labels.some(l => l.toLowerCase() === DRIFT_LABEL.name)) await labels.addTo(issue.number)
  }
  const plan = planDriftIssue({ report, existing, run, secrets: github.publishedSecrets() })
  const result = await carryOut(plan, tracker, labels)
  for (const duplicate of duplicates) {
    // Comment first, as for a close: the issue says why before it is closed.
    await tracker.addComment(duplicate.number, renderDuplicateComment(report.domain, existing!.number, run))
    const closed = await tracker.closeIssue(duplicate.number, { kind: 'duplicate', of: existing! })
    github.info(`Closed drift issue #${closed.number} as a duplicate of #${existing!.number}: ${closed.url}`)
  }
  return result
}

async function carryOut(
  plan: ReturnType<typeof planDriftIssue>,
  tracker: IssueTracker,
  labels: Labels
): Promise<DriftIssueReport> {
  switch (plan.action) {
    case 'none':
      github.info(`No drift issue to open, update or close.`)
      return { action: 'none' }
    case 'open': {
      const issue = await tracker.createIssue(plan.title, plan.body, (await labels.ensure()) ? [DRIFT_LABEL.name] : [])
      github.info(`Opened drift issue #${issue.number}: ${issue.url}`)
      return { action: 'opened', number: issue.number, url: issue.url, commented: false }
    }
    case 'update': {
      const issue = await tracker.updateIssueBody(plan.number, plan.body)
      if (plan.comment !== undefined) await tracker.addComment(plan.number, plan.comment)
      github.info(
        `Updated drift issue #${issue.number}${plan.comment !== undefined ? ' (the findings changed: commented)' : ''}: ${issue.url}`
      )
      return { action: 'updated', number: issue.number, url: issue.url, commented: plan.comment !== undefined }
    }
    case 'close': {
      // Comment first: if closing fails, the issue still says why it was about to be closed.
      await tracker.addComment(plan.number, plan.comment)
      const issue = await tracker.closeIssue(plan.number)
      github.info(`Closed drift issue #${issue.number}: ${issue.url}`)
      return { action: 'closed', number: issue.number, url: issue.url, commented: true }
    }
  }
}

/**
 * Ours: opened by the login the token acts as. A `[bot]` login must also be a Bot account, as
 * GitHub reports every app's (and no person can register a login with brackets).
 */
export function isOurs(issue: ListedIssue, identity: TokenIdentity): boolean {
  if (issue.author.login.toLowerCase() !== identity.login.toLowerCase()) return false
  return !identity.login.endsWith('[bot]') || issue.author.type === 'Bot'
}

/**
 * The label, created on first use. It is a convenience (ownership is decided by the author), so
 * a token that may not create or set labels gets a warning and the issue is kept without it.
 */
class Labels {
  private available: Promise<boolean> | undefined
  private readonly tracker: IssueTracker
  constructor(tracker: IssueTracker) {
    this.tracker = tracker
  }

  ensure(): Promise<boolean> {
    this.available ??= this.tracker.ensureLabel(DRIFT_LABEL.name, DRIFT_LABEL.color, DRIFT_LABEL.description).then(
      () => true,
      (error: unknown) => {
        github.warning(`Drift issue label ${DRIFT_LABEL.name} not created: ${(error as Error).message}`)
        return false
      }
    )
    return this.available
  }

  async addTo(number: number): Promise<void> {
    if (!(await this.ensure())) return
    try {
      await this.tracker.addLabels(number, [DRIFT_LABEL.name])
      github.info(`Labelled drift issue #${number} ${DRIFT_LABEL.name}.`)
    } catch (error) {
      github.warning(`Drift issue #${number} not labelled ${DRIFT_LABEL.name}: ${(error as Error).message}`)
    }
  }
}

/** The run's page, from the variables every runner sets; undefined outside a runner. */
export function runLink(env: Environment): RunLink | undefined {
  const server = env['GITHUB_SERVER_URL'] || 'https://github.com'
  const repository = env['GITHUB_REPOSITORY']
  const id = env['GITHUB_RUN_ID']
  if (!repository || !id) return undefined
  const attempt = env['GITHUB_RUN_ATTEMPT']
  const url = `${server.replace(/\/+$/, '')}/${repository}/actions/runs/${id}`
  return { id, url: attempt && attempt !== '1' ? `${url}/attempts/${attempt}` : url }
}
