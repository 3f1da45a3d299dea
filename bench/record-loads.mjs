// Preloaded with --import by the cold-start benchmark: records every JavaScript file the action
// loads and, at exit, writes their paths and sizes to the file named by RECORD_LOADS_TO.
import { registerHooks } from 'node:module'
import { appendFileSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const target = process.env.RECORD_LOADS_TO
const seen = new Set()
registerHooks({
  load(url, context, nextLoad) {
    if (url.startsWith('file:') && !seen.has(url)) {
      seen.add(url)
      const path = fileURLToPath(url)
      if (target) appendFileSync(target, `${statSync(path).size}\t${path}\n`)
    }
    return nextLoad(url, context)
  }
})
