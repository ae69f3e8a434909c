package io.samplingbroker.testsupport;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * Steady open-loop sampling load of both eras (a {@link SamplingLoadServer}'s sessions, a {@link SessionlessLoadHost}'s
 * calls), and the count of what came back: request
 * {@code i} of a phase is sent at {@code start + i / rate} whatever happened to earlier ones, and every answer is
 * matched to its request by JSON-RPC id (unique over the whole run), so a second answer for one id is seen.
 */
public final class FaultLoad {

    /** One request and what came back for it. */
    private static final class Request {
        final long sentNanos;
        final CopyOnWriteArrayList<SamplingLoadServer.Answer> answers = new CopyOnWriteArrayList<>();
        volatile String session;

        Request(long sentNanos) {
            this.sentNanos = sentNanos;
        }
    }

    private final AtomicLong nextId = new AtomicLong(1);
    private final Map<Long, Request> requests = new ConcurrentHashMap<>();
    private final AtomicLong unmatched = new AtomicLong();
    private final AtomicLong notSent = new AtomicLong();

    /** Where the server hands its answers. */
    public void onAnswer(SamplingLoadServer.Answer answer) {
        Request request = requests.get(answer.id());
        if (request == null) {
            unmatched.incrementAndGet();
        } else {
            request.answers.add(answer);
        }
    }

    /**
     * Sends {@code rate} requests a second for {@code duration} (blocking; a fault is injected from another thread
     * meanwhile), alternately as a 2025-11-25 server's sampling request on one of {@code server}'s sessions (even ids)
     * and as a 2026-07-28 host's call that needs sampling (odd ids); returns the ids it sent.
     */
    public Phase run(SamplingLoadServer server, SessionlessLoadHost host, int rate, Duration duration) {
        long total = rate * duration.toSeconds();
        long start = System.nanoTime();
        long first = nextId.get();
        for (long i = 0; i < total; i++) {
            long intended = start + i * 1_000_000_000L / rate;
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            long id = nextId.getAndIncrement();
            Request request = new Request(intended);
            requests.put(id, request);
            if (id % 2 == 1) {
                request.session = SessionlessLoadHost.callName(id);
                host.call(id);
                continue;
            }
            Optional<String> session = server.send(id);
            if (session.isEmpty()) {
                requests.remove(id);
                notSent.incrementAndGet();
            } else {
                request.session = session.get();
            }
        }
        return new Phase(first, nextId.get() - 1);
    }

    /** The ids one phase of load sent. */
    public record Phase(long firstId, long lastId) {
    }

    /** Whether every request of {@code phase} has an answer, or is older than {@code patience}. */
    public boolean settled(Phase phase, Duration patience) {
        long now = System.nanoTime();
        for (long id = phase.firstId(); id <= phase.lastId(); id++) {
            Request request = requests.get(id);
            if (request != null && request.answers.isEmpty() && now - request.sentNanos < patience.toNanos()) {
                return false;
            }
        }
        return true;
    }

    /**
     * What {@code phase} came to. A request without an answer within {@code patience} (the upstream server's own
     * deadline for it) ended with its session when {@code ended} says its session (or call) ended under it (its
     * broker died or deleted it), and is lost otherwise; an answer that came on another session than the request went on is misrouted.
     * Recovery is the time from the fault to the last request sent that was not answered with a result within
     * {@code healthyLatency}.
     *
     * @param faultNanos when the fault struck ({@link System#nanoTime()})
     */
    public Tally tally(Predicate<String> ended, Phase phase, long faultNanos, Duration patience,
            Duration healthyLatency) {
        int sent = 0;
        int results = 0;
        int lost = 0;
        int endedWithSession = 0;
        int misrouted = 0;
        int duplicated = 0;
        Map<Integer, Integer> errors = new TreeMap<>();
        long lastBad = -1;
        for (long id = phase.firstId(); id <= phase.lastId(); id++) {
            Request request = requests.get(id);
            if (request == null) {
                continue;
            }
            sent++;
            if (request.answers.size() > 1) {
                duplicated++;
            }
            if (request.answers.stream().anyMatch(a -> !a.sessionId().equals(request.session))) {
                misrouted++;
            }
            Optional<SamplingLoadServer.Answer> answer = request.answers.stream().findFirst()
                    .filter(a -> a.receivedNanos() - request.sentNanos <= patience.toNanos());
            boolean healthy = false;
            if (answer.isEmpty() && ended.test(request.session)) {
                endedWithSession++;
            } else if (answer.isEmpty()) {
                lost++;
            } else if (answer.get().errorCode().isPresent()) {
                errors.merge(answer.get().errorCode().get(), 1, Integer::sum);
            } else {
                results++;
                healthy = answer.get().receivedNanos() - request.sentNanos <= healthyLatency.toNanos();
            }
            if (!healthy && request.sentNanos >= faultNanos) {
                lastBad = Math.max(lastBad, request.sentNanos);
            }
        }
        Duration recovery = lastBad < 0 ? Duration.ZERO : Duration.ofNanos(lastBad - faultNanos);
        return new Tally(sent, results, errors, lost, endedWithSession, misrouted, duplicated, recovery);
    }

    /** Requests the load could not send because no session was open. */
    public long notSent() {
        return notSent.get();
    }

    /** Answers for ids the load never sent (never expected). */
    public long unmatched() {
        return unmatched.get();
    }

    /** The counts of one phase. */
    public record Tally(int sent, int results, Map<Integer, Integer> errors, int lost, int endedWithSession,
            int misrouted, int duplicated, Duration recovery) {
        public Tally {
            errors = Map.copyOf(errors);
        }

        public int errorCount() {
            return errors.values().stream().mapToInt(Integer::intValue).sum();
        }
    }
}
