import path from 'node:path';
import { applyOps, type ApplyOptions } from '../apply/apply.js';
import { toFileOps, type Plan } from '../plan/post-plan.js';
import { findStrayTemps } from '../site/read.js';
import { interimFrontMatterRecord } from '../frontmatter/key-record.js';
import { serializeRenames } from '../state/renames.js';
import type { CollectionPass } from './pass.js';
import { stateFileChanges } from './state-files.js';
import type { CollectionContext } from './types.js';

/**
 * What the apply step did: the paths changed (written or removed), the ones that failed, and whether a stop cut it
 * short.
 */
export interface PassOutcome {
  done: Set<string>;
  failed: { relPath: string; reason: string }[];
  stopped: boolean;
}

/**
 * The content first (images, posts, removals), then the state files from what really is on
 * disk: a post or image that could not be written keeps its old record.
 */
export async function applyPass(ctx: CollectionContext, pass: CollectionPass): Promise<PassOutcome> {
  const { deps, control, config } = ctx;
  // A stop that came while the pass was planned: nothing is touched, not even stray temp files.
  if (control.shouldStop()) return { done: new Set(), failed: [], stopped: true };
  const manifests = [ctx.manifestPath, ...(pass.files ? [ctx.fileManifestPath] : [])];
  const stateDirs = [...new Set([pass.recorded.file, ...manifests].map((f) => path.posix.dirname(f)))];
  const strays = [
    ...pass.index.site.strayTempFiles,
    ...(pass.images?.strays ?? []),
    ...(pass.files?.strays ?? []),
    ...(await findStrayTemps(config.siteDir, stateDirs)),
  ];
  const options: ApplyOptions = {
    ...(deps.fs ? { fs: deps.fs } : {}),
    shouldStop: control.shouldStop,
    logger: ctx.log,
  };
  const interim = pass.imagePlan.interimManifestText;
  const fileInterim = pass.filePlan.interimManifestText;
  const journal = renamesJournal(pass.postPlan, pass.index.renames.file);
  const { record } = pass.stateInputs;
  const interimRecord = interimFrontMatterRecord(record.before, record.current);
  const interimFiles = [
    ...(interim === undefined ? [] : [{ relPath: ctx.manifestPath, text: interim }]),
    ...(fileInterim === undefined ? [] : [{ relPath: ctx.fileManifestPath, text: fileInterim }]),
    ...(journal === undefined ? [] : [journal]),
    ...(interimRecord === undefined ? [] : [{ relPath: record.file, text: interimRecord }]),
  ];
  const downloads = [...pass.imagePlan.changes, ...pass.filePlan.changes];
  const contentOps = toFileOps(pass.postPlan.changes, downloads, [], interimFiles);
  const content = await applyOps(config.siteDir, contentOps, { ...options, strayTempFiles: strays });
  const missed = new Set(content.failed.map((f) => f.relPath));
  const wrote = (file: string, text: string | undefined) => text !== undefined && content.written.includes(file);
  const stateInputs = {
    ...pass.stateInputs,
    ...(wrote(ctx.manifestPath, interim) ? { manifestOnDisk: interim } : {}),
    ...(wrote(record.file, interimRecord) ? { recordOnDisk: interimRecord } : {}),
    ...(pass.stateInputs.fileManifest && wrote(ctx.fileManifestPath, fileInterim)
      ? { fileManifest: { ...pass.stateInputs.fileManifest, onDisk: fileInterim } }
      : {}),
  };
  const stateOps = stateFileChanges(stateInputs, missed).map((f) => ({ relPath: f.relPath, text: f.after ?? '' }));
  const state = content.stopped
    ? { written: [], deleted: [], failed: [], stopped: true }
    : await applyOps(config.siteDir, toFileOps([], [], stateOps), options);
  const failed = [...content.failed, ...state.failed];
  const stopped = content.stopped || state.stopped;
  const journalDone = await removeJournal(ctx, pass, { written: journal !== undefined, stopped, failed }, options);
  // Told once, in the summary; here only for a debug trace.
  for (const f of failed) ctx.log.debug({ file: f.relPath }, `cannot write: ${f.reason}`);
  return {
    done: new Set([...content.written, ...content.deleted, ...state.written, ...state.deleted]),
    failed: [...failed, ...journalDone.failed],
    stopped,
  };
}

/** The journal of the plan's renames (state/renames.ts), written before the first post moves; none without renames. */
function renamesJournal(plan: Plan, file: string): { relPath: string; text: string } | undefined {
  const renames = new Map<string, string>();
  for (const c of plan.changes) if (c.kind === 'update' && c.renamedFrom) renames.set(c.id, c.renamedFrom);
  return renames.size === 0 ? undefined : { relPath: file, text: serializeRenames(renames) };
}

/**
 * The journal goes once the pass is through: its renames are made, or the next pass plans them
 * anew from the files. It stays after a stop, and while an old name a rename was leaving is
 * still there (its removal failed), so the next pass still knows that file for the tool's.
 */
async function removeJournal(
  ctx: CollectionContext,
  pass: CollectionPass,
  run: { written: boolean; stopped: boolean; failed: readonly { relPath: string }[] },
  options: ApplyOptions,
): Promise<{ failed: { relPath: string; reason: string }[] }> {
  const { file, text } = pass.index.renames;
  if (run.stopped || (!run.written && text === undefined)) return { failed: [] };
  const failed = new Set(run.failed.map((f) => f.relPath));
  const leaving = pass.postPlan.changes.some((c) => c.kind === 'update' && c.renamedFrom && failed.has(c.renamedFrom));
  if (leaving) return { failed: [] };
  const removed = await applyOps(ctx.config.siteDir, [{ phase: 0, op: 'delete', relPath: file }], options);
  return { failed: removed.failed };
}

/** A dry run writes nothing; its summary counts every planned change as made. */
export function dryRunOutcome(pass: CollectionPass): PassOutcome {
  const done = new Set<string>();
  for (const change of pass.postPlan.changes) {
    done.add(change.relPath);
    if (change.kind === 'update' && change.renamedFrom) done.add(change.renamedFrom);
  }
  for (const change of [...pass.imagePlan.changes, ...pass.filePlan.changes]) {
    done.add(change.relPath);
    if (change.kind === 'move') done.add(change.from);
  }
  for (const file of pass.stateFiles) done.add(file.relPath);
  return { done, failed: [], stopped: false };
}
