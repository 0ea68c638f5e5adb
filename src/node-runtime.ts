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
