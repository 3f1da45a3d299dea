// npm run screenshots: the job summaries of the demo's three runs (apply, a clean check, a check
// that finds drift), rendered as GitHub renders them and photographed for the README.
// Runs the bundled action (npm run build first) against the same local sandbox as demo/run.ts:
// BIND 9 primary and secondary on loopback and an OpenLDAP slapd serving LDAPS. Each summary is
// converted with GitHub-flavoured Markdown (marked, gfm), styled like github.com's Markdown and
// shot in Debian's headless chromium (playwright-core). Writes docs/screenshots/*.png.
//
// Run it in a network namespace of its own, so the sandbox's 127.0.12.x servers meet nobody's:
//   unshare --net bash -c 'ip link set lo up; npm run screenshots'

import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { marked } from 'marked'
import { chromium } from 'playwright-core'
import { runAction, type ActionRun } from '../__tests__/helpers/run-action.ts'
import { startDemoSandbox, type DemoSandbox } from '../demo/sandbox.ts'

const ROOT = new URL('../', import.meta.url).pathname
const OUT = join(ROOT, 'docs/screenshots')
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'

/** Close to github.com's Markdown styles (primer/css markdown), light theme, in a summary box. */
const CSS = `
body { margin: 0; background: #f6f8fa; font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans",
  Helvetica, Arial, sans-serif, "Apple Color Emoji", "Segoe UI Emoji"; font-size: 14px; line-height: 1.5; color: #1f2328; }
.box { margin: 16px; background: #fff; border: 1px solid #d0d7de; border-radius: 6px; }
.box > header { padding: 12px 16px; border-bottom: 1px solid #d0d7de; font-weight: 600; font-size: 14px; }
.markdown-body { padding: 16px 24px; overflow-wrap: break-word; }
.markdown-body > *:first-child { margin-top: 0 !important; }
.markdown-body h3 { font-size: 1.25em; font-weight: 600; margin: 24px 0 16px; line-height: 1.25; }
.markdown-body h4 { font-size: 1em; font-weight: 600; margin: 24px 0 16px; line-height: 1.25; }
.markdown-body p, .markdown-body ul, .markdown-body table, .markdown-body details { margin: 0 0 16px; }
.markdown-body ul { padding-left: 2em; }
.markdown-body li + li { margin-top: 0.25em; }
.markdown-body code { padding: 0.2em 0.4em; font-size: 85%; background: rgba(175,184,193,0.2); border-radius: 6px;
  font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; }
.markdown-body table { border-spacing: 0; border-collapse: collapse; display: block; width: max-content; max-width: 100%; overflow: auto; }
.markdown-body th { font-weight: 600; }
.markdown-body th, .markdown-body td { padding: 6px 13px; border: 1px solid #d0d7de; }
.markdown-body tr { background: #fff; border-top: 1px solid #d1d9e0; }
.markdown-body tr:nth-child(2n) { background: #f6f8fa; }
.markdown-body summary { cursor: pointer; }
`

function page(title: string, summaryMarkdown: string): string {
  const html = marked.parse(summaryMarkdown, { gfm: true, async: false })
  return `<!doctype html><html><head><meta charset="utf-8"><style>${CSS}</style></head>
<body><div class="box"><header>${title}</header><div class="markdown-body">${html}</div></div></body></html>`
}

async function main(): Promise<number> {
  if (!existsSync(join(ROOT, 'dist/index.js'))) {
    console.error('dist/index.js is missing: run npm run build first.')
    return 2
  }
  if (!existsSync(CHROMIUM)) {
    console.error(`No chromium at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH.`)
    return 2
  }
  let sandbox: DemoSandbox | undefined
  const runs: [file: string, title: string, run: ActionRun][] = []
  try {
    sandbox = await startDemoSandbox()
    const { inputs } = sandbox
    runs.push(['apply.png', 'ldaps-dns-action · mode apply', await runAction(inputs)])
    runs.push(['check-clean.png', 'ldaps-dns-action · mode check', await runAction({ ...inputs, mode: 'check' })])
    await sandbox.changeBehindItsBack('127.0.12.99')
    runs.push([
      'check-drift.png',
      'ldaps-dns-action · mode check, after a change behind its back',
      await runAction({ ...inputs, mode: 'check' })
    ])
  } finally {
    await sandbox?.stop()
  }

  mkdirSync(OUT, { recursive: true })
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
  try {
    const tab = await browser.newPage({ viewport: { width: 960, height: 600 }, deviceScaleFactor: 1 })
    for (const [file, title, run] of runs) {
      if (run.summary.trim() === '') throw new Error(`${file}: the run wrote no job summary (exit ${run.exitCode})`)
      await tab.setContent(page(title, run.summary), { waitUntil: 'load' })
      await tab.locator('.box').screenshot({ path: join(OUT, file) })
      console.log(`docs/screenshots/${file} (exit code ${run.exitCode})`)
    }
  } finally {
    await browser.close()
  }
  return 0
}

process.exitCode = await main()
