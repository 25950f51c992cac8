# METADATA
# title: Consent
# description: |
#   Some categories need the young person's consent on top of a legal basis (health answers
#   shared with the contact person). The case system never sees health; that is in the role's
#   category list, not here.
package ungeprofil.consent

import data.ungeprofil.roles
import rego.v1

# METADATA
# description: |
#   For each category whose consent the role needs and the young person's facts do not
#   record as given, the sentence that says which consent is missing.
missing(facts) := {category: needed.reason |
	some category
	needed := roles.consents_needed[category]
	object.get(facts, needed.fact, false) != true
}

# METADATA
# description: The facts that record the consents the role needs.
facts_read(role) := {needed.fact | some needed in object.get(roles.catalogue.roles, [role, "consent_required"], {})}
