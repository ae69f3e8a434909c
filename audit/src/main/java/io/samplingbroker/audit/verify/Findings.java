package io.samplingbroker.audit.verify;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the checks found. Counts every finding but keeps the first {@value #DEFAULT_KEPT} in full, so that a badly
 * broken history of millions of records cannot exhaust memory; the report says how many more there were.
 */
public final class Findings {

    public static final int DEFAULT_KEPT = 1000;

    private final int kept;
    private final List<Finding> list = new ArrayList<>();
    private final Map<String, Long> countsByCheck = new TreeMap<>();
    private long total;

    public Findings() {
        this(DEFAULT_KEPT);
    }

    public Findings(int kept) {
        this.kept = kept;
    }

    public void add(String check, String requestId, String where, String message) {
        add(new Finding(check, requestId, where, message));
    }

    public void add(Finding finding) {
        total++;
        countsByCheck.merge(finding.check(), 1L, Long::sum);
        if (list.size() < kept) {
            list.add(finding);
        }
    }

    public boolean isEmpty() {
        return total == 0;
    }

    public long total() {
        return total;
    }

    /** The findings kept in full, in the order found. */
    public List<Finding> list() {
        return Collections.unmodifiableList(list);
    }

    public Map<String, Long> countsByCheck() {
        return Collections.unmodifiableMap(countsByCheck);
    }

    /** How many findings were counted but not kept. */
    public long dropped() {
        return total - list.size();
    }
}
