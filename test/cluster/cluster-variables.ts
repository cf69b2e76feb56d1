/** `required` (CI): a cluster that is not up fails the run instead of skipping the test/cluster suite. */
export const CLUSTER_VARIABLE = 'SCIM_TEST_CLUSTER';
/** Set by the global setup: the cluster description file when a cluster answers, empty otherwise. */
export const RESOLVED_CLUSTER_VARIABLE = 'SCIM_TEST_CLUSTER_RESOLVED';
