/**
 * The registry of the worker pool's jobs (core/workerPool.ts): job kind → job. The worker script
 * (core/worker.ts) looks each call's job up here; a job used by the main thread must be listed, under its
 * own `kind` (test/core/workerPool.test.ts checks both). New chunked work (e.g. full-batch gradients of
 * the training code) adds its jobs here.
 */
import type { ChunkJob } from "./core/workerPool.js";
import { pairGradJob, pairLossJob } from "./mixup/pairJobs.js";
import { taylorPass1Job, taylorPass2Job } from "./taylor/jobs.js";

const list: ReadonlyArray<ChunkJob<unknown, unknown>> = [pairLossJob, pairGradJob, taylorPass1Job, taylorPass2Job];

export const JOBS: Readonly<Record<string, ChunkJob<unknown, unknown>>> = Object.freeze(Object.fromEntries(list.map((j) => [j.kind, j])));
