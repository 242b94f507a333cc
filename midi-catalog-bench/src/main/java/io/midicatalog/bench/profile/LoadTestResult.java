package io.midicatalog.bench.profile;

import java.util.List;
import java.util.Objects;

/**
 * One load test: {@code users} threads running the mixed workload for {@code seconds}.
 *
 * @param targetRate requests/s the threads were paced at together (latency counted from each
 *     request's scheduled start), or 0 for a closed loop (each thread's next request when its last
 *     one returned)
 * @param poolWaitingMax most threads seen waiting for a connection (sampled every 50 ms)
 * @param poolWaitingAvg mean of those samples
 * @param acquireTimeouts operations that failed because no connection came within the acquire timeout
 */
public record LoadTestResult(int users, double targetRate, double seconds, long operations, double qps, double p50Millis,
                             double p95Millis, double p99Millis, double maxMillis, long errors, int poolWaitingMax,
                             double poolWaitingAvg, long acquireTimeouts, List<OperationStats> operationsByKind) {
    public LoadTestResult {
        operationsByKind = List.copyOf(operationsByKind);
    }

    /** Latency of one kind of operation within the test. */
    public record OperationStats(String name, long count, double p50Millis, double p95Millis, double p99Millis,
                                 long errors) {
        public OperationStats {
            Objects.requireNonNull(name, "name");
        }
    }
}
