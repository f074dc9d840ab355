/* catalog_wires.c - questions about wires (catalog_wires.h). */
#include "catalog_wires.h"

#include <stddef.h>

bool members_have_role(const member_list *ms, member_role role)
{
    for (size_t i = 0; i < ms->count; i++) {
        const wire_member *m = ms->items[i];
        if (m->role == role || (m->role == ROLE_OBJECT && members_have_role(&m->members, role)))
            return true;
    }
    return false;
}

bool wire_states_version(const wire *w)
{
    return w->payload_version || members_have_role(&w->members, ROLE_VERSION);
}

bool wire_carries(const wire *w, const event *e)
{
    const wire *base = w->base ? w->base : w;
    for (size_t i = 0; i < e->wire_names.count; i++)
        if (e->wires && e->wires[i] == base)
            return true;
    return false;
}

bool event_reads_versionless(const event *e)
{
    if (!e->version_required || e->wire_names.count == 0)
        return true;
    for (size_t i = 0; i < e->wire_names.count; i++) {
        const wire *w = e->wires ? e->wires[i] : NULL;
        if (!w)
            continue;
        if (!wire_states_version(w))
            return true;
        /* A form with `select` carries reports, not the event. */
        for (size_t f = 0; f < w->form_count; f++)
            if (!w->forms[f]->select && !wire_states_version(w->forms[f]))
                return true;
    }
    return false;
}
