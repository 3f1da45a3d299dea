// Which findings become annotations: GitHub shows at most 10 error, 10 warning and 10 notice
// annotations per step and drops the rest silently, so a run with many findings would lose the
// last ones, the step's failure message among them. Pure: the GitHub adapter emits what this
// returns.

import type { Finding } from './report.ts'

export type AnnotationKind = Finding['severity']

export interface Annotation {
  readonly kind: AnnotationKind
  readonly title: string
  readonly message: string
}

/** GitHub's limit per kind and step. */
export const ANNOTATIONS_PER_KIND = 10

const NOUN: Record<AnnotationKind, [string, string]> = {
  error: ['error', 'errors'],
  warning: ['warning', 'warnings'],
  notice: ['notice', 'notices']
}

/**
 * One titled annotation per finding, at most `limit` of each kind less those `reserved` (the
 * step's failure message is an error annotation too, written after these). When a kind has more
 * findings than room, its last annotation says how many more there are, names them, and points
 * to the job summary, which lists them all.
 */
export function planAnnotations(
  findings: readonly Finding[],
  options: { readonly limit?: number; readonly reserved?: Partial<Record<AnnotationKind, number>> } = {}
): Annotation[] {
  const limit = options.limit ?? ANNOTATIONS_PER_KIND
  const planned: Annotation[] = []
  for (const kind of ['error', 'warning', 'notice'] as const) {
    const ofKind = findings.filter(f => f.severity === kind)
    const room = Math.max(0, limit - (options.reserved?.[kind] ?? 0))
    if (ofKind.length <= room) {
      planned.push(...ofKind.map(f => annotate(f)))
      continue
    }
    if (room === 0) continue
    const shown = ofKind.slice(0, room - 1)
    const rest = ofKind.slice(room - 1)
    planned.push(...shown.map(f => annotate(f)))
    const noun = NOUN[kind][rest.length === 1 ? 0 : 1]
    planned.push({
      kind,
      title: `${rest.length} more ${noun}`,
      message:
        `${rest.length} more ${noun} ${rest.length === 1 ? 'is' : 'are'} not annotated (GitHub shows ${limit} per step): ` +
        `${rest.map(f => f.title || 'untitled').join('; ')}. The job summary lists every one.`
    })
  }
  return planned
}

function annotate(f: Finding): Annotation {
  return { kind: f.severity, title: f.title || 'ldaps-dns-action', message: f.message }
}
