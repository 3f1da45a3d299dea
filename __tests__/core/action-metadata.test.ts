// action.yml must be publishable on the GitHub Marketplace: the rules below are those of GitHub's
// "Metadata syntax for GitHub Actions" reference (description, branding, inputs, outputs, runs).
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { parse } from 'yaml'

interface ActionYml {
  name?: unknown
  description?: unknown
  author?: unknown
  branding?: { icon?: unknown; color?: unknown }
  inputs?: Record<string, { description?: unknown; required?: unknown; default?: unknown } | null>
  outputs?: Record<string, { description?: unknown } | null>
  runs?: { using?: unknown; main?: unknown }
}

const root = new URL('../../', import.meta.url)
const action = parse(readFileSync(new URL('action.yml', root), 'utf8')) as ActionYml

/** branding.color: the values the reference allows. */
const BRANDING_COLORS = ['white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark']

/**
 * branding.icon: the reference's "exhaustive list of all currently supported icons" (Feather
 * v4.28.0 less the omitted ones: coffee, columns, divide*, frown, hexagon, key, meh,
 * mouse-pointer, smile, tool, x-octagon and the brand icons).
 */
const BRANDING_ICONS = `
activity airplay alert-circle alert-octagon alert-triangle align-center align-justify align-left
align-right anchor aperture archive arrow-down-circle arrow-down-left arrow-down-right arrow-down
arrow-left-circle arrow-left arrow-right-circle arrow-right arrow-up-circle arrow-up-left
arrow-up-right arrow-up at-sign award bar-chart-2 bar-chart battery-charging battery bell-off bell
bluetooth bold book-open book bookmark box briefcase calendar camera-off camera cast check-circle
check-square check chevron-down chevron-left chevron-right chevron-up chevrons-down chevrons-left
chevrons-right chevrons-up circle clipboard clock cloud-drizzle cloud-lightning cloud-off cloud-rain
cloud-snow cloud code command compass copy corner-down-left corner-down-right corner-left-down
corner-left-up corner-right-down corner-right-up corner-up-left corner-up-right cpu credit-card crop
crosshair database delete disc dollar-sign download-cloud download droplet edit-2 edit-3 edit
external-link eye-off eye fast-forward feather file-minus file-plus file-text file film filter flag
folder-minus folder-plus folder gift git-branch git-commit git-merge git-pull-request globe grid
hard-drive hash headphones heart help-circle home image inbox info italic layers layout life-buoy
link-2 link list loader lock log-in log-out mail map-pin map maximize-2 maximize menu message-circle
message-square mic-off mic minimize-2 minimize minus-circle minus-square minus monitor moon
more-horizontal more-vertical move music navigation-2 navigation octagon package paperclip
pause-circle pause percent phone-call phone-forwarded phone-incoming phone-missed phone-off
phone-outgoing phone pie-chart play-circle play plus-circle plus-square plus pocket power printer
radio refresh-ccw refresh-cw repeat rewind rotate-ccw rotate-cw rss save scissors search send server
settings share-2 share shield-off shield shopping-bag shopping-cart shuffle sidebar skip-back
skip-forward slash sliders smartphone speaker square star stop-circle sun sunrise sunset table tablet
tag target terminal thermometer thumbs-down thumbs-up toggle-left toggle-right trash-2 trash
trending-down trending-up triangle truck tv type umbrella underline unlock upload-cloud upload
user-check user-minus user-plus user-x user users video-off video voicemail volume-1 volume-2
volume-x volume watch wifi-off wifi wind x-circle x-square x zap-off zap zoom-in zoom-out
`
  .trim()
  .split(/\s+/)

const nonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.trim() !== ''

describe('action.yml is valid for the Marketplace', () => {
  it('has a name and a description shorter than 125 characters', () => {
    assert.ok(nonEmptyString(action.name), 'name is required')
    assert.ok(nonEmptyString(action.description), 'description is required')
    const description = action.description.trim()
    assert.ok(
      description.length < 125,
      `description is ${description.length} characters; the Marketplace takes fewer than 125`
    )
  })

  it('names a real author, not the action itself', () => {
    assert.ok(nonEmptyString(action.author), 'author is required')
    assert.notEqual(action.author.trim().toLowerCase(), 'ldaps-dns-action', 'author is the action name, a placeholder')
  })

  it('has branding with an icon GitHub allows and an allowed colour', () => {
    assert.equal(BRANDING_ICONS.length, 257, 'the embedded icon list is the reference list')
    assert.ok(action.branding, 'branding is required for a Marketplace listing')
    assert.ok(
      typeof action.branding.icon === 'string' && BRANDING_ICONS.includes(action.branding.icon),
      `branding.icon ${String(action.branding.icon)} is not one of the Feather icons GitHub allows`
    )
    assert.ok(
      typeof action.branding.color === 'string' && BRANDING_COLORS.includes(action.branding.color),
      `branding.color ${String(action.branding.color)} is not one of ${BRANDING_COLORS.join(', ')}`
    )
  })

  it('describes every input and output', () => {
    const inputs = Object.entries(action.inputs ?? {})
    const outputs = Object.entries(action.outputs ?? {})
    assert.ok(inputs.length > 0 && outputs.length > 0)
    for (const [name, spec] of inputs) {
      assert.match(name, /^[A-Za-z_][A-Za-z0-9_-]*$/, `input id ${name}`)
      assert.ok(nonEmptyString(spec?.description), `input ${name} has no description`)
      if (spec?.default !== undefined)
        assert.equal(typeof spec.default, 'string', `input ${name}: default must be a string`)
    }
    for (const [name, spec] of outputs) {
      assert.match(name, /^[A-Za-z_][A-Za-z0-9_-]*$/, `output id ${name}`)
      assert.ok(nonEmptyString(spec?.description), `output ${name} has no description`)
    }
  })

  it('runs on node24 from the committed bundle', () => {
    assert.equal(action.runs?.using, 'node24')
    assert.equal(action.runs?.main, 'dist/index.js')
  })
})
