// Rebuilds dist/ and fails when the committed bundle differs from what the sources produce.
import { execFileSync } from 'node:child_process'

execFileSync('npm', ['run', 'build'], { stdio: 'inherit' })
const changed = execFileSync('git', ['status', '--porcelain', '--', 'dist'], { encoding: 'utf8' })
if (changed.trim() !== '') {
  console.error(`dist/ is stale: run "npm run build" and commit the result.\n${changed}`)
  execFileSync('git', ['--no-pager', 'diff', '--stat', '--', 'dist'], { stdio: 'inherit' })
  process.exit(1)
}
console.log('dist/ matches the sources.')
