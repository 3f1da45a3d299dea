// After a check: open, update or close the drift issue for this domain.

import * as core from '@actions/core'
import { hasDriftMarker, planDriftIssue, type RunLink } from '../core/drift-issue.ts'
import type { DriftIssueReport, Report } from '../core/report.ts'
import type { Settings } from '../core/settings.ts'
import type { IssueTracker } from '../adapters/github-issues.ts'
import { publishedSecrets } from '../adapters/github.ts'

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
  const existing = await tracker.findOpenIssue(body => hasDriftMarker(body, report.domain))
  const plan = planDriftIssue({ report, existing, run: runLink(env), secrets: publishedSecrets() })
  switch (plan.action) {
    case 'none':
      core.info(`No drift and no open drift issue for ${report.domain}.`)
      return { action: 'none' }
    case 'open': {
      const issue = await tracker.createIssue(plan.title, plan.body)
      core.info(`Opened drift issue #${issue.number}: ${issue.url}`)
      return { action: 'opened', number: issue.number, url: issue.url, commented: false }
    }
    case 'update': {
      const issue = await tracker.updateIssueBody(plan.number, plan.body)
      if (plan.comment !== undefined) await tracker.addComment(plan.number, plan.comment)
      core.info(
        `Updated drift issue #${issue.number}${plan.comment !== undefined ? ' (the findings changed: commented)' : ''}: ${issue.url}`
      )
      return { action: 'updated', number: issue.number, url: issue.url, commented: plan.comment !== undefined }
    }
    case 'close': {
      // Comment first: if closing fails, the issue still says why it was about to be closed.
      await tracker.addComment(plan.number, plan.comment)
      const issue = await tracker.closeIssue(plan.number)
      core.info(`Closed drift issue #${issue.number}: ${issue.url}`)
      return { action: 'closed', number: issue.number, url: issue.url, commented: true }
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
