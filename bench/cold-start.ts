// Cold start: wall time of `node dist/index.js` for a run that fails input validation (pure start
// cost) against `node -e 0`, the JavaScript a no-provider run loads, and the size of dist/.

import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runnerInputEnv } from '../__tests__/helpers/run-action.ts'

const ROOT = new URL('../', import.meta.url).pathname

function timeRuns(args: string[], env: Record<string, string>, runs: number): number[] {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint()
    spawnSync(process.execPath, args, { env, stdio: 'ignore' })
    times.push(Number(process.hrtime.bigint() - started) / 1e6)
  }
  return times
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

export interface ColdStartResult {
  readonly runs: number
  readonly bareNodeMs: number
  readonly actionMs: number
  readonly overheadMs: number
  readonly ratio: number
  readonly loadedBytesNoProvider: number
  readonly loadedFilesNoProvider: number
  readonly loadedBytesWithCertificate: number
  readonly loadedFilesWithCertificate: number
  readonly distBytes: number
  readonly distFiles: number
}

export function measureColdStart(runs = 30): ColdStartResult {
  const dir = mkdtempSync(join(tmpdir(), 'bench-cold-'))
  const base = {
    PATH: process.env['PATH'] ?? '',
    HOME: dir,
    GITHUB_OUTPUT: join(dir, 'out'),
    GITHUB_STEP_SUMMARY: join(dir, 'sum')
  }
  const invalid = {
    ...base,
    ...runnerInputEnv({ domain: 'ldaps..contoso100.com', ip: '52.165.38.113', provider: 'none' })
  }
  timeRuns(['-e', '0'], base, 3)
  timeRuns([join(ROOT, 'dist/index.js')], invalid, 3)
  const bareNode = median(timeRuns(['-e', '0'], base, runs))
  const action = median(timeRuns([join(ROOT, 'dist/index.js')], invalid, runs))

  // What a run without a cloud provider loads: provider none, no waiting; once without and once
  // with the certificate check (against a closed port: the check's code loads all the same).
  const loaded = (verify: boolean): { bytes: number; files: number } => {
    const record = join(dir, `loads-${verify}.tsv`)
    spawnSync(process.execPath, ['--import', join(ROOT, 'bench/record-loads.mjs'), join(ROOT, 'dist/index.js')], {
      env: {
        ...base,
        RECORD_LOADS_TO: record,
        ...runnerInputEnv({
          domain: 'ldaps.contoso100.com',
          ip: '52.165.38.113',
          provider: 'none',
          'wait-for-propagation': 'false',
          'verify-certificate': String(verify),
          'connect-to': '127.0.11.99',
          port: '9'
        })
      },
      stdio: 'ignore'
    })
    const loads = readFileSync(record, 'utf8')
      .trim()
      .split('\n')
      .map(line => line.split('\t'))
      .filter(([, path]) => path !== undefined && path.startsWith(join(ROOT, 'dist')))
    return { bytes: loads.reduce((sum, [size]) => sum + Number(size), 0), files: loads.length }
  }
  const bare = loaded(false)
  const withCertificate = loaded(true)
  const distFiles = readdirSync(join(ROOT, 'dist')).filter(f => f.endsWith('.js'))
  return {
    runs,
    bareNodeMs: bareNode,
    actionMs: action,
    overheadMs: action - bareNode,
    ratio: action / bareNode,
    loadedBytesNoProvider: bare.bytes,
    loadedFilesNoProvider: bare.files,
    loadedBytesWithCertificate: withCertificate.bytes,
    loadedFilesWithCertificate: withCertificate.files,
    distBytes: distFiles.reduce((sum, f) => sum + statSync(join(ROOT, 'dist', f)).size, 0),
    distFiles: distFiles.length
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(measureColdStart(), null, 2))
}
