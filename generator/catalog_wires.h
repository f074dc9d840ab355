/* catalog_wires.h - what a wire of a checked catalog reads, and which
 * events travel in it: questions the docs, JSON Schema and diff back ends
 * all ask, answered in one place.
 *
 * Recursion follows an envelope's levels, which the checker bounds
 * (CHECK_MAX_WIRE_DEPTH). */
#ifndef EVGEN_CATALOG_WIRES_H
#define EVGEN_CATALOG_WIRES_H

#include <stdbool.h>

#include "model.h"

/* Whether some member of ms, at any level, has the role. */
bool members_have_role(const member_list *ms, member_role role);

/* Whether a document of wire (or form) w can state its event's version:
 * a version member in the envelope, or payload_version. A document of a
 * wire that cannot is read as the event's newest version
 * (docs/dispatch.md, "The version policy"). */
bool wire_states_version(const wire *w);

/* Whether event e travels in wire w, or in the wire of form w. */
bool wire_carries(const wire *w, const event *e);

/* Whether some document of e that states no version is read as e's newest
 * version, rather than rejected: e does not require its version, or it
 * travels in a wire (or a form of one, without `select`) that cannot state
 * it, or in no wire at all (a bare payload names no version). */
bool event_reads_versionless(const event *e);

#endif
