# METADATA
# title: Roles, their purposes and categories
# description: What each role may ask for and why, read from data.ungeprofil.catalogue.roles.
package ungeprofil.roles

import rego.v1

catalogue := data.ungeprofil.catalogue

# METADATA
# description: The role named in the request, if the catalogue knows it.
role := input.subject.role if catalogue.roles[input.subject.role]

known_role if role

# METADATA
# description: The request's purpose is one the catalogue knows and the role may use.
purpose_allowed if input.purpose in catalogue.roles[role].purposes

# METADATA
# description: The role may see this category at all (before relationship, basis and consent).
sees(category) if category in catalogue.roles[role].categories

# METADATA
# description: The consent the role needs for this category, if any ({"fact", "reason"}).
consent_needed(category) := consents_needed[category]

# METADATA
# description: The consents the role needs, by category ({"fact", "reason"}).
consents_needed := catalogue.roles[role].consent_required
