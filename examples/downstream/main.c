/* sensors_demo - a downstream program built on evgen's generated code.
 *
 * The sources it uses are generated at build time from sensors.yaml, by
 * the Makefile (through evgen.mk) or by CMakeLists.txt (through
 * find_package(evgen)); see docs/downstream.md. It parses a few bus
 * messages with sensors_parse_any and prints what each one is. Its output
 * is expected.out, whichever build made it. */
#include <stdio.h>
#include <string.h>

#include "dispatch.h"

/* evg_str is a view (pointer, length), not a C string. */
#define STR(s) (int)(s).len, (s).ptr

static const char *const documents[] = {
    "{\"type\":\"event\",\"name\":\"reading-taken\",\"body\":{\"sensorId\":\"t-17\","
    "\"room\":\"2.041\",\"quantity\":\"temperature\",\"value\":21.5,"
    "\"takenAt\":\"2026-03-01T08:00:00Z\",\"v\":\"1.0.0\"}}",
    /* No room (optional) and no version (the newest is assumed). */
    "{\"type\":\"event\",\"name\":\"sensor-offline\",\"body\":{\"sensorId\":\"h-3\","
    "\"lastSeenAt\":\"2026-03-01T07:55:12Z\"}}",
    "{\"type\":\"event\",\"name\":\"threshold-set\",\"body\":{\"quantity\":\"co2\","
    "\"max\":1200,\"v\":\"1.0.0\"}}",
    /* Invalid: the generated parser says where and why. */
    "{\"type\":\"event\",\"name\":\"reading-taken\",\"body\":{\"sensorId\":\"t-17\","
    "\"quantity\":\"pressure\",\"value\":1013,\"takenAt\":\"2026-03-01T08:00:00Z\"}}",
};

/* Both sensor events extend the shape sensor-ref, so in C they embed the
 * same struct type and one function serves them both. */
static void print_sensor(const sensors_sensor_ref *s)
{
    printf("sensor %.*s", STR(s->sensorId));
    if (s->has_room)
        printf(" in room %.*s", STR(s->room));
}

static void print_event(const sensors_any *ev)
{
    printf("%s %s: ", ev->event->name, ev->info->version);
    switch (ev->kind) {
    case SENSORS_KIND_READING_TAKEN_1_0_0: {
        const sensors_reading_taken_1_0_0 *r = &ev->u.reading_taken_1_0_0;
        print_sensor(&r->sensor_ref);
        printf(" read %s %g at %.*s\n", sensors_reading_taken_1_0_0_quantity_name(r->quantity),
               r->value, STR(r->takenAt));
        break;
    }
    case SENSORS_KIND_SENSOR_OFFLINE_1_0_0: {
        const sensors_sensor_offline_1_0_0 *o = &ev->u.sensor_offline_1_0_0;
        print_sensor(&o->sensor_ref);
        printf(" offline since %.*s\n", STR(o->lastSeenAt));
        break;
    }
    case SENSORS_KIND_THRESHOLD_SET_1_0_0: {
        const sensors_threshold_set_1_0_0 *t = &ev->u.threshold_set_1_0_0;
        printf("alarm when %s exceeds %g\n", sensors_threshold_set_1_0_0_quantity_name(t->quantity),
               t->max);
        break;
    }
    default:
        /* A kind added to the catalog after this program was written. */
        puts("(not summarized)");
        break;
    }
}

int main(void)
{
    /* Arrays and unescaped strings of one document live in the arena; the
     * parser itself never allocates. */
    static char arena_mem[16 * 1024];
    int invalid = 0;
    for (size_t i = 0; i < sizeof documents / sizeof *documents; i++) {
        evg_arena arena;
        evg_arena_init(&arena, arena_mem, sizeof arena_mem);
        sensors_any ev;
        evg_error err;
        if (sensors_parse_any(documents[i], strlen(documents[i]), &ev, &arena, 0, &err)) {
            print_event(&ev);
        } else {
            char msg[256];
            evg_error_format(&err, msg, sizeof msg);
            printf("rejected: %s\n", msg);
            invalid++;
        }
    }
    /* Exactly the one invalid document above: anything else is a bug. */
    return invalid == 1 ? 0 : 1;
}
