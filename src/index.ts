// Entry point of the bundle; all behaviour is in run(), so tools such as @github/local-action can
// run the action from source.
import { run } from './main.ts'

await run()
