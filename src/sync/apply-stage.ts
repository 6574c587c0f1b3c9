import path from 'node:path';
import { applyOps, type ApplyOptions } from '../apply/apply.js';
import type { WriteFs } from '../fs/atomic-write.js';
import { interimFrontMatterRecord } from '../frontmatter/key-record.js';
import type { Logger } from '../log.js';
import { toFileOps, type Plan } from '../plan/post-plan.js';
import { findStrayTemps } from '../site/read.js';
import { serializeRenames } from '../state/renames.js';
import type { PassOutcome } from '../summary.js';
import type { PassPlan } from './stage-results.js';
import { stateFileChanges } from './state-files.js';

/** Where and how the apply step writes. */
export interface ApplySettings {
  siteDir: string;
  /** Asked between file writes: a stop request. */
  shouldStop: () => boolean;
  log: Logger;
  /** The file system calls of writes (default: node:fs). */
  fs?: WriteFs | undefined;
}

/**
 * The content first (images, posts, removals), then the state files from what really is on
 * disk: a post or image that could not be written keeps its old record.
 */
export async function applyPass(settings: ApplySettings, pass: PassPlan): Promise<PassOutcome> {
  // A stop that came while the pass was planned: nothing is touched, not even stray temp files.
  if (settings.shouldStop()) return { done: new Set(), failed: [], stopped: true };
  const { stateInputs } = pass;
  const { record } = stateInputs;
  const manifests = [stateInputs.manifestPath, ...(stateInputs.fileManifest ? [stateInputs.fileManifest.path] : [])];
  const stateDirs = [...new Set([stateInputs.recorded.file, ...manifests].map((f) => path.posix.dirname(f)))];
  // Besides those the read stage found: temp files an interrupted run left beside the state files.
  const strays = [...pass.strays, ...(await findStrayTemps(settings.siteDir, stateDirs))];
  const options: ApplyOptions = {
    ...(settings.fs ? { fs: settings.fs } : {}),
    shouldStop: settings.shouldStop,
    logger: settings.log,
  };
  const interim = pass.imagePlan.interimManifestText;
  const fileInterim = pass.filePlan.interimManifestText;
  const fileManifestPath = stateInputs.fileManifest?.path ?? '';
  const journal = renamesJournal(pass.postPlan, pass.journal.file);
  const interimRecord = interimFrontMatterRecord(record.before, record.current);
  const interimFiles = [
    ...(interim === undefined ? [] : [{ relPath: stateInputs.manifestPath, text: interim }]),
    ...(fileInterim === undefined ? [] : [{ relPath: fileManifestPath, text: fileInterim }]),
    ...(journal === undefined ? [] : [journal]),
    ...(interimRecord === undefined ? [] : [{ relPath: record.file, text: interimRecord }]),
  ];
  const downloads = [...pass.imagePlan.changes, ...pass.filePlan.changes];
  const contentOps = toFileOps(pass.postPlan.changes, downloads, [], interimFiles);
  const content = await applyOps(settings.siteDir, contentOps, { ...options, strayTempFiles: strays });
  const missed = new Set(content.failed.map((f) => f.relPath));
  const wrote = (file: string, text: string | undefined) => text !== undefined && content.written.includes(file);
  const onDisk = {
    ...stateInputs,
    ...(wrote(stateInputs.manifestPath, interim) ? { manifestOnDisk: interim } : {}),
    ...(wrote(record.file, interimRecord) ? { recordOnDisk: interimRecord } : {}),
    ...(stateInputs.fileManifest && wrote(fileManifestPath, fileInterim)
      ? { fileManifest: { ...stateInputs.fileManifest, onDisk: fileInterim } }
      : {}),
  };
  const stateOps = stateFileChanges(onDisk, missed).map((f) => ({ relPath: f.relPath, text: f.after ?? '' }));
  const state = content.stopped
    ? { written: [], deleted: [], failed: [], stopped: true }
    : await applyOps(settings.siteDir, toFileOps([], [], stateOps), options);
  const failed = [...content.failed, ...state.failed];
  const stopped = content.stopped || state.stopped;
  const journalDone = await removeJournal(
    settings.siteDir,
    pass,
    { written: journal !== undefined, stopped, failed },
    options,
  );
  // Told once, in the summary; here only for a debug trace.
  for (const f of failed) settings.log.debug({ file: f.relPath }, `cannot write: ${f.reason}`);
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
  siteDir: string,
  pass: PassPlan,
  run: { written: boolean; stopped: boolean; failed: readonly { relPath: string }[] },
  options: ApplyOptions,
): Promise<{ failed: { relPath: string; reason: string }[] }> {
  const { file, text } = pass.journal;
  if (run.stopped || (!run.written && text === undefined)) return { failed: [] };
  const failed = new Set(run.failed.map((f) => f.relPath));
  const leaving = pass.postPlan.changes.some((c) => c.kind === 'update' && c.renamedFrom && failed.has(c.renamedFrom));
  if (leaving) return { failed: [] };
  const removed = await applyOps(siteDir, [{ phase: 0, op: 'delete', relPath: file }], options);
  return { failed: removed.failed };
}

/** A dry run writes nothing; its summary counts every planned change as made. */
export function dryRunOutcome(pass: PassPlan): PassOutcome {
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
