import path from 'node:path';
import { applyOps, type ApplyOptions } from '../apply/apply.js';
import { toFileOps } from '../plan/post-plan.js';
import { findStrayTemps } from '../site/read.js';
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
  const stateDirs = [...new Set([path.posix.dirname(pass.recorded.file), path.posix.dirname(ctx.manifestPath)])];
  const strays = [
    ...pass.index.site.strayTempFiles,
    ...(pass.images?.strays ?? []),
    ...(await findStrayTemps(config.siteDir, stateDirs)),
  ];
  const options: ApplyOptions = {
    ...(deps.fs ? { fs: deps.fs } : {}),
    shouldStop: control.shouldStop,
    logger: ctx.log,
    ...(deps.beforeCommit ? { beforeCommit: deps.beforeCommit } : {}),
  };
  const interim = pass.imagePlan.interimManifestText;
  const contentOps = toFileOps(
    pass.postPlan.changes,
    pass.imagePlan.changes,
    [],
    interim === undefined ? undefined : { relPath: ctx.manifestPath, text: interim },
  );
  const content = await applyOps(config.siteDir, contentOps, { ...options, strayTempFiles: strays });
  const missed = new Set(content.failed.map((f) => f.relPath));
  const wroteInterim = interim !== undefined && content.written.includes(ctx.manifestPath);
  const stateInputs = wroteInterim ? { ...pass.stateInputs, manifestOnDisk: interim } : pass.stateInputs;
  const stateOps = stateFileChanges(stateInputs, missed).map((f) => ({ relPath: f.relPath, text: f.after ?? '' }));
  const state = content.stopped
    ? { written: [], deleted: [], failed: [], stopped: true }
    : await applyOps(config.siteDir, toFileOps([], [], stateOps), options);
  const failed = [...content.failed, ...state.failed];
  // Told once, in the summary; here only for a debug trace.
  for (const f of failed) ctx.log.debug({ file: f.relPath }, `cannot write: ${f.reason}`);
  return {
    done: new Set([...content.written, ...content.deleted, ...state.written, ...state.deleted]),
    failed,
    stopped: content.stopped || state.stopped,
  };
}

/** A dry run writes nothing; its summary counts every planned change as made. */
export function dryRunOutcome(pass: CollectionPass): PassOutcome {
  const done = new Set<string>();
  for (const change of pass.postPlan.changes) {
    done.add(change.relPath);
    if (change.kind === 'update' && change.renamedFrom) done.add(change.renamedFrom);
  }
  for (const change of pass.imagePlan.changes) {
    done.add(change.relPath);
    if (change.kind === 'move') done.add(change.from);
  }
  for (const file of pass.stateFiles) done.add(file.relPath);
  return { done, failed: [], stopped: false };
}
