// Runs the bundled action (dist/index.js) as a GitHub runner does: every input as an INPUT_*
// variable with action.yml's defaults applied, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, and
// the outputs parsed back from the file-command format.

import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'

const ROOT = new URL('../../', import.meta.url).pathname
const actionYml = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>
}

export interface ActionRun {
  readonly exitCode: number
  readonly stdout: string
  readonly stderr: string
  readonly outputs: Record<string, string>
  readonly summary: string
  /** The parsed `report` output, when the run set it. */
  readonly report: any
}

/** Input values as the runner passes them: action.yml defaults overlaid with `inputs`. */
export function runnerInputEnv(inputs: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [name, spec] of Object.entries(actionYml.inputs)) {
    let value = spec.default ?? ''
    if (value.includes('${{')) value = name === 'github-token' ? 'ghs_testtokennotreal0000000000000000' : ''
    env[`INPUT_${name.toUpperCase()}`] = value
  }
  for (const [name, value] of Object.entries(inputs)) {
    if (!(name in actionYml.inputs)) throw new Error(`test passes unknown input ${name}`)
    env[`INPUT_${name.toUpperCase()}`] = value
  }
  return env
}

export async function runAction(
  inputs: Record<string, string>,
  options: { env?: Record<string, string>; timeoutMs?: number } = {}
): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'ldaps-dns-action-'))
  const outputFile = join(dir, 'output')
  const summaryFile = join(dir, 'summary')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? dir,
    RUNNER_TEMP: dir,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_REPOSITORY: 'octo-org/ldaps-infra',
    GITHUB_RUN_ID: '4242',
    GITHUB_SERVER_URL: 'https://github.com',
    ...runnerInputEnv(inputs),
    ...options.env,
    // The loopback guard rides along into the action (see loopback-only.mjs).
    NODE_OPTIONS: [`--import=${join(ROOT, '__tests__/helpers/loopback-only.mjs')}`, options.env?.['NODE_OPTIONS']]
      .filter(Boolean)
      .join(' '),
    LOOPBACK_GUARD_LOG: options.env?.['LOOPBACK_GUARD_LOG'] ?? process.env['LOOPBACK_GUARD_LOG'] ?? ''
  }
  const child = spawn(process.execPath, [join(ROOT, 'dist/index.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 90_000)
  const exitCode = await new Promise<number>(resolve => child.on('close', code => resolve(code ?? -1)))
  clearTimeout(timer)
  const outputs = parseFileCommand(readFileSync(outputFile, 'utf8'))
  const report = outputs['report'] === undefined ? undefined : JSON.parse(outputs['report'])
  return { exitCode, stdout, stderr, outputs, summary: readFileSync(summaryFile, 'utf8'), report }
}

/** Parses `name<<DELIM\nvalue\nDELIM` blocks as @actions/core writes them. */
export function parseFileCommand(text: string): Record<string, string> {
  const result: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<]+)<<(.+)$/.exec(lines[i]!)
    if (!m) continue
    const [, name, delimiter] = m
    const value: string[] = []
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]!)
    result[name!] = value.join('\n')
  }
  return result
}

/** The messages of the run's error findings, one a line: what the run failed on. */
export function errorMessages(run: ActionRun): string {
  return (run.report?.findings ?? [])
    .filter((f: any) => f.severity === 'error')
    .map((f: any) => f.message)
    .join('\n')
}
