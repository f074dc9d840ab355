/* two_catalogs - two evgen catalogs in one program.
 *
 * The 8x8 catalog (generated/, default prefix ev) and the shop catalog
 * (build/shop/gen/, --prefix shop) are compiled and linked together with
 * ONE copy of the runtime (evgen_runtime.c, the same file for every catalog
 * and prefix; mk/shop.mk checks that with cmp). Each catalog parses its own
 * documents and refuses the other's. Exit status 0 when every check holds,
 * 1 otherwise (each failure is printed). Run by `make check-shop`.
 *
 * Both directories hold a dispatch.h and an events.h. This file names each
 * dispatch.h through its directory (compiled with -I. -I$(BUILD)); each
 * then finds its own events.h, because a quoted #include looks first in
 * the directory of the file that contains it. The include guards carry the
 * prefix (EV_DISPATCH_H, SHOP_DISPATCH_H); evgen_runtime.h is one file in
 * two identical copies, so its one guard is right. */
#include <stdio.h>
#include <string.h>

#include "generated/dispatch.h"
#include "shop/gen/dispatch.h"

static int failures;

#define CHECK(cond)                                                        \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            failures++;                                                    \
        }                                                                  \
    } while (0)

/* Canonical documents: serializing what was parsed must give them back. */
static const char ev_doc[] =
    "{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":"
    "\"aw-interaction-mute-v1\",\"value\":{\"interactionId\":\"interaction-12345\","
    "\"schemaVersion\":\"1.0.0\"}}}";

static const char shop_doc[] =
    "{\"spec\":\"shop-bus/1\",\"type\":\"event\",\"event\":\"order-placed\",\"data\":{"
    "\"orderId\":\"A-1002\",\"occurredAt\":\"2026-11-30T18:02:11Z\",\"customer\":{"
    "\"id\":\"c-1203\",\"email\":\"ben@example.com\",\"shipTo\":{\"name\":\"Ben Okafor\","
    "\"street\":\"Torstr. 5\",\"city\":\"Berlin\",\"postalCode\":\"10119\",\"country\":\"DE\","
    "\"phone\":null}},\"currency\":\"EUR\",\"lines\":[{\"sku\":\"HOODIE-GRY-L\",\"title\":"
    "\"Hoodie\",\"quantity\":1,\"unitPrice\":59}],\"total\":59,\"channel\":\"app\","
    "\"attributes\":{\"utm_source\":\"newsletter\"},\"version\":\"1.1.0\"}}";

static char arena_mem[16 * 1024];
static char out[4096];

static void check_ev(void)
{
    evg_arena arena;
    evg_arena_init(&arena, arena_mem, sizeof arena_mem);
    ev_any ev;
    evg_error err;
    CHECK(ev_parse_any(ev_doc, strlen(ev_doc), &ev, &arena, EVG_STRICT, &err));
    CHECK(ev.kind == EV_KIND_AW_INTERACTION_MUTE_V1_1_0_0);
    CHECK(ev.flags == 0);
    CHECK(ev.event && ev.event->products == EV_PRODUCT_AGENT_WORKSPACE);
    CHECK(evg_str_eq(ev.u.aw_interaction_mute_v1_1_0_0.interactionId, "interaction-12345"));
    CHECK(ev_serialize_any(&ev, out, sizeof out, NULL) == strlen(ev_doc));
    CHECK(strcmp(out, ev_doc) == 0);
}

static void check_shop(void)
{
    evg_arena arena;
    evg_arena_init(&arena, arena_mem, sizeof arena_mem);
    shop_any ev;
    evg_error err;
    CHECK(shop_parse_any(shop_doc, strlen(shop_doc), &ev, &arena, EVG_STRICT, &err));
    CHECK(ev.kind == SHOP_KIND_ORDER_PLACED_1_1_0);
    CHECK(ev.flags == 0);
    CHECK(ev.event && ev.event->products == SHOP_PRODUCT_STOREFRONT);
    const shop_order_placed_1_1_0 *o = &ev.u.order_placed_1_1_0;
    CHECK(evg_str_eq(o->order_ref.orderId, "A-1002"));
    CHECK(o->lines.count == 1 && o->lines.items[0].quantity == 1);
    CHECK(o->total == 59.0);
    CHECK(o->has_attributes && o->attributes.count == 1 &&
          evg_str_eq(o->attributes.items[0].key, "utm_source"));
    CHECK(o->customer.shipTo.phone_is_null);
    CHECK(shop_serialize_any(&ev, out, sizeof out, NULL) == strlen(shop_doc));
    CHECK(strcmp(out, shop_doc) == 0);
}

/* Same runtime, separate catalogs: neither knows the other's envelopes. */
static void check_apart(void)
{
    evg_arena arena;
    evg_error err;
    ev_any ev;
    shop_any shop;
    evg_arena_init(&arena, arena_mem, sizeof arena_mem);
    CHECK(!ev_parse_any(shop_doc, strlen(shop_doc), &ev, &arena, 0, &err));
    CHECK(err.code == EVG_ERR_ENVELOPE);
    evg_arena_init(&arena, arena_mem, sizeof arena_mem);
    CHECK(!shop_parse_any(ev_doc, strlen(ev_doc), &shop, &arena, 0, &err));
    CHECK(err.code == EVG_ERR_ENVELOPE);
    CHECK(ev_find_event("order-placed", 12) == NULL);
    CHECK(shop_find_event("order-placed", 12) != NULL);
    CHECK(shop_find_event("aw-interaction-mute-v1", 22) == NULL);
}

int main(void)
{
    check_ev();
    check_shop();
    check_apart();
    if (failures) {
        fprintf(stderr, "two_catalogs: %d check(s) failed\n", failures);
        return 1;
    }
    puts("two_catalogs: ev and shop catalogs parse side by side with one runtime");
    return 0;
}
