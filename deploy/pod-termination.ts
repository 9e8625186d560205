// How a pod stops without failing requests
// (https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination):
// 1. Kubernetes removes the pod from the Service's endpoints and, at the same time, runs preStop.
//    The pause keeps the pod serving while kube-proxy, the router's connection pool and the
//    ingress controller learn that, so no new request reaches a process that is shutting down.
// 2. SIGTERM: the app stops accepting and drains in-flight requests for up to SHUTDOWN_GRACE_MS.
// 3. terminationGracePeriodSeconds, counted from step 1, must cover both, or SIGKILL cuts the drain.

/** Long enough for endpoint removal to reach every client (typically a few seconds). */
export const PRE_STOP_PAUSE_SECONDS = 10;

/**
 * The app's drain (SHUTDOWN_GRACE_MS, default 10 s), raised to the router's 20 s subgraph timeout
 * (router.yaml): a create the router still waits for is allowed to finish.
 */
export const SHUTDOWN_GRACE_MS = 20_000;

/** After the drain the app still closes its database pool and provider connections. */
const CLOSE_MARGIN_SECONDS = 5;

export const TERMINATION_GRACE_PERIOD_SECONDS =
  PRE_STOP_PAUSE_SECONDS + SHUTDOWN_GRACE_MS / 1000 + CLOSE_MARGIN_SECONDS;
