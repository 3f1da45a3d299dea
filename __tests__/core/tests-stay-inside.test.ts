// Tests run wherever the repository is cloned (GitHub's CI included), so no test, helper, bench
// or script reads a file outside the repository: every path literal resolved against
// import.meta.url stays inside it, and none names a folder that only exists beside the checkout.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { relative } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../', import.meta.url))

function sources(dir: string): string[] {
  return readdirSync(`${root}${dir}`).flatMap(name => {
    const path = `${dir}/${name}`
    if (name === 'node_modules') return []
    if (statSync(`${root}${path}`).isDirectory()) return sources(path)
    return /\.(ts|js|mjs|cjs|sh)$/.test(name) ? [path] : []
  })
}

/** Problems of one source file: paths that leave the repository. */
export function outsidePaths(file: string, text: string): string[] {
  const problems: string[] = []
  for (const m of text.matchAll(/new URL\(\s*(['"`])([^'"`$]*)\1\s*,\s*import\.meta\.url\s*\)/g)) {
    const target = fileURLToPath(new URL(m[2]!, new URL(file, `file://${root}`)))
    const rel = relative(root, target)
    if (rel.startsWith('..')) problems.push(`${file}: new URL('${m[2]}', import.meta.url) is outside the repository`)
  }
  for (const m of text.matchAll(/(?:\.\.\/)+shared\/|['"`]\/work\/[^'"`]*/g)) {
    problems.push(`${file}: "${m[0]}" is outside the repository`)
  }
  return problems
}

describe('tests read nothing outside the repository', () => {
  it('finds a path outside the repository in a sample', () => {
    assert.deepEqual(outsidePaths('bench/limbo.ts', "new URL('../../shared/limbo/cases.json', import.meta.url)"), [
      "bench/limbo.ts: new URL('../../shared/limbo/cases.json', import.meta.url) is outside the repository",
      'bench/limbo.ts: "../../shared/" is outside the repository'
    ])
    assert.deepEqual(outsidePaths('__tests__/a/b.ts', "readFileSync('/work/shared/x.json')").length, 1)
    assert.deepEqual(outsidePaths('__tests__/a/b.ts', "new URL('../../dist/index.js', import.meta.url)"), [])
  })

  it('no file of __tests__, bench, demo or scripts does it', () => {
    const self = '__tests__/core/tests-stay-inside.test.ts' // its samples above are the exception
    const files = ['__tests__', 'bench', 'demo', 'scripts'].flatMap(sources).filter(f => f !== self)
    assert.ok(files.includes('__tests__/limbo/limbo.test.ts') && files.includes('bench/limbo.ts'))
    const problems = files.flatMap(file => outsidePaths(file, readFileSync(`${root}${file}`, 'utf8')))
    assert.deepEqual(problems, [])
  })
})
