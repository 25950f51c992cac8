# METADATA
# title: The decision for one (request, young person)
# description: |
#   One document answers every category of the catalogue at once, so the gateway asks once per
#   request and young person. Deny by default: each category walks the checks below in order
#   and the first one that fails gives the reason; only a category that passes all of them is
#   allowed. The checks before the relationship do not look at the facts, and the relationship
#   check gives one sentence whatever the facts say, so the answer never reveals whether a
#   register knows the CPR.
#
#   Everything that does not depend on the category is a rule of its own, so an engine
#   evaluates it once per request rather than once per category.
# entrypoint: true
package ungeprofil.decision

import data.ungeprofil.consent
import data.ungeprofil.legal_basis
import data.ungeprofil.relationships
import data.ungeprofil.roles
import rego.v1

catalogue := data.ungeprofil.catalogue

requested_role := object.get(input, ["subject", "role"], null)

requested_purpose := object.get(input, "purpose", null)

default purpose_allowed := false

purpose_allowed if roles.purpose_allowed

default relationship := null

relationship := relationships.current

# METADATA
# description: The decision document (README.md); every category of the catalogue appears.
result := {
	"policy_version": catalogue.policy_version,
	"purpose_allowed": purpose_allowed,
	"relationship": relationship,
	"categories": {category: verdict(category) | some category; catalogue.categories[category]},
}

deny(rule, reason) := {"allow": false, "reason": reason, "legal_bases": [], "rule": rule}

# METADATA
# description: A reason that denies every category of this request, whatever the category.
request_denial := deny("unknown_role", sprintf("role %v is not known to the policy", [requested_role])) if {
	not roles.known_role
} else := deny("unknown_purpose", sprintf("purpose %v is not known to the policy", [requested_purpose])) if {
	not catalogue.purposes[requested_purpose]
} else := deny("purpose_not_of_role", sprintf("purpose %v is not a purpose of role %v", [requested_purpose, requested_role])) if {
	not roles.purpose_allowed
} else := deny("no_personal_data", sprintf("role %v sees no personal data", [requested_role])) if {
	count(role_categories) == 0
} else := deny("no_valid_date", "the request has no valid decision date") if {
	not relationships.today
}

role_categories := {category | some category in catalogue.roles[roles.role].categories}

no_relationship := deny("no_relationship", "no current relationship to this young person")

# METADATA
# description: The ids of the legal bases in force today for each category the role may see.
bases_in_force := {category: ids |
	some category in role_categories
	ids := legal_basis.covering(role_bases_today, roles.role, category)
	count(ids) > 0
}

# The bases in force today that name the role at all, so the per-category step above only
# looks at a handful of bases (rego-cpp is slow on comprehensions over data).
role_bases_today := {id |
	some id in legal_basis.in_force_on(relationships.today)
	roles.role in catalogue.legal_bases[id].roles
}

# METADATA
# description: For each category whose consent is missing, the sentence that says so.
consent_missing := {category: consent.reason(category) |
	some category in role_categories
	consent.missing(category)
}

allowed(category) := {
	"allow": true,
	"reason": relationships.description,
	"legal_bases": bases_in_force[category],
	"rule": sprintf("allow.%v", [relationships.current]),
}

# METADATA
# description: The verdict on one category; the first failing check gives the reason.
verdict(category) := request_denial if {
	request_denial
} else := deny("category_not_of_role", sprintf("role %v may not see %v", [requested_role, category])) if {
	not role_categories[category]
} else := no_relationship if {
	not relationships.current
} else := deny("no_legal_basis", sprintf("no legal basis in force for %v", [category])) if {
	not bases_in_force[category]
} else := deny("no_consent", consent_missing[category]) if {
	consent_missing[category]
} else := allowed(category)
