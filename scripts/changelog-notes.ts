// Prints the CHANGELOG.md section of one version, the release notes of its GitHub release.
// `node scripts/changelog-notes.ts 1.2.0` (a leading "v" is accepted); fails when the version has
// no section or an empty one, so a release is never published without notes.

import { readFileSync } from 'node:fs'

const SEMVER = /^v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$/

/** The body of `## [version] - date` (or `## version`), without its heading and link references. */
export function changelogSection(changelog: string, version: string): string {
  const match = SEMVER.exec(version.trim())
  if (!match) throw new Error(`changelog: "${version}" is not a version such as 1.2.0 or v1.2.0`)
  const wanted = match[1]!
  const lines = changelog.replace(/\r\n?/g, '\n').split('\n')
  const heading = (line: string): string | undefined => /^## \[?([^\]\s]+)\]?(?:\s|$)/.exec(line)?.[1]
  const start = lines.findIndex(line => heading(line) === wanted)
  if (start < 0) throw new Error(`changelog: CHANGELOG.md has no "## [${wanted}]" section`)
  let end = lines.findIndex((line, i) => i > start && /^## /.test(line))
  if (end < 0) end = lines.length
  const body = lines
    .slice(start + 1, end)
    .filter(line => !/^\[[^\]]+\]:\s*\S+/.test(line)) // link reference definitions at the file's end
    .join('\n')
    .trim()
  if (body === '') throw new Error(`changelog: the "## [${wanted}]" section of CHANGELOG.md is empty`)
  return body
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const version = process.argv[2] ?? ''
  try {
    process.stdout.write(`${changelogSection(readFileSync('CHANGELOG.md', 'utf8'), version)}\n`)
  } catch (e) {
    console.error((e as Error).message)
    process.exit(1)
  }
}
