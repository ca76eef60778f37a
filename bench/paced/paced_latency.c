/*
 * Paced produce-to-ack and end-to-end latency against a Kafka broker, without coordinated
 * omission: every message has a SCHEDULED send time (start + i / rate) and its latency is measured
 * from that time, so a sender that falls behind (or a broker that stalls the client) shows up in
 * the numbers instead of silently slowing the schedule down.
 *
 * Unlike rdkafka_performance -r (which busy-polls rd_kafka_poll(rk, 0) between sends and measures
 * from the moment each produce call happens), the sender here SLEEPS until each scheduled time
 * (clock_nanosleep, absolute, 1 ns timer slack) and delivery reports are served by a separate
 * thread blocked in rd_kafka_poll, so on one pinned core the client leaves the CPU to librdkafka's
 * broker threads and to the consumer.
 *
 *   paced_latency produce BOOTSTRAP TOPIC RATE COUNT SIZE [OUT] [-X key=value ...]
 *   paced_latency consume BOOTSTRAP TOPIC COUNT READYFILE [OUT] [-X key=value ...]
 *
 * produce: acks=all, linger.ms=1, batch.size=1048576 (rdkafka_performance's settings in
 * bench/latency-probe.sh), random partition per message (no key), SIZE-byte values whose first
 * bytes carry the scheduled time. consume: assigns every partition at its current high watermark
 * (so it is ready before the producer starts: READYFILE is created then), default
 * fetch.wait.max.ms (500), and measures receive time minus scheduled time.
 * Both print one JSON line: counts, CPU (getrusage, all threads) and latency percentiles of the
 * whole run and of the steady state (messages scheduled at least WARMUP_S, default 1 s, after the
 * start). OUT, if given, gets one line per message: scheduled offset from the start (us),
 * latency (us), and for produce the sender's lateness (us) behind the schedule.
 * Environment: WARMUP_S (1), IDLE_S (consumer: give up this long after the last message, 30),
 * STATS=path (producer: librdkafka's statistics JSON each second, one line each).
 * Clocks: CLOCK_MONOTONIC, shared by processes on one machine.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "rdkafka.h"

#define MAGIC 0x42524f4f4b4c4154ULL /* "BROOKLAT" */

struct stamp
{
    uint64_t magic;
    int64_t start_ns;
    int64_t scheduled_ns;
    uint64_t seq;
};

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void sleep_until(int64_t t)
{
    struct timespec ts = {.tv_sec = t / 1000000000LL, .tv_nsec = t % 1000000000LL};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
    {
    }
}

static double cpu_seconds(void)
{
    struct rusage r;
    getrusage(RUSAGE_SELF, &r);
    return r.ru_utime.tv_sec + r.ru_stime.tv_sec + (r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
}

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "paced_latency: %s: %s\n", what, detail);
    exit(2);
}

static void set(rd_kafka_conf_t *conf, const char *key, const char *value)
{
    char err[512];
    if (rd_kafka_conf_set(conf, key, value, err, sizeof err) != RD_KAFKA_CONF_OK)
    {
        die(key, err);
    }
}

/* -X key=value pairs after the positional arguments override the defaults. */
static void apply_overrides(rd_kafka_conf_t *conf, int argc, char **argv, int first)
{
    for (int i = first; i < argc; i++)
    {
        if (strcmp(argv[i], "-X") != 0 || i + 1 >= argc)
        {
            die("unexpected argument", argv[i]);
        }
        char *pair = strdup(argv[++i]);
        char *eq = strchr(pair, '=');
        if (!eq)
        {
            die("-X wants key=value", pair);
        }
        *eq = 0;
        set(conf, pair, eq + 1);
        free(pair);
    }
}

/* Positional arguments end at the first -X; returns that index. */
static int positional_end(int argc, char **argv, int from)
{
    int i = from;
    while (i < argc && strcmp(argv[i], "-X") != 0)
    {
        i++;
    }
    return i;
}

static int compare_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Prints "name":{"n":..,"p50_ms":..,...} for values[] (ns; sorted in place). */
static void print_percentiles(const char *name, int64_t *values, size_t n)
{
    static const double points[] = {50, 90, 99, 99.9, 99.99};
    static const char *labels[] = {"p50_ms", "p90_ms", "p99_ms", "p999_ms", "p9999_ms"};
    qsort(values, n, sizeof *values, compare_i64);
    printf("\"%s\":{\"n\":%zu", name, n);
    for (size_t k = 0; k < sizeof points / sizeof *points; k++)
    {
        if (n == 0)
        {
            printf(",\"%s\":null", labels[k]);
            continue;
        }
        size_t at = (size_t)(n * points[k] / 100.0);
        printf(",\"%s\":%.3f", labels[k], values[at < n ? at : n - 1] / 1e6);
    }
    if (n > 0)
    {
        printf(",\"max_ms\":%.3f}", values[n - 1] / 1e6);
    }
    else
    {
        printf(",\"max_ms\":null}");
    }
}

/* Percentiles of the whole run and of messages scheduled at least `warmup_ns` after the start. */
static void print_runs(const char *name, const int64_t *latency, const int64_t *offset, size_t n, int64_t warmup_ns)
{
    int64_t *all = malloc(sizeof *all * (n ? n : 1));
    int64_t *steady = malloc(sizeof *steady * (n ? n : 1));
    size_t a = 0, s = 0;
    for (size_t i = 0; i < n; i++)
    {
        if (latency[i] < 0)
        {
            continue; /* not delivered */
        }
        all[a++] = latency[i];
        if (offset[i] >= warmup_ns)
        {
            steady[s++] = latency[i];
        }
    }
    char label[64];
    snprintf(label, sizeof label, "%s_all", name);
    print_percentiles(label, all, a);
    printf(",");
    snprintf(label, sizeof label, "%s_steady", name);
    print_percentiles(label, steady, s);
    free(all);
    free(steady);
}

static int64_t warmup_ns(void)
{
    const char *w = getenv("WARMUP_S");
    return (int64_t)((w ? atof(w) : 1.0) * 1e9);
}

/* ---------------------------------------------------------------- producer */

struct producer_state
{
    int64_t *scheduled; /* absolute, ns */
    int64_t *ack;       /* ack latency from the scheduled time, ns; -1 until delivered */
    _Atomic long delivered;
    _Atomic long failed;
    _Atomic int stop;
    rd_kafka_t *rk;
};

static struct producer_state producer;

static FILE *stats_file;

/* STATS=path: librdkafka's statistics JSON every second (per-broker rtt, int_latency,
   outbuf_latency windows), one object per line, to split client time from round-trip time. */
static int on_stats(rd_kafka_t *rk, char *json, size_t len, void *opaque)
{
    (void)rk;
    (void)opaque;
    fwrite(json, 1, len, stats_file);
    fputc('\n', stats_file);
    return 0;
}

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
    (void)rk;
    (void)opaque;
    int64_t t = now_ns();
    size_t i = (size_t)(uintptr_t)m->_private;
    if (m->err)
    {
        atomic_fetch_add(&producer.failed, 1);
    }
    else
    {
        producer.ack[i] = t - producer.scheduled[i];
    }
    atomic_fetch_add(&producer.delivered, 1);
}

/* Serves delivery reports: blocks in rd_kafka_poll, which wakes as soon as a report is queued. */
static void *poll_reports(void *arg)
{
    (void)arg;
    while (!atomic_load(&producer.stop))
    {
        rd_kafka_poll(producer.rk, 100);
    }
    return NULL;
}

static int produce(int argc, char **argv)
{
    int end = positional_end(argc, argv, 2);
    if (end < 7)
    {
        die("usage", "produce BOOTSTRAP TOPIC RATE COUNT SIZE [OUT] [-X key=value ...]");
    }
    const char *bootstrap = argv[2], *topic = argv[3];
    double rate = atof(argv[4]);
    size_t count = (size_t)atol(argv[5]), size = (size_t)atol(argv[6]);
    const char *out = end > 7 ? argv[7] : NULL;
    if (size < sizeof(struct stamp) || rate <= 0 || count == 0)
    {
        die("arguments", "SIZE >= 32, RATE > 0, COUNT > 0");
    }

    char err[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    set(conf, "bootstrap.servers", bootstrap);
    set(conf, "acks", "all");
    set(conf, "linger.ms", "1");
    set(conf, "batch.size", "1048576");
    set(conf, "queue.buffering.max.messages", "1000000");
    set(conf, "queue.buffering.max.kbytes", "1048576");
    const char *stats = getenv("STATS");
    if (stats && *stats)
    {
        if (!(stats_file = fopen(stats, "w")))
        {
            die("open", stats);
        }
        set(conf, "statistics.interval.ms", "1000");
        rd_kafka_conf_set_stats_cb(conf, on_stats);
    }
    apply_overrides(conf, argc, argv, end);
    rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    if (!rk)
    {
        die("rd_kafka_new", err);
    }
    producer.rk = rk;
    rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, NULL);
    /* Connect and learn the partitions before the clock starts: start-up is not latency. */
    const struct rd_kafka_metadata *md;
    if (rd_kafka_metadata(rk, 0, rkt, &md, 10000) != RD_KAFKA_RESP_ERR_NO_ERROR)
    {
        die("metadata", topic);
    }
    rd_kafka_metadata_destroy(md);

    producer.scheduled = malloc(sizeof(int64_t) * count);
    producer.ack = malloc(sizeof(int64_t) * count);
    int64_t *late = malloc(sizeof(int64_t) * count);
    int64_t *offset = malloc(sizeof(int64_t) * count);
    for (size_t i = 0; i < count; i++)
    {
        producer.ack[i] = -1;
    }
    char *value = calloc(1, size);
    pthread_t poller;
    pthread_create(&poller, NULL, poll_reports, NULL);
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);

    double cpu0 = cpu_seconds();
    double interval = 1e9 / rate;
    int64_t start = now_ns() + 10 * 1000000LL;
    long queue_full = 0;
    for (size_t i = 0; i < count; i++)
    {
        int64_t scheduled = start + (int64_t)(i * interval);
        producer.scheduled[i] = scheduled;
        offset[i] = scheduled - start;
        sleep_until(scheduled);
        struct stamp s = {MAGIC, start, scheduled, i};
        memcpy(value, &s, sizeof s);
        late[i] = now_ns() - scheduled;
        while (rd_kafka_produce(rkt, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY, value, size, NULL, 0,
                                (void *)(uintptr_t)i) != 0)
        {
            if (rd_kafka_last_error() != RD_KAFKA_RESP_ERR__QUEUE_FULL)
            {
                die("produce", rd_kafka_err2str(rd_kafka_last_error()));
            }
            queue_full++;
            usleep(100);
        }
    }
    int64_t sent = now_ns();
    /* Every report within 30 s of the last send, or the missing ones count as failed. */
    while (atomic_load(&producer.delivered) < (long)count && now_ns() - sent < 30 * 1000000000LL)
    {
        usleep(1000);
    }
    int64_t finished = now_ns();
    double cpu = cpu_seconds() - cpu0;
    atomic_store(&producer.stop, 1);
    pthread_join(poller, NULL);

    if (out)
    {
        FILE *f = fopen(out, "w");
        if (!f)
        {
            die("open", out);
        }
        for (size_t i = 0; i < count; i++)
        {
            fprintf(f, "%" PRId64 " %" PRId64 " %" PRId64 "\n", offset[i] / 1000, producer.ack[i] < 0 ? -1 : producer.ack[i] / 1000,
                    late[i] / 1000);
        }
        fclose(f);
    }
    long delivered = atomic_load(&producer.delivered), failed = atomic_load(&producer.failed);
    printf("{\"job\":\"produce\",\"sent\":%zu,\"acked\":%ld,\"failed\":%ld,\"queue_full\":%ld,\"seconds\":%.3f,"
           "\"rate\":%.1f,\"client_cpu_s\":%.3f,",
           count, delivered - failed, failed + ((long)count - delivered), queue_full, (finished - start) / 1e9,
           (delivered - failed) / ((sent - start) / 1e9), cpu);
    print_runs("ack", producer.ack, offset, count, warmup_ns());
    printf(",");
    print_runs("send_late", late, offset, count, warmup_ns());
    printf("}\n");
    fflush(stdout);
    rd_kafka_topic_destroy(rkt);
    rd_kafka_destroy(rk);
    if (stats_file)
    {
        fclose(stats_file);
    }
    return failed == 0 && delivered == (long)count ? 0 : 1;
}

/* ---------------------------------------------------------------- consumer */

static int consume(int argc, char **argv)
{
    int end = positional_end(argc, argv, 2);
    if (end < 6)
    {
        die("usage", "consume BOOTSTRAP TOPIC COUNT READYFILE [OUT] [-X key=value ...]");
    }
    const char *bootstrap = argv[2], *topic = argv[3], *ready = argv[5];
    size_t count = (size_t)atol(argv[4]);
    const char *out = end > 6 ? argv[6] : NULL;

    char err[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    set(conf, "bootstrap.servers", bootstrap);
    set(conf, "group.id", "paced-latency-e2e"); /* required by the consumer API; nothing is committed */
    set(conf, "enable.auto.commit", "false");
    set(conf, "enable.auto.offset.store", "false");
    apply_overrides(conf, argc, argv, end);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
    if (!rk)
    {
        die("rd_kafka_new", err);
    }
    rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, NULL);
    const struct rd_kafka_metadata *md;
    if (rd_kafka_metadata(rk, 0, rkt, &md, 10000) != RD_KAFKA_RESP_ERR_NO_ERROR || md->topic_cnt != 1 ||
        md->topics[0].partition_cnt == 0)
    {
        die("metadata", topic);
    }
    int partitions = md->topics[0].partition_cnt;
    rd_kafka_metadata_destroy(md);
    rd_kafka_topic_destroy(rkt);
    /* Start at each partition's high watermark, resolved now, so the consumer is ready (it will
       fetch exactly what is produced from here on) before the producer is told to start. */
    rd_kafka_topic_partition_list_t *assignment = rd_kafka_topic_partition_list_new(partitions);
    for (int p = 0; p < partitions; p++)
    {
        int64_t low, high;
        if (rd_kafka_query_watermark_offsets(rk, topic, p, &low, &high, 10000) != RD_KAFKA_RESP_ERR_NO_ERROR)
        {
            die("watermarks", topic);
        }
        rd_kafka_topic_partition_list_add(assignment, topic, p)->offset = high;
    }
    if (rd_kafka_assign(rk, assignment) != RD_KAFKA_RESP_ERR_NO_ERROR)
    {
        die("assign", topic);
    }
    rd_kafka_topic_partition_list_destroy(assignment);
    FILE *r = fopen(ready, "w");
    if (!r)
    {
        die("open", ready);
    }
    fclose(r);

    int64_t *latency = malloc(sizeof(int64_t) * count);
    int64_t *offset = malloc(sizeof(int64_t) * count);
    size_t received = 0;
    long foreign = 0;
    double cpu0 = cpu_seconds();
    int64_t last = now_ns();
    const char *idle = getenv("IDLE_S");
    int64_t idle_ns = (int64_t)((idle ? atof(idle) : 30.0) * 1e9); /* gives up this long after the last message */
    while (received < count && now_ns() - last < idle_ns)
    {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 100);
        if (!m)
        {
            continue;
        }
        int64_t t = now_ns();
        if (!m->err)
        {
            struct stamp s;
            if (m->len >= sizeof s && (memcpy(&s, m->payload, sizeof s), s.magic == MAGIC))
            {
                latency[received] = t - s.scheduled_ns;
                offset[received] = s.scheduled_ns - s.start_ns;
                received++;
                last = t;
            }
            else
            {
                foreign++;
            }
        }
        rd_kafka_message_destroy(m);
    }
    double cpu = cpu_seconds() - cpu0;
    if (out)
    {
        FILE *f = fopen(out, "w");
        if (!f)
        {
            die("open", out);
        }
        for (size_t i = 0; i < received; i++)
        {
            fprintf(f, "%" PRId64 " %" PRId64 "\n", offset[i] / 1000, latency[i] / 1000);
        }
        fclose(f);
    }
    printf("{\"job\":\"e2e\",\"expected\":%zu,\"records\":%zu,\"foreign\":%ld,\"client_cpu_s\":%.3f,", count, received, foreign, cpu);
    print_runs("e2e", latency, offset, received, warmup_ns());
    printf("}\n");
    fflush(stdout);
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
    return received == count ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "produce") == 0)
    {
        return produce(argc, argv);
    }
    if (argc >= 2 && strcmp(argv[1], "consume") == 0)
    {
        return consume(argc, argv);
    }
    fprintf(stderr, "usage: paced_latency produce|consume ... (see the comment at the top of paced_latency.c)\n");
    return 2;
}
