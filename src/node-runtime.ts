/**
 * The Node/V8 flags the container image starts the gateway with (its
 * Dockerfile sets NODE_OPTIONS to exactly these; test/container/dockerfile.test.ts
 * holds the two together, and `npm run bench` starts the gateway with them).
 *
 * Node sizes V8's old generation from the pod's memory limit, and the young
 * generation in proportion: under the chart's 1 GiB limit that leaves small
 * semi-spaces, so short-lived request garbage is scavenged far more often and
 * promoted early, which costs CPU and long pauses under load (bench/README.md,
 * "The heap under the pod's limit"). The semi-space size is set here instead;
 * the old generation keeps following the limit.
 */
export const imageNodeOptions: readonly string[] = Object.freeze(['--max-semi-space-size=16']);

/**
 * Environment the image sets for the C library under Node. glibc gives each
 * thread that allocates its own malloc arena (up to 8 per core), and V8's
 * background threads (GC, compilers) and libuv's pool keep theirs partly
 * filled: the gateway allocates almost everything on its one main thread, so
 * two arenas serve it as well and hold less. Measured with `npm run bench`
 * on Node 24 under the chart's 1 GiB limit: resident memory 7–10 MB lower
 * before the in-flight run and 4–15 MB lower at its peak (bench/README.md).
 */
export const imageEnvironment: Readonly<Record<string, string>> = Object.freeze({ MALLOC_ARENA_MAX: '2' });
