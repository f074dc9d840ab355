/* catalog_check.h - the rules that need the whole catalog, and resolution.
 *
 * catalog_check validates a loaded catalog (unique events, versions,
 * properties and enum values; semantic versions in increasing order; dates
 * in order and consistent with the status; shapes defined, acyclic and not
 * shadowed; every name usable as a C identifier) and resolves it: `extends` lists are expanded in front of the
 * owner's own properties and shape-typed properties become PROP_OBJECT
 * with the shape's resolved properties, as model.h describes. Reports every
 * problem through d; returns true when there was none. */
#ifndef EVGEN_CATALOG_CHECK_H
#define EVGEN_CATALOG_CHECK_H

#include <stdbool.h>

#include "diag.h"
#include "model.h"

/* Limits that keep the resolved model small whatever the catalog says. */
#define CHECK_MAX_SHAPE_DEPTH 64     /* shapes inside shapes */
#define CHECK_MAX_EXPANDED 100000    /* properties of one version, fully expanded */
#define CHECK_MAX_MERGED 1000000     /* entries of all the lists `extends` builds */
#define CHECK_MAX_WIRE_DEPTH 8       /* levels of an envelope */
#define CHECK_MAX_WIRES 255          /* wires and forms */
#define CHECK_MAX_WIRE_MEMBERS 256   /* members of one wire, at every level */
#define CHECK_MAX_PRODUCTS 32        /* products: bits of an unsigned mask */
#define CHECK_MAX_LITERAL 1024       /* bytes of a name or value, which become C literals */

bool catalog_check(catalog *c, diag *d);

/* MAJOR.MINOR.PATCH, decimal, no leading zeros, each part below 2^31. */
bool semver_parse(const char *s, semver *out);
int semver_compare(semver a, semver b);
int civil_date_compare(civil_date a, civil_date b);

#endif
