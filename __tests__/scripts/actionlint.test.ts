// scripts/actionlint.js: the workflows in README.md, docs/, examples/ and .github/workflows pass
// actionlint (the real linter, compiled to WebAssembly), and a broken snippet is reported at its
// line in the Markdown file.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
// @ts-expect-error: a plain JavaScript script without type declarations
import { asWorkflow, collectWorkflows, lintWorkflows, yamlBlocks } from '../../scripts/actionlint.js'

const root = new URL('../../', import.meta.url).pathname

describe('actionlint over the shipped and documented workflows', () => {
  it('finds README snippets, examples and the repository workflows, and none has a problem', async () => {
    const files = new Set(collectWorkflows(root).map((w: { file: string }) => w.file))
    for (const file of [
      'README.md',
      'examples/apply-on-push.yml',
      'examples/nightly-drift-check.yml',
      '.github/workflows/release.yml'
    ]) {
      assert.ok(files.has(file), `${file} is linted`)
    }
    const { checked, findings } = await lintWorkflows(root)
    assert.ok(checked >= 10)
    assert.deepEqual(findings, [])
  })

  it('reports a broken README step snippet at its README line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'actionlint-'))
    try {
      mkdirSync(join(dir, 'examples'))
      writeFileSync(
        join(dir, 'README.md'),
        [
          '# t',
          '',
          '```yaml',
          'steps:',
          '  - uses: actions/checkout@v4',
          '    with:',
          '      no-such-input: true',
          '  - run: echo "${{ github.no_such_property }}"',
          '```',
          '',
          '```yaml',
          '- uses: your-org/ldaps-dns-action@v1',
          '  if: ${{ steps.nope.outputs.x }',
          '```',
          ''
        ].join('\n')
      )
      writeFileSync(
        join(dir, 'examples', 'bad.yml'),
        'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: []\n'
      )
      const { findings } = await lintWorkflows(dir)
      const at = findings.map((f: { file: string; line: number }) => `${f.file}:${f.line}`)
      assert.ok(at.includes('README.md:7'), `unknown checkout input at README line 7: ${JSON.stringify(findings)}`)
      assert.ok(at.includes('README.md:8'), `unknown github property at README line 8: ${JSON.stringify(findings)}`)
      assert.ok(at.includes('README.md:13'), `unclosed expression at README line 13: ${JSON.stringify(findings)}`)
      assert.ok(
        at.some((a: string) => a.startsWith('examples/bad.yml:')),
        'an empty steps list is reported'
      )
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('wraps only workflows, jobs and step lists', () => {
    assert.deepEqual(yamlBlocks('a\n```yaml\nx: 1\n```\n  ```yml\n  - run: b\n  ```\n'), [
      { line: 3, text: 'x: 1' },
      { line: 6, text: '- run: b' }
    ])
    assert.equal(asWorkflow('inputs:\n  domain:\n    description: x'), undefined)
    assert.equal(asWorkflow('on: push\njobs: {}').offset, 0)
    assert.equal(asWorkflow('jobs: {}').offset, 1)
    assert.equal(asWorkflow('steps:\n  - run: x').offset, 5)
    assert.equal(asWorkflow('- run: x').offset, 6)
  })

  it('npm run lint:workflows -- <files> lints the files given, relative to where npm was run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'actionlint-cli-'))
    try {
      mkdirSync(join(dir, 'wf'))
      writeFileSync(
        join(dir, 'wf', 'mine.yml'),
        'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.event.issue.title }}"\n'
      )
      writeFileSync(join(dir, 'ok.md'), '# ok\n\n```yaml\n- run: echo ok\n```\n')
      const script = join(root, 'scripts/actionlint.js')
      const lint = (...files: string[]) =>
        spawnSync(process.execPath, [script, ...files], {
          cwd: root, // npm runs the script in the package's folder
          env: { ...process.env, INIT_CWD: dir },
          encoding: 'utf8'
        })
      const bad = lint('wf/mine.yml')
      assert.equal(bad.status, 1, bad.stderr)
      assert.match(bad.stderr, /^wf\/mine\.yml:6:\d+: "github\.event\.issue\.title" is potentially untrusted/m)
      assert.match(bad.stdout, /1 workflows and snippets checked, 1 problem/)
      const good = lint('ok.md')
      assert.equal(good.status, 0, good.stderr)
      assert.match(good.stdout, /1 workflows and snippets checked, 0 problem/)
      const missing = lint('nope.yml')
      assert.equal(missing.status, 2)
      assert.match(missing.stderr, /no such file: nope\.yml/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
