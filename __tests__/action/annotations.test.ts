// The annotation cap through the bundle (dist/index.js; npm run build first): a run with every
// input set to "x" has more problems than GitHub shows annotations for (10 errors per step). (Not
// every input empty: an empty input takes its default, and only domain and ip are required.) The
// failure message must survive, every annotation must be titled, and the last finding
// annotation must say how many more the job summary lists.

import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { parse } from 'yaml'
import { runAction } from '../helpers/run-action.ts'

const inputs = Object.keys(
  (parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as { inputs: Record<string, unknown> })
    .inputs
)

describe('annotations through the bundle', () => {
  it('every input "x": at most 10 errors, all titled, the failure message last, the count before it', async () => {
    const run = await runAction(Object.fromEntries(inputs.map(name => [name, 'x'])))
    assert.equal(run.exitCode, 1, run.stdout + run.stderr)
    const annotations = run.stdout.split('\n').filter(l => /^::(error|warning|notice)/.test(l))
    const errors = annotations.filter(l => l.startsWith('::error'))
    const problems = run.report.findings.filter((f: { severity: string }) => f.severity === 'error').length
    assert.ok(problems + 1 > 10, `the test needs more problems than room, got ${problems}`)
    assert.ok(errors.length <= 10, `${errors.length} error annotations:\n${errors.join('\n')}`)
    for (const kind of ['warning', 'notice']) {
      assert.ok(annotations.filter(l => l.startsWith(`::${kind}`)).length <= 10, kind)
    }
    for (const line of annotations) assert.match(line, /^::(error|warning|notice) title=[^:,]+[^:]*::./, line)

    // The failure message is the last error and names every problem.
    const failure = errors.at(-1)!
    assert.match(failure, new RegExp(`::${problems} problems: Invalid input `))
    // The one before it stands for the rest: how many, and where to find them.
    const shown = errors.length - 2
    const more = problems - shown
    assert.match(errors.at(-2)!, new RegExp(`^::error title=${more} more errors::${more} more errors .*job summary`))
    // The summary lists them all, and its heading is not an empty code span.
    assert.equal((run.summary.match(/^- ❌ \*\*Invalid input /gm) ?? []).length, problems)
    const heading = run.summary.split('\n')[0]!
    assert.match(heading, new RegExp(`^### ❌ ${problems} invalid inputs: `))
    assert.doesNotMatch(heading, /` `|``/)
  })
})
