// Runs ESLint from its own toolchain folder (tools/eslint), installing it on first use, then
// actionlint over the workflows (scripts/actionlint.js) when no files are named.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

if (!existsSync('tools/eslint/node_modules/.bin/eslint')) {
  execFileSync('npm', ['ci', '--prefix', 'tools/eslint', '--no-audit', '--no-fund'], { stdio: 'inherit' })
}
const eslint = spawnSync(
  'tools/eslint/node_modules/.bin/eslint',
  ['--config', 'tools/eslint/eslint.config.js', '--max-warnings', '0', ...process.argv.slice(2)],
  { stdio: 'inherit' }
)
if (eslint.status !== 0 || process.argv.length > 2) process.exit(eslint.status ?? 1)
// Then the workflows: README and docs snippets, examples/, .github/workflows (actionlint, offline).
const actionlint = spawnSync(process.execPath, ['scripts/actionlint.js'], { stdio: 'inherit' })
process.exit(actionlint.status ?? 1)
