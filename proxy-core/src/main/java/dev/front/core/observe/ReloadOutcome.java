package dev.front.core.observe;

/**
 * How one replacement of the child ended, as {@code POST /reload} answers it and the log tells it.
 *
 * @param result       {@code replaced}, {@code failed}, or {@code stopping} (the front began to stop first)
 * @param oldPid       the child that served before (0 when none did)
 * @param newPid       the child started to replace it (0 when none was started)
 * @param switchMillis from the trigger until new requests went to the new child (replaced only, else 0)
 * @param phase        where a failure happened: {@code start}, {@code listen}, {@code probe} (else null)
 * @param cause        what failed: an exit status or signal, a timeout, the probe's answer (else null)
 */
public record ReloadOutcome(String result, long oldPid, long newPid, long switchMillis, String phase, String cause) {

    public static ReloadOutcome replaced(long oldPid, long newPid, long switchMillis) {
        return new ReloadOutcome("replaced", oldPid, newPid, switchMillis, null, null);
    }

    public static ReloadOutcome failed(long oldPid, long newPid, String phase, String cause) {
        return new ReloadOutcome("failed", oldPid, newPid, 0, phase, cause);
    }

    public static ReloadOutcome stopping(long oldPid, long newPid) {
        return new ReloadOutcome("stopping", oldPid, newPid, 0, null, "the front is stopping");
    }

    public boolean isReplaced() {
        return result.equals("replaced");
    }

    /** One JSON object on one line. */
    public String toJson() {
        StringBuilder json = new StringBuilder("{\"result\":\"").append(result).append('"')
                .append(",\"old_pid\":").append(oldPid).append(",\"new_pid\":").append(newPid);
        if (isReplaced()) {
            json.append(",\"switch_ms\":").append(switchMillis);
        }
        if (phase != null) {
            json.append(",\"phase\":");
            JsonLogFormat.string(json, phase);
        }
        if (cause != null) {
            json.append(",\"cause\":");
            JsonLogFormat.string(json, cause);
        }
        return json.append('}').toString();
    }
}
