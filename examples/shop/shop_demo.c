/* shop_demo - what an order service sees of the shop's event documents.
 *
 *   shop_demo < examples/shop/orders.jsonl
 *
 * Reads JSON documents, one per line, from standard input: order bus
 * records, warehouse API commands and payment webhooks
 * (examples/shop/catalog.yaml). For each it prints which event and version
 * it is, a few of its fields, and its canonical form (shop_serialize_any),
 * or the error that rejected it. Blank lines are skipped. The exit status
 * is 0 unless standard input cannot be read: a rejected document is output,
 * not a failure of the program.
 *
 * It is built on the code evgen generates from the shop catalog with
 * `--prefix shop` (mk/shop.mk): every name below that starts with shop_ or
 * SHOP_ comes from build/shop/gen/dispatch.h; evg_ names are the runtime's,
 * which every generated catalog shares. */
#include <stdio.h>
#include <string.h>

#include "dispatch.h"

/* One line of input; a longer one is reported and skipped. Documents are
 * small: orders, not catalogs. */
#define LINE_MAX_BYTES (64 * 1024)

/* evg_str is a view (pointer, length), not a C string: print it with %.*s. */
#define STR(s) (int)(s).len, (s).ptr

static char line[LINE_MAX_BYTES];
/* Arrays, maps and unescaped strings of one document live here; the parse
 * itself never calls malloc. Reset for every document, so the parsed
 * struct is only good until the next line is read. */
static char arena_mem[64 * 1024];
static char canonical[LINE_MAX_BYTES];

/* Both order-placed versions name their common members alike, so one macro
 * prints either; the C types differ (1.1.0 has members 1.0.0 lacks), which
 * is why the switch below handles each kind on its own. */
#define PRINT_ORDER(o, currency_name)                                                    \
    do {                                                                                 \
        printf("   order %.*s by %.*s: %zu line(s), total %.2f %s\n", STR((o).order_ref.orderId),  \
               STR((o).customer.id), (o).lines.count, (o).total, currency_name);         \
        for (size_t i = 0; i < (o).lines.count; i++) {                                   \
            printf("   - %lld x %.*s @ %.2f", (long long)(o).lines.items[i].quantity,     \
                   STR((o).lines.items[i].sku), (o).lines.items[i].unitPrice);           \
            /* An optional map: has_options says whether the key was there. */           \
            if ((o).lines.items[i].has_options)                                          \
                for (size_t j = 0; j < (o).lines.items[i].options.count; j++)            \
                    printf(" [%.*s=%.*s]", STR((o).lines.items[i].options.items[j].key),  \
                           STR((o).lines.items[i].options.items[j].value));              \
            putchar('\n');                                                               \
        }                                                                                \
        if ((o).customer.shipTo.phone_is_null)                                           \
            puts("   phone: withheld (null)");                                           \
    } while (0)

/* The first line about a document: event, version, and how the version
 * was chosen. The version policy is the generated code's, not ours: we only
 * report what it did (ev->flags). */
static void print_header(unsigned long number, const shop_any *ev)
{
    printf("#%lu %s", number, ev->event->name);
    if (ev->info) {
        printf(" %s", ev->info->version);
        if (ev->info->published_status != EVG_STATUS_ACTIVE)
            printf(" (%s)", evg_status_name(ev->info->published_status));
    }
    printf(" via %s", ev->wire ? ev->wire->name : "(bare payload)");
    if (ev->event->products)
        printf(", product %s", shop_product_name(ev->event->products));
    putchar('\n');
    /* A newer producer (1.3.2 of a catalog that knows 1.1.0) is parsed as
     * the newest version of the same major: members it added are skipped. */
    if (ev->flags & EVG_FALLBACK)
        printf("   version not known exactly: parsed as %s\n", ev->info->version);
    /* No version in the document at all: the newest one was assumed. */
    if (ev->flags & EVG_VERSION_ASSUMED)
        printf("   no version in the document: assumed %s\n", ev->info->version);
}

static void print_fields(const shop_any *ev)
{
    switch (ev->kind) {
    case SHOP_KIND_ORDER_PLACED_1_0_0: {
        const shop_order_placed_1_0_0 *o = &ev->u.order_placed_1_0_0;
        PRINT_ORDER(*o, shop_order_placed_1_0_0_currency_name(o->currency));
        break;
    }
    case SHOP_KIND_ORDER_PLACED_1_1_0: {
        const shop_order_placed_1_1_0 *o = &ev->u.order_placed_1_1_0;
        PRINT_ORDER(*o, shop_order_placed_1_1_0_currency_name(o->currency));
        if (o->has_channel)
            printf("   channel: %s\n", shop_order_placed_1_1_0_channel_name(o->channel));
        /* Map entries keep the document's order; keys are unique (a
         * duplicate key is a parse error, not a silent overwrite). */
        if (o->has_attributes)
            for (size_t i = 0; i < o->attributes.count; i++)
                printf("   attribute %.*s = %.*s\n", STR(o->attributes.items[i].key),
                       STR(o->attributes.items[i].value));
        break;
    }
    case SHOP_KIND_ORDER_CANCELLED_1_0_0: {
        const shop_order_cancelled_1_0_0 *c = &ev->u.order_cancelled_1_0_0;
        printf("   order %.*s cancelled: %s, ", STR(c->order_ref.orderId),
               shop_order_cancelled_1_0_0_reason_name(c->reason));
        /* Nullable: null (nothing was charged) is not the same as 0. */
        if (c->refundAmount_is_null)
            puts("nothing to refund");
        else
            printf("refund %.2f\n", c->refundAmount);
        break;
    }
    case SHOP_KIND_STOCK_RESERVED_1_0_0: {
        const shop_stock_reserved_1_0_0 *s = &ev->u.stock_reserved_1_0_0;
        printf("   order %.*s: %zu sku(s) reserved at %.*s", STR(s->order_ref.orderId), s->items.count,
               STR(s->warehouse));
        if (s->has_expiresAt)
            printf(" until %.*s", STR(s->expiresAt));
        putchar('\n');
        break;
    }
    case SHOP_KIND_SHIPMENT_REQUESTED_1_0_0: {
        const shop_shipment_requested_1_0_0 *r = &ev->u.shipment_requested_1_0_0;
        printf("   ship order %.*s from %.*s, %s, %zu parcel(s) to %.*s\n", STR(r->orderId),
               STR(r->warehouse), shop_shipment_requested_1_0_0_priority_name(r->priority),
               r->parcels.count, STR(r->deliverTo.city));
        break;
    }
    case SHOP_KIND_PAYMENT_CAPTURED_1_0_0: {
        const shop_payment_captured_1_0_0 *p = &ev->u.payment_captured_1_0_0;
        printf("   charge %.*s: %lld.%02lld %.*s\n", STR(p->id), (long long)(p->amount / 100),
               (long long)(p->amount % 100), STR(p->currency));
        for (size_t i = 0; i < p->metadata.count; i++)
            printf("   metadata %.*s = %.*s\n", STR(p->metadata.items[i].key),
                   STR(p->metadata.items[i].value));
        break;
    }
    /* Dead-letter records: the event they name was refused, and the payload
     * is a report typed by its `reason` (ev->info is NULL: a report has no
     * event version). */
    case SHOP_KIND_OUT_OF_STOCK: {
        const shop_out_of_stock *r = &ev->u.out_of_stock;
        printf("   rejected order %.*s: %.*s out of stock (%lld wanted, %lld left)\n",
               STR(r->orderId), STR(r->sku), (long long)r->requested, (long long)r->available);
        break;
    }
    case SHOP_KIND_PAYMENT_DECLINED: {
        const shop_payment_declined *r = &ev->u.payment_declined;
        printf("   rejected order %.*s: payment declined (%.*s), %s\n", STR(r->orderId),
               STR(r->declineCode), r->retryable ? "retryable" : "final");
        break;
    }
    default:
        /* A kind added to the catalog after this program was written. */
        puts("   (no summary for this kind)");
        break;
    }
}

static void decode(unsigned long number, const char *json, size_t len)
{
    evg_arena arena;
    evg_arena_init(&arena, arena_mem, sizeof arena_mem);
    shop_any ev;
    evg_error err;
    if (!shop_parse_any(json, len, &ev, &arena, 0, &err)) {
        /* "CODE: /json/pointer: message (offset N)" */
        char msg[512];
        evg_error_format(&err, msg, sizeof msg);
        printf("#%lu error: %s\n", number, msg);
        return;
    }
    print_header(number, &ev);
    print_fields(&ev);
    /* The canonical form: compact, members in catalog order, in the
     * envelope it came in. A version member that was present now says the
     * version the document was parsed as (#3: 1.3.2 becomes 1.1.0); an
     * absent one stays absent (#4). Unknown keys are gone. */
    size_t need = shop_serialize_any(&ev, canonical, sizeof canonical, NULL);
    if (need >= sizeof canonical)
        printf("   canonical form too long (%zu bytes)\n", need);
    else
        printf("   %s\n", canonical);
}

static int blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return 0;
    return 1;
}

int main(void)
{
    unsigned long number = 0;
    while (fgets(line, sizeof line, stdin)) {
        number++;
        size_t len = strlen(line);
        if (len && line[len - 1] == '\n') {
            line[--len] = '\0';
        } else if (!feof(stdin)) {
            /* Over LINE_MAX_BYTES: skip the rest of it. */
            int c;
            while ((c = getchar()) != EOF && c != '\n')
                ;
            printf("#%lu error: line longer than %d bytes\n", number, LINE_MAX_BYTES - 2);
            continue;
        }
        if (!blank(line, len))
            decode(number, line, len);
    }
    return ferror(stdin) ? 2 : 0;
}
