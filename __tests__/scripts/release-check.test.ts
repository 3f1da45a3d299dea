// The release workflow releases a version only when package.json, CHANGELOG.md and the tag agree
// (scripts/release-check.ts, also run here against the repository itself), moves the major tag
// only forward, and keeps write access away from any code of the repository or its dependencies.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { parse } from 'yaml'
import { agreementProblems, majorTagMoves, releaseProblems } from '../../scripts/release-check.ts'

const root = new URL('../../', import.meta.url)
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8')

const LINKS = `[Unreleased]: https://github.com/your-org/ldaps-dns-action/compare/v1.2.0...HEAD
[1.2.0]: https://github.com/your-org/ldaps-dns-action/compare/v1.1.0...v1.2.0
[1.1.0]: https://github.com/your-org/ldaps-dns-action/releases/tag/v1.1.0
`
const CHANGELOG = `# Changelog

## [Unreleased]

## [1.2.0] - 2027-02-01

- A new input.

## [1.1.0] - 2027-01-10

- First.

${LINKS}`

describe('majorTagMoves: the major tag moves only forward', () => {
  const tags = ['v1.1.0', 'v1.2.0', 'v1.3.0-rc.1', 'v2.0.0', 'v1', 'latest']
  it('moves to a newer release of its major, and again on a re-run of the newest', () => {
    assert.equal(majorTagMoves('1.2.1', tags), true)
    assert.equal(majorTagMoves('1.3.0', tags), true)
    assert.equal(majorTagMoves('1.2.0', tags), true)
    assert.equal(majorTagMoves('3.0.0', tags), true)
  })
  it('stays for a backport (v1.1.1 after v1.2.0) and for a prerelease', () => {
    assert.equal(majorTagMoves('1.1.1', tags), false)
    assert.equal(majorTagMoves('v1.1.1', tags), false)
    assert.equal(majorTagMoves('1.4.0-rc.1', tags), false)
    assert.equal(majorTagMoves('1.10.0', [...tags, 'v1.9.0']), true, 'numeric, not text order')
    assert.equal(majorTagMoves('1.9.0', [...tags, 'v1.10.0']), false)
  })
})

describe('releaseProblems and agreementProblems', () => {
  it('accept a version whose package.json, dated section and links agree', () => {
    assert.deepEqual(releaseProblems('v1.2.0', '1.2.0', CHANGELOG), [])
    assert.deepEqual(agreementProblems('1.2.0', CHANGELOG), [])
  })
  it('name each disagreement', () => {
    assert.match(
      releaseProblems('1.3.0', '1.2.0', CHANGELOG).join('\n'),
      /package.json has version 1\.2\.0, not 1\.3\.0/
    )
    assert.match(releaseProblems('1.3.0', '1.2.0', CHANGELOG).join('\n'), /has no "## \[1\.3\.0\]" section/)
    assert.match(agreementProblems('1.1.0', CHANGELOG).join('\n'), /newest section of CHANGELOG.md is 1\.2\.0/)
    const undated = CHANGELOG.replace('## [1.2.0] - 2027-02-01', '## [1.2.0]')
    assert.match(agreementProblems('1.2.0', undated).join('\n'), /"## \[1\.2\.0\]" has no date/)
    const unlinked = CHANGELOG.replace(/^\[1\.2\.0\]:.*\n/m, '')
    assert.match(agreementProblems('1.2.0', unlinked).join('\n'), /no link for \[1\.2\.0\]/)
    const staleLink = CHANGELOG.replace('compare/v1.2.0...HEAD', 'compare/v1.1.0...HEAD')
    assert.match(
      agreementProblems('1.2.0', staleLink).join('\n'),
      /\[Unreleased\] link does not compare v1\.2\.0\.\.\.HEAD/
    )
    assert.deepEqual(releaseProblems('1.2', '1.2.0', CHANGELOG), ['"1.2" is not a version such as 1.2.0 or v1.2.0'])
  })
  it('refuse a release while [Unreleased] holds entries', () => {
    const pending = CHANGELOG.replace('## [Unreleased]\n', '## [Unreleased]\n\n### Fixed\n\n- Not in 1.2.0.\n')
    assert.deepEqual(agreementProblems('1.2.0', pending), [])
    assert.match(releaseProblems('1.2.0', '1.2.0', pending).join('\n'), /\[Unreleased\] is not empty/)
  })
  it('the repository: package.json and CHANGELOG.md agree', () => {
    const { version } = JSON.parse(read('package.json')) as { version: string }
    assert.deepEqual(agreementProblems(version, read('CHANGELOG.md')), [])
    const lock = JSON.parse(read('package-lock.json')) as {
      version: string
      packages: Record<string, { version: string }>
    }
    assert.equal(lock.version, version, 'package-lock.json carries the same version')
    assert.equal(lock.packages['']!.version, version)
  })
})

describe('scripts/release-check.ts as the workflow runs it', () => {
  const run = (version: string, tags: string, files: { pkg: string; changelog: string }) => {
    const dir = mkdtempSync(join(tmpdir(), 'release-check-'))
    try {
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ version: files.pkg }))
      writeFileSync(join(dir, 'CHANGELOG.md'), files.changelog)
      const script = new URL('scripts/release-check.ts', root).pathname
      return spawnSync(process.execPath, [script, version], { cwd: dir, input: tags, encoding: 'utf8', env: {} })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
  it('prints the outputs, move-major=false for a backport', () => {
    const out = run('v1.2.0', 'v1.1.0\nv1.2.0\n', { pkg: '1.2.0', changelog: CHANGELOG })
    assert.equal(out.status, 0, out.stderr)
    assert.equal(out.stdout, 'version=1.2.0\ntag=v1.2.0\nmajor=v1\nprerelease=false\nmove-major=true\n')
    const backport = CHANGELOG.replace('## [1.2.0]', '## [1.1.1] - 2027-03-01\n\n- Fix.\n\n## [1.2.0]')
      .replace('[1.2.0]: ', '[1.1.1]: https://github.com/your-org/ldaps-dns-action/compare/v1.1.0...v1.1.1\n[1.2.0]: ')
      .replace('compare/v1.2.0...HEAD', 'compare/v1.1.1...HEAD')
    const old = run('1.1.1', 'v1.1.0\nv1.2.0\nv1\n', { pkg: '1.1.1', changelog: backport })
    assert.equal(old.status, 0, old.stderr)
    assert.match(old.stdout, /^move-major=false$/m)
  })
  it('exits 1 with the problems and prints no outputs', () => {
    const out = run('1.3.0', '', { pkg: '1.2.0', changelog: CHANGELOG })
    assert.equal(out.status, 1)
    assert.equal(out.stdout, '')
    assert.match(out.stderr, /^Release: package.json has version 1\.2\.0, not 1\.3\.0/m)
  })
})

interface Job {
  permissions?: Record<string, string>
  steps: { uses?: string; run?: string }[]
}

describe('the workflows of the repository', () => {
  const dir = new URL('.github/workflows/', root)
  const workflows = readdirSync(dir)
    .filter(n => /\.ya?ml$/.test(n))
    .map(n => ({ name: n, text: readFileSync(new URL(n, dir), 'utf8') }))
  const release = parse(read('.github/workflows/release.yml')) as {
    on: { push: { tags: string[] } }
    permissions: Record<string, string>
    jobs: Record<string, Job>
  }

  it('pin every action by commit SHA, with its version in a comment', () => {
    for (const { name, text } of workflows) {
      for (const m of text.matchAll(/^\s*(?:-\s+)?uses:\s*(.*)$/gm)) {
        assert.match(m[1]!, /^[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+){0,2}$/, `${name}: uses: ${m[1]}`)
      }
    }
  })

  it('release: tags the version check accepts, run through release-check.ts and changelog-notes.ts', () => {
    assert.deepEqual(release.on.push.tags, ['v*.*.*'])
    const verify = release.jobs['verify']!.steps.map(s => s.run ?? '').join('\n')
    assert.match(verify, /git tag --list 'v\*' \| node scripts\/release-check\.ts "\$REQUESTED"/)
    assert.match(verify, /node scripts\/changelog-notes\.ts "\$VERSION"/)
    assert.match(verify, /git merge-base --is-ancestor "\$GITHUB_SHA" "origin\/\$DEFAULT_BRANCH"/)
  })

  it('release: only a job that installs and runs nothing of the repository may write', () => {
    assert.deepEqual(release.permissions, {}, 'nothing granted workflow-wide')
    const writers = Object.entries(release.jobs).filter(([, job]) =>
      Object.values(job.permissions ?? {}).includes('write')
    )
    assert.deepEqual(
      writers.map(([name]) => name),
      ['publish']
    )
    for (const [name, job] of writers) {
      for (const step of job.steps) {
        assert.doesNotMatch(step.uses ?? '', /actions\/(checkout|setup-node)@/, `${name}: ${step.uses}`)
        assert.doesNotMatch(step.run ?? '', /\b(npm|npx|node)\b/, `${name} runs no npm, npx or node`)
      }
    }
  })

  it('release: every permission a job holds is used by it', () => {
    const evidence: Record<string, RegExp> = {
      'contents:read': /actions\/checkout@/,
      'contents:write': /git\/refs|gh release create/,
      'checks:read': /\/check-runs/
    }
    for (const [name, job] of Object.entries(release.jobs)) {
      const text = job.steps.map(s => `${s.uses ?? ''}\n${s.run ?? ''}`).join('\n')
      for (const [scope, level] of Object.entries(job.permissions ?? {})) {
        const used = evidence[`${scope}:${level}`]
        assert.ok(used, `${name}: ${scope}: ${level} is a permission this test does not know`)
        assert.match(text, used, `${name}: ${scope}: ${level} is not used`)
      }
    }
  })
})
