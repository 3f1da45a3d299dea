// Decides whether a version may be released, and whether the major tag moves to it. Run by the
// release workflow's read-only job at the tagged commit, and by the tests against the repository:
//
//   git tag --list 'v*' | node scripts/release-check.ts 1.2.0
//
// prints `version=`, `tag=`, `major=`, `prerelease=` and `move-major=` lines (for $GITHUB_OUTPUT),
// or the problems on stderr and exits 1. A version is released only when package.json carries it,
// CHANGELOG.md has its dated, non-empty section with a link, and [Unreleased] is empty (everything
// in the tagged commit is in the notes). The major tag moves only forward: a backport v1.1.1
// after v1.2.0 leaves v1 on v1.2.0.

import { readFileSync } from 'node:fs'
import { changelogSection } from './changelog-notes.ts'

const VERSION = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$/

interface Version {
  readonly major: number
  readonly minor: number
  readonly patch: number
  readonly prerelease: string | undefined
  readonly text: string
}

export function parseVersion(text: string): Version | undefined {
  const m = VERSION.exec(text.trim())
  if (!m) return undefined
  return {
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: Number(m[3]),
    prerelease: m[4],
    text: m[0].replace(/^v/, '')
  }
}

function compare(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch
}

/**
 * Whether `v<major>` moves to this version: it is no prerelease and no release tag of the same
 * major (prereleases aside) is newer. Releasing the same version again moves it again (a re-run).
 */
export function majorTagMoves(version: string, tags: readonly string[]): boolean {
  const wanted = parseVersion(version)
  if (!wanted || wanted.prerelease !== undefined) return false
  return tags
    .map(parseVersion)
    .filter((v): v is Version => v !== undefined && v.prerelease === undefined && v.major === wanted.major)
    .every(v => compare(v, wanted) <= 0)
}

/** The `## [x.y.z] - date` headings of a changelog, newest first. */
export function changelogVersions(changelog: string): { version: string; date: string | undefined }[] {
  return [...changelog.matchAll(/^## \[([^\]]+)\](?: - (\S+))?\s*$/gm)]
    .filter(m => m[1] !== 'Unreleased')
    .map(m => ({ version: m[1]!, date: m[2] }))
}

/**
 * What keeps package.json and CHANGELOG.md in agreement at any commit: package.json's version is
 * the newest section of the changelog, every section is dated and has a link, and [Unreleased]
 * compares from the newest version's tag.
 */
export function agreementProblems(packageVersion: string, changelog: string): string[] {
  const problems: string[] = []
  const sections = changelogVersions(changelog)
  if (!/^## \[Unreleased\]\s*$/m.test(changelog)) problems.push('CHANGELOG.md has no "## [Unreleased]" section')
  if (sections.length === 0) return [...problems, 'CHANGELOG.md has no version section']
  if (sections[0]!.version !== packageVersion) {
    problems.push(
      `package.json has version ${packageVersion}, but the newest section of CHANGELOG.md is ${sections[0]!.version}`
    )
  }
  for (const { version, date } of sections) {
    if (!parseVersion(version)) problems.push(`CHANGELOG.md: "## [${version}]" is not a version such as 1.2.0`)
    if (date === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
      problems.push(`CHANGELOG.md: "## [${version}]" has no date (## [${version}] - YYYY-MM-DD)`)
    }
    const link = new RegExp(
      `^\\[${version.replace(/\./g, '\\.')}\\]: https://\\S+/(releases/tag/v|compare/\\S+\\.\\.\\.v)${version.replace(/\./g, '\\.')}$`,
      'm'
    )
    if (!link.test(changelog)) problems.push(`CHANGELOG.md has no link for [${version}] to its tag v${version}`)
  }
  const unreleased = new RegExp(
    `^\\[Unreleased\\]: https://\\S+/compare/v${sections[0]!.version.replace(/\./g, '\\.')}\\.\\.\\.HEAD$`,
    'm'
  )
  if (!unreleased.test(changelog)) {
    problems.push(`CHANGELOG.md: the [Unreleased] link does not compare v${sections[0]!.version}...HEAD`)
  }
  return problems
}

/** The body of [Unreleased], without link references. */
function unreleasedBody(changelog: string): string {
  const m = /^## \[Unreleased\]\s*$([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(changelog)
  return (m?.[1] ?? '').replace(/^\[[^\]]+\]:\s*\S+\s*$/gm, '').trim()
}

/** Why `version` may not be released from a commit with this package.json and changelog. */
export function releaseProblems(version: string, packageVersion: string, changelog: string): string[] {
  const wanted = parseVersion(version)
  if (!wanted) return [`"${version}" is not a version such as 1.2.0 or v1.2.0`]
  const problems = agreementProblems(packageVersion, changelog)
  if (packageVersion !== wanted.text) {
    problems.unshift(
      `package.json has version ${packageVersion}, not ${wanted.text} (npm version ${wanted.text} --no-git-tag-version)`
    )
  }
  try {
    changelogSection(changelog, wanted.text)
  } catch (e) {
    problems.push((e as Error).message.replace(/^changelog: /, ''))
  }
  if (unreleasedBody(changelog) !== '') {
    problems.push(`CHANGELOG.md: [Unreleased] is not empty; move its entries into the ${wanted.text} section first`)
  }
  return [...new Set(problems)]
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const version = process.argv[2] ?? ''
  const packageVersion = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version
  const problems = releaseProblems(version, packageVersion, readFileSync('CHANGELOG.md', 'utf8'))
  if (problems.length > 0) {
    const prefix = process.env['GITHUB_ACTIONS'] === 'true' ? '::error title=Release::' : 'Release: '
    for (const problem of problems) console.error(`${prefix}${problem}`)
    process.exit(1)
  }
  const tags = process.stdin.isTTY ? [] : readFileSync(0, 'utf8').split('\n').filter(Boolean)
  const parsed = parseVersion(version)!
  process.stdout.write(
    [
      `version=${parsed.text}`,
      `tag=v${parsed.text}`,
      `major=v${parsed.major}`,
      `prerelease=${parsed.prerelease !== undefined}`,
      `move-major=${majorTagMoves(parsed.text, tags)}`
    ].join('\n') + '\n'
  )
}
