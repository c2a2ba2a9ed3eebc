/* billing.c — each month's end closes an invoice per company
 * (simulation.json "billing"): one charge per counted usage (records of a
 * type the company owns) at its subscription plan's price, the plan's
 * discount and tax, in the plan's currency; net = list - discount,
 * gross = net + tax, the totals the sums of the charges and the amount the
 * gross. Companies go in batches of the file's size, a cursor (sim_state)
 * keeping where the month's close has got to. */
#include "sim/sim_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/rng.h"
#include "base/uuid.h"
#include "tenancy/owners.h"

#define OPEN_KEY "billing_open"
#define CURSOR_KEY "billing_cursor"

static double cents(double v)
{
    return round(v * 100) / 100;
}

void billing_init(simulation *s, int64_t now)
{
    if (sim_state_get(s, OPEN_KEY, INT64_MIN) == INT64_MIN)
        sim_state_set(s, OPEN_KEY, clock_month_start(now));
}

int64_t billing_next_event(simulation *s)
{
    int64_t open = sim_state_get(s, OPEN_KEY, INT64_MIN);
    return open == INT64_MIN ? INT64_MAX : clock_next_month(open);
}

static void invoice(simulation *s, const json_t *cfg, const char *company_uid, json_t *company,
                    int64_t from, int64_t to)
{
    const char *plan_uid = json_string_value(
        json_pointer_get(company, json_string_value(json_object_get(cfg, "plan"))));
    json_t *plan = NULL;
    if (!plan_uid || store_get(s->st, "SubscriptionPlan", plan_uid, &plan, NULL) != STORE_OK)
        return; /* a company without a plan is not invoiced */
    double discount_pc = json_number_value(json_object_get(plan, "discountPercent"));
    double tax_pc = json_number_value(json_object_get(plan, "taxPercent"));
    json_t *charges = json_array();
    double tnet = 0, tgross = 0, tdisc = 0, ttax = 0;
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(cfg, "charges"), i, c) {
        int64_t qty = sim_sql_int(s, "SELECT count(*) FROM records WHERE type = ? AND org = ?",
                                  json_pack("[ss]", json_string_value(json_object_get(c, "type")),
                                            company_uid),
                                  0);
        double price =
            json_number_value(json_pointer_get(plan, json_string_value(json_object_get(c, "price"))));
        double list = cents((double)qty * price), disc = cents(list * discount_pc / 100);
        double net = cents(list - disc), tax = cents(net * tax_pc / 100), gross = cents(net + tax);
        tnet += net, tdisc += disc, ttax += tax, tgross += gross;
        json_array_append_new(charges,
                              json_pack("{s:O, s:O, s:f, s:f, s:f, s:f, s:f}", "category",
                                        json_object_get(c, "category"), "measure",
                                        json_object_get(c, "measure"), "quantity", (double)qty,
                                        "net", net, "gross", gross, "discount", disc, "tax", tax));
    }
    char uid[UUID_STR_LEN], from_text[CLOCK_TEXT_LEN], to_text[CLOCK_TEXT_LEN],
        due_text[CLOCK_TEXT_LEN], name[256];
    uuid_from_seed(rng_mix_u64(rng_mix(rng_mix(s->seed, "invoice"), company_uid), (uint64_t)to), uid);
    clock_format(from, from_text, sizeof from_text);
    clock_format(to - 1000, to_text, sizeof to_text);
    int64_t due_days = json_integer_value(json_object_get(cfg, "dueDays"));
    clock_format(to + due_days * 86400000, due_text, sizeof due_text);
    char created[CLOCK_TEXT_LEN];
    clock_format(to, created, sizeof created);
    time_t month = (time_t)(from / 1000);
    struct tm tm;
    gmtime_r(&month, &tm);
    char month_text[32];
    strftime(month_text, sizeof month_text, "%B %Y", &tm);
    const char *cname = json_string_value(json_object_get(company, "name"));
    snprintf(name, sizeof name, "%s, %s", cname ? cname : company_uid, month_text);
    json_t *body = json_pack(
        "{s:{s:{s:s, s:s}, s:o, s:f, s:f, s:f, s:f}, s:s, s:s, s:s, s:f, s:O?, s:s, s:s, s:n, s:s,"
        " s:s, s:s}",
        "data", "period", "fromDate", from_text, "toDate", to_text, "charges", charges, "totalNet",
        cents(tnet), "totalGross", cents(tgross), "totalDiscount", cents(tdisc), "totalTax",
        cents(ttax), "name", name, "organizationUid", company_uid, "instanceUid", uid, "amount",
        cents(tgross), "currencyCode", json_object_get(plan, "currency"), "subscriptionPlanUid",
        plan_uid, "creationDate", created, "paidDate", "dueDate", due_text, "status", "Unpaid",
        "type", "Invoice");
    const char *type = json_string_value(json_object_get(cfg, "invoice"));
    /* listed under /organizations/companies/{companyUid}/billing/invoices */
    json_t *scope = json_pack("{s:s}", json_string_value(json_object_get(cfg, "scopeKey")), company_uid);
    store_record rec = {.type = type, .uid = uid, .body = body, .scope = scope};
    if (store_put(s->st, &rec, false) == STORE_OK)
        owners_derive_one(s->st, s->app->owners, type, uid);
    json_decref(scope);
    json_decref(body);
    json_decref(plan);
}

bool billing_close(simulation *s, int64_t month_end)
{
    const json_t *cfg = json_object_get(s->params, "billing");
    int64_t from = sim_state_get(s, OPEN_KEY, clock_month_start(month_end - 1));
    int64_t cursor = sim_state_get(s, CURSOR_KEY, 0);
    json_t *rows = NULL;
    sim_sql(s, "SELECT seq, uid, body FROM records WHERE type = ? AND seq > ? ORDER BY seq LIMIT ?",
            json_pack("[sII]", json_string_value(json_object_get(cfg, "company")), (json_int_t)cursor,
                      (json_int_t)s->batch),
            (size_t)s->batch, &rows);
    size_t n = json_array_size(rows), i;
    json_t *row;
    store_begin(s->st);
    json_array_foreach(rows, i, row) {
        json_t *company = json_loads(json_string_value(json_array_get(row, 2)), 0, NULL);
        if (company)
            invoice(s, cfg, json_string_value(json_array_get(row, 1)), company, from, month_end);
        json_decref(company);
        cursor = json_integer_value(json_array_get(row, 0));
    }
    bool done = n < (size_t)s->batch;
    if (done) {
        sim_state_set(s, OPEN_KEY, month_end);
        sim_state_set(s, CURSOR_KEY, 0);
    } else
        sim_state_set(s, CURSOR_KEY, cursor);
    store_commit(s->st);
    json_decref(rows);
    return done;
}
