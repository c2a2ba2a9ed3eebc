/* differences.h — the table of what an older version's document says
 * differently from the newest one, generated at start from the two
 * documents (never written by hand), so that records kept in the newest
 * shape can be answered in the older one (contract/conform.h walks it).
 *
 * Every schema of the older document gets a node: its type, enum members,
 * format, properties (sorted by name, each with its own node, whether the
 * version requires it and whether it may be null there) and items. Each
 * node is then compared with the schema of the newest document it stands
 * for: the component of the same name and, below it, the property of the
 * same name. The comparison yields the rows of the table:
 *   dropped   a property of the newest the version lacks (left out)
 *   added     a property only the version has (filled when it requires it)
 *   renamed   an added property that takes the value of a dropped one of
 *             the same kind and a similar name (reportParemeters, once
 *             reportParameters; managedVmPrice, now remoteManagedVmPrice)
 *   retyped   a different type or format (an identity provider's
 *             configuration: an object now, a string in 3.5.1)
 *   enum      members of the newest the version lacks
 *   required  a property the version requires that the newest may omit
 *   nullable  a property the newest may answer null and the version may not
 * A node whose values may differ in type or enum member ("checked": retyped,
 * enum, or a schema no newest one stands for) has its values checked one by
 * one; every other node only loses nulls and undescribed members.
 */
#ifndef VSPC_DIFFERENCES_H
#define VSPC_DIFFERENCES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "contract/schema.h"

typedef enum diff_kind {
    DIFF_DROPPED,
    DIFF_ADDED,
    DIFF_RENAMED,
    DIFF_RETYPED,
    DIFF_ENUM,
    DIFF_REQUIRED,
    DIFF_NULLABLE,
    DIFF_KINDS
} diff_kind;

typedef enum diff_type {
    DT_ANY, /* no type: anything goes */
    DT_OBJECT,
    DT_ARRAY,
    DT_STRING,
    DT_INTEGER,
    DT_NUMBER,
    DT_BOOLEAN,
    DT_ENUM, /* a string of the listed members */
} diff_type;

typedef struct diff_node diff_node;

typedef struct diff_prop {
    const char *name;     /* in the older document (borrowed) */
    const char *from;     /* renamed: the newest document's name, else NULL */
    const json_t *schema; /* the property's schema in the older document */
    diff_node *node;
    bool required;        /* the older document requires it */
    bool nullable;        /* the older document allows null */
} diff_prop;

struct diff_node {
    const json_t *schema;  /* the older document's schema, resolved */
    diff_type type;
    const char *format;    /* uuid, date-time, date, or NULL */
    const json_t *members; /* DT_ENUM: the older document's members */
    bool has_unknown;      /* DT_ENUM: "Unknown" is a member */
    bool checked;          /* values are checked one by one (above) */
    bool paired;           /* compared with a schema of the newest */
    /* DT_OBJECT */
    diff_prop *props;      /* sorted by name */
    size_t nprops;
    bool closed;           /* members it does not describe are left out */
    diff_node *extra;      /* additionalProperties schema, or NULL */
    bool extra_nullable;
    /* DT_ARRAY */
    diff_node *items;
    bool items_nullable;
};

typedef struct differences differences;

/* The table of older against newest (both borrowed; they must outlive
 * it). NULL when out of memory. */
differences *differences_build(const schema_ctx *older, const schema_ctx *newest);
void differences_free(differences *d);

/* The node of a schema of the older document (as the operation or a
 * property names it), or NULL when the table has none for it. */
const diff_node *differences_node(const differences *d, const json_t *schema);

/* The property `name` of an object node, or NULL. */
const diff_prop *differences_prop(const diff_node *n, const char *name);

/* The older document's context with nullability as it states it: what
 * values filled in for its clients are generated with. */
const schema_ctx *differences_older(const differences *d);

/* Rows of the table of one kind (for the start-up log and the tests). */
size_t differences_count(const differences *d, diff_kind kind);
const char *differences_kind_name(diff_kind kind);

#endif
