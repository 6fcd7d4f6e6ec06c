package io.idnode.server.transport;

import io.idnode.protocol.OpCode;
import io.idnode.protocol.ResponseCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.util.concurrent.FastThreadLocal;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;

/**
 * The node's requests in its meter registry: {@value #REQUESTS} counts answered requests by operation
 * ({@code op}, the opCode's name, handle-protocol.md §3.1), {@code transport} and response code ({@code code},
 * its name, §3.2); {@value #LATENCY} is the time from taking a request to handing over its last reply, by
 * operation and transport, as a histogram of fixed buckets: of every request answered off the event loops, and of
 * one in {@value #SAMPLE} on them ({@link #sampleStart()}). Built for the hot path: the meters sit in arrays
 * indexed by small numbers worked out from the codes, so a request costs two array reads and two adder updates,
 * never a lookup by tags; each meter is registered the first time its combination occurs. Thread-safe.
 */
public final class RequestMeters {
    /** Requests answered, by {@code op}, {@code transport} and {@code code}. */
    public static final String REQUESTS = "idnode.requests";
    /** Seconds from a request taken to its last reply handed over, by {@code op} and {@code transport}. */
    public static final String LATENCY = "idnode.request.latency";
    /** The upper bounds of the latency buckets: 50 µs to 5 s, about three a decade. */
    public static final Duration[] BUCKETS = {
        Duration.ofNanos(50_000), Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000),
        Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
    };

    /** What carried a request; its name in lower case is the {@code transport} tag. */
    public enum Transport {
        UDP, TCP, HTTP;

        private final String tag = name().toLowerCase(Locale.ROOT);

        /** The tag value: {@code udp}, {@code tcp}, {@code http}. */
        public String tag() {
            return tag;
        }
    }

    private static final OpCode[] OPS = {
        OpCode.RESERVED, OpCode.RESOLUTION, OpCode.GET_SITE_INFO, OpCode.CREATE_HANDLE, OpCode.DELETE_HANDLE,
        OpCode.ADD_VALUE, OpCode.REMOVE_VALUE, OpCode.MODIFY_VALUE, OpCode.LIST_HANDLES, OpCode.CHALLENGE_RESPONSE,
        OpCode.VERIFY_CHALLENGE, OpCode.HOME_PREFIX, OpCode.UNHOME_PREFIX, OpCode.LIST_HOMED_PREFIXES,
        OpCode.SESSION_SETUP, OpCode.SESSION_TERMINATE, OpCode.SESSION_EXCHANGE_KEY, OpCode.GET_NEXT_TXN_ID,
        OpCode.RETRIEVE_TXN_LOG, OpCode.DUMP_HANDLES, OpCode.BACKUP_SERVER, OpCode.LOGIN,
    };
    private static final ResponseCode[] CODES = {
        ResponseCode.RESERVED, ResponseCode.SUCCESS, ResponseCode.ERROR, ResponseCode.SERVER_TOO_BUSY,
        ResponseCode.PROTOCOL_ERROR, ResponseCode.OPERATION_NOT_SUPPORTED, ResponseCode.RECURSION_COUNT_TOO_HIGH,
        ResponseCode.SERVER_BACKUP, ResponseCode.HANDLE_NOT_FOUND, ResponseCode.HANDLE_ALREADY_EXISTS,
        ResponseCode.INVALID_HANDLE, ResponseCode.VALUES_NOT_FOUND, ResponseCode.VALUE_ALREADY_EXISTS,
        ResponseCode.INVALID_VALUE, ResponseCode.OUT_OF_DATE_SITE_INFO, ResponseCode.SERVER_NOT_RESPONSIBLE,
        ResponseCode.SERVICE_REFERRAL, ResponseCode.PREFIX_REFERRAL, ResponseCode.INVALID_ADMIN,
        ResponseCode.INSUFFICIENT_PERMISSIONS, ResponseCode.AUTHENTICATION_NEEDED, ResponseCode.AUTHENTICATION_FAILED,
        ResponseCode.INVALID_CREDENTIAL, ResponseCode.AUTHEN_TIMEOUT, ResponseCode.AUTHEN_ERROR,
        ResponseCode.SESSION_TIMEOUT, ResponseCode.SESSION_FAILED, ResponseCode.INVALID_SESSION_KEY,
        ResponseCode.NEED_RSAKEY_FOR_SESSIONEXCHANGE, ResponseCode.INVALID_SESSIONSETUP_REQUEST,
        ResponseCode.SESSION_MESSAGE_REJECTED,
    };
    /** Tag of an operation or response code outside the tables (unknown, or an encrypted request's operation). */
    static final String OTHER = "OTHER";
    // Slots by code for codes below the bound; the last slot of each table is OTHER.
    private static final int CODE_BOUND = 2048;
    private static final byte[] OP_SLOT = slots(OPS.length, i -> OPS[i].code());
    private static final byte[] CODE_SLOT = slots(CODES.length, i -> CODES[i].code());
    private static final int OP_SLOTS = OPS.length + 1;
    private static final int CODE_SLOTS = CODES.length + 1;
    private static final int TRANSPORTS = Transport.values().length;

    /**
     * One request in this many is timed on an event loop (per thread): reading the clock twice costs more than the
     * rest of the counting, and a histogram of a regular sample has the shape of the whole. Requests answered off
     * the event loops (administration) are all timed.
     */
    public static final int SAMPLE = 32;
    /** What {@link #sampleStart()} returns for a request that is not timed. */
    public static final long NOT_TIMED = Long.MIN_VALUE;
    private static final FastThreadLocal<int[]> SEEN = new FastThreadLocal<>() {
        @Override
        protected int[] initialValue() {
            return new int[1];
        }
    };

    /** Meters that count nothing, for transports built without a registry (tests of single parts). */
    public static final RequestMeters NONE = new RequestMeters(null);

    private final MeterRegistry registry;
    private final Counter[] counters = new Counter[OP_SLOTS * TRANSPORTS * CODE_SLOTS];
    private final Timer[] timers = new Timer[OP_SLOTS * TRANSPORTS];

    /** The request meters of {@code registry}. */
    public static RequestMeters of(MeterRegistry registry) {
        return new RequestMeters(Objects.requireNonNull(registry, "registry"));
    }

    private RequestMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    private static byte[] slots(int n, IntUnaryOperator code) {
        byte[] slots = new byte[CODE_BOUND];
        Arrays.fill(slots, (byte) n);
        for (int i = 0; i < n; i++) {
            slots[code.applyAsInt(i)] = (byte) i;
        }
        return slots;
    }

    /** The name of a code without its number: {@code RESOLUTION(1)} is {@code RESOLUTION}. */
    private static String name(Object code) {
        String s = code.toString();
        int paren = s.indexOf('(');
        return paren < 0 ? s : s.substring(0, paren);
    }

    private static int opSlot(OpCode op) {
        int code = op == null ? -1 : op.code();
        return code >= 0 && code < CODE_BOUND ? OP_SLOT[code] : OPS.length;
    }

    private static int codeSlot(ResponseCode rc) {
        int code = rc == null ? -1 : rc.code();
        return code >= 0 && code < CODE_BOUND ? CODE_SLOT[code] : CODES.length;
    }

    /** Counts one request with operation {@code op} (null: not known) over {@code transport}, answered {@code code}. */
    public void count(OpCode op, Transport transport, ResponseCode code) {
        if (registry == null) {
            return;
        }
        int o = opSlot(op);
        int c = codeSlot(code);
        int i = (o * TRANSPORTS + transport.ordinal()) * CODE_SLOTS + c;
        Counter counter = counters[i];
        if (counter == null) {
            // Racing threads get the same meter from the registry; the array only saves the lookup.
            counter = Counter.builder(REQUESTS).description("Requests answered")
                    .tag("op", o < OPS.length ? name(OPS[o]) : OTHER).tag("transport", transport.tag())
                    .tag("code", c < CODES.length ? name(CODES[c]) : OTHER).register(registry);
            counters[i] = counter;
        }
        counter.increment();
    }

    /**
     * The clock when the calling thread's current request is one of the {@link #SAMPLE} timed, else
     * {@link #NOT_TIMED} (always, without a registry); hand it to {@link #timeSince}.
     */
    public long sampleStart() {
        if (registry == null) {
            return NOT_TIMED;
        }
        int[] seen = SEEN.get();
        return seen[0]++ % SAMPLE == 0 ? System.nanoTime() : NOT_TIMED;
    }

    /** Records the time since {@code start}, a {@link #sampleStart()}, unless the request was not timed. */
    public void timeSince(OpCode op, Transport transport, long start) {
        if (start != NOT_TIMED) {
            time(op, transport, System.nanoTime() - start);
        }
    }

    /** Records {@code nanos} from taking a request with operation {@code op} over {@code transport} to its last reply. */
    public void time(OpCode op, Transport transport, long nanos) {
        if (registry == null) {
            return;
        }
        int o = opSlot(op);
        int i = o * TRANSPORTS + transport.ordinal();
        Timer timer = timers[i];
        if (timer == null) {
            timer = Timer.builder(LATENCY).description("Time from a request taken to its last reply handed over")
                    .tag("op", o < OPS.length ? name(OPS[o]) : OTHER).tag("transport", transport.tag())
                    .serviceLevelObjectives(BUCKETS).register(registry);
            timers[i] = timer;
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }
}
