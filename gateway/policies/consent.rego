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
# description: The role needs a consent for this category and the facts do not record it as given.
missing(category) if {
	needed := roles.consent_needed(category)
	object.get(input, ["facts", needed.fact], false) != true
}

# METADATA
# description: The sentence that says which consent is missing.
reason(category) := roles.consent_needed(category).reason
