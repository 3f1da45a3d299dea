// The release notes come from CHANGELOG.md through scripts/changelog-notes.ts.
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { changelogSection } from '../../scripts/changelog-notes.ts'

const root = new URL('../../', import.meta.url)

const SAMPLE = `# Changelog

## [Unreleased]

### Fixed

- Something not released yet.

## [1.1.0] - 2027-02-01

### Added

- A new input.

## [1.0.1-rc.1] - 2027-01-15

- A candidate.

## [1.0.0] - 2027-01-10

- First.

[Unreleased]: https://github.com/your-org/ldaps-dns-action/compare/v1.1.0...HEAD
[1.1.0]: https://github.com/your-org/ldaps-dns-action/compare/v1.0.0...v1.1.0
[1.0.0]: https://github.com/your-org/ldaps-dns-action/releases/tag/v1.0.0
`

describe('changelogSection', () => {
  it('returns the body of one version, without the heading or the next section', () => {
    assert.equal(changelogSection(SAMPLE, '1.1.0'), '### Added\n\n- A new input.')
    assert.equal(changelogSection(SAMPLE, 'v1.1.0'), '### Added\n\n- A new input.')
    assert.equal(changelogSection(SAMPLE, 'v1.0.1-rc.1'), '- A candidate.')
  })

  it('leaves out the link references after the last section', () => {
    assert.equal(changelogSection(SAMPLE, '1.0.0'), '- First.')
  })

  it('does not take 1.0.0 for 1.0.0-rc.1 or 11.0.0 and handles CRLF', () => {
    const text = '## [1.0.0-rc.1]\n\n- rc\n\n## [11.0.0]\n\n- eleven\n'
    assert.throws(() => changelogSection(text, '1.0.0'), /has no "## \[1\.0\.0\]" section/)
    assert.equal(changelogSection(SAMPLE.replace(/\n/g, '\r\n'), '1.1.0'), '### Added\n\n- A new input.')
  })

  it('refuses a missing version, an empty section and a malformed version', () => {
    assert.throws(
      () => changelogSection(SAMPLE, '2.0.0'),
      /^Error: changelog: CHANGELOG.md has no "## \[2\.0\.0\]" section$/
    )
    assert.throws(
      () => changelogSection('## [1.2.0]\n\n## [1.1.0]\n- x\n', '1.2.0'),
      /section of CHANGELOG.md is empty/
    )
    assert.throws(() => changelogSection(SAMPLE, 'v1'), /is not a version such as 1\.2\.0/)
    assert.throws(() => changelogSection(SAMPLE, 'Unreleased'), /is not a version/)
  })

  it('the real CHANGELOG.md has an Unreleased section and a 1.0.0 entry', () => {
    const changelog = readFileSync(new URL('CHANGELOG.md', root), 'utf8')
    assert.match(changelog, /^## \[Unreleased\]$/m, 'Keep a Changelog: an Unreleased section')
    assert.match(changelogSection(changelog, '1.0.0'), /^The first release\./)
  })

  it('prints the notes as a command and exits 1 with a message for a missing version', () => {
    const cwd = new URL('.', root).pathname
    const out = execFileSync(process.execPath, ['scripts/changelog-notes.ts', 'v1.0.0'], { cwd, encoding: 'utf8' })
    assert.match(out, /^The first release\./)
    const missing = spawnSync(process.execPath, ['scripts/changelog-notes.ts', 'v9.9.9'], { cwd, encoding: 'utf8' })
    assert.equal(missing.status, 1)
    assert.equal(missing.stdout, '')
    assert.match(missing.stderr, /CHANGELOG.md has no "## \[9\.9\.9\]" section/)
  })
})
