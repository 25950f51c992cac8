# METADATA
# title: Legal bases in force
# description: |
#   Legal bases are data (data.ungeprofil.catalogue.legal_bases). A basis counts on the decision
#   date only if its `from` is a date on or before it and its optional `to` is not before it.
#   A proposed basis has no `from` and never counts.
package ungeprofil.legal_basis

import data.ungeprofil.dates
import rego.v1

bases := data.ungeprofil.catalogue.legal_bases

# METADATA
# description: The basis with this id is in force on `day`.
in_force(id, day) if dates.active_on(bases[id], day)

# METADATA
# description: The ids of all bases in force on `day`.
in_force_on(day) := {id | some id; bases[id]; in_force(id, day)}

# METADATA
# description: |
#   Of the bases `ids` (those in force, say), the ones that let `role` process `category`,
#   sorted. Callers pass the ids in force once, so the dates are checked once per request
#   rather than once per category.
covering(ids, role, category) := sort([id |
	some id in ids
	role in bases[id].roles
	category in bases[id].categories
])

# METADATA
# description: Ids of the bases in force on `day` that let `role` process `category`, sorted.
in_force_for(role, category, day) := covering(in_force_on(day), role, category)
