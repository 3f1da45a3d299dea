// planAnnotations: within GitHub's 10 annotations per kind and step, every one titled, the last
// of a kind saying how many more the job summary has, and room kept for the failure message.

import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { planAnnotations } from '../../src/core/annotations.ts'
import type { Finding } from '../../src/core/report.ts'

const findings = (severity: Finding['severity'], n: number): Finding[] =>
  Array.from({ length: n }, (_, i) => ({
    severity,
    step: 'inputs',
    code: 'input-warning',
    title: `${severity} ${i + 1}`,
    message: `m${i + 1}`
  }))

const count = (plan: ReturnType<typeof planAnnotations>, kind: Finding['severity']): number =>
  plan.filter(a => a.kind === kind).length

describe('planAnnotations', () => {
  const cases: [
    string,
    Finding[],
    Partial<Record<Finding['severity'], number>>,
    { error: number; warning: number; notice: number; more?: string }
  ][] = [
    ['nothing', [], {}, { error: 0, warning: 0, notice: 0 }],
    ['9 errors and 1 reserved fit exactly', findings('error', 9), { error: 1 }, { error: 9, warning: 0, notice: 0 }],
    [
      '10 errors and 1 reserved: 8 shown, the 9th says 2 more',
      findings('error', 10),
      { error: 1 },
      { error: 9, warning: 0, notice: 0, more: '2 more errors' }
    ],
    [
      '13 errors, 1 reserved: 8 shown, 5 more',
      findings('error', 13),
      { error: 1 },
      { error: 9, warning: 0, notice: 0, more: '5 more errors' }
    ],
    [
      '12 warnings: 9 shown, 3 more',
      findings('warning', 12),
      {},
      { error: 0, warning: 10, notice: 0, more: '3 more warnings' }
    ],
    [
      '11 notices beside 2 errors: kinds are counted apart',
      [...findings('notice', 11), ...findings('error', 2)],
      { error: 1 },
      { error: 2, warning: 0, notice: 10, more: '2 more notices' }
    ],
    [
      'a warning already written takes room',
      findings('warning', 10),
      { warning: 1 },
      { error: 0, warning: 9, notice: 0, more: '2 more warnings' }
    ],
    ['no room at all: nothing of that kind', findings('error', 3), { error: 10 }, { error: 0, warning: 0, notice: 0 }],
    [
      'room for one: only the count',
      findings('error', 3),
      { error: 9 },
      { error: 1, warning: 0, notice: 0, more: '3 more errors' }
    ]
  ]
  for (const [name, input, reserved, want] of cases) {
    it(name, () => {
      const plan = planAnnotations(input, { reserved })
      assert.equal(count(plan, 'error'), want.error)
      assert.equal(count(plan, 'warning'), want.warning)
      assert.equal(count(plan, 'notice'), want.notice)
      for (const a of plan) assert.ok(a.title.length > 0, `untitled: ${JSON.stringify(a)}`)
      const summarised = plan.filter(a => / more /.test(a.title))
      if (want.more === undefined) assert.equal(summarised.length, 0)
      else {
        assert.equal(summarised.length, 1)
        const [last] = summarised
        assert.equal(last!.title, want.more)
        assert.match(last!.message, /job summary/)
        // It is the last of its kind, and the findings it stands for are named in it.
        assert.equal(plan.filter(a => a.kind === last!.kind).at(-1), last)
      }
    })
  }

  it('keeps the findings in order and names the ones left out', () => {
    const plan = planAnnotations(findings('error', 12), { reserved: { error: 1 } })
    assert.deepEqual(
      plan.slice(0, 8).map(a => a.title),
      Array.from({ length: 8 }, (_, i) => `error ${i + 1}`)
    )
    assert.match(plan[8]!.message, /^4 more errors .*: error 9; error 10; error 11; error 12\. The job summary/)
  })

  it('gives an untitled finding a title', () => {
    const [a] = planAnnotations([
      { severity: 'warning', step: 'inputs', code: 'input-warning', title: '', message: 'x' }
    ])
    assert.equal(a!.title, 'ldaps-dns-action')
  })
})
