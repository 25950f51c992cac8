# METADATA
# title: The decision for one (request, young person), or for many young people at once
# description: |
#   One document answers every category of the catalogue at once, so the gateway asks once per
#   request and young person. Deny by default: each category walks the checks below in order
#   and the first one that fails gives the reason; only a category that passes all of them is
#   allowed. The checks before the relationship do not look at the facts, and the relationship
#   check gives one sentence whatever the facts say, so the answer never reveals whether a
#   register knows the CPR.
#
#   Everything that depends only on the caller, the purpose and the date is a rule of its own,
#   evaluated once per query; what depends on the young person (the relationship and the
#   consents) is a function of (cpr, facts). `result` decides for input.cpr and input.facts;
#   `batch` decides for every {cpr, facts} in input.people with the same caller, purpose and
#   date, in one query. Both go through `document`, so they cannot disagree.
#
#   Written for rego-cpp 1.5, which is slow on iterations over data (~20 µs a step): the
#   per-category work walks the role's own categories and legal bases, looked up in
#   data.ungeprofil.index (derived from the catalogue when it is loaded, checked against it by
#   index_test.rego), rather than every basis for every category.
# entrypoint: true
package ungeprofil.decision

import data.ungeprofil.actions
import data.ungeprofil.consent
import data.ungeprofil.legal_basis
import data.ungeprofil.relationships
import data.ungeprofil.roles
import rego.v1

catalogue := data.ungeprofil.catalogue

index := data.ungeprofil.index

requested_role := object.get(input, ["subject", "role"], null)

requested_purpose := object.get(input, "purpose", null)

default purpose_allowed := false

purpose_allowed if roles.purpose_allowed

# METADATA
# description: The decision document (README.md) for input.cpr and input.facts.
result := document(object.get(input, "cpr", null), object.get(input, "facts", {}))

# METADATA
# description: |
#   The decisions for every young person in input.people (each {"cpr", "facts"}), with the
#   caller, purpose and date of the input: `documents` holds each distinct decision document
#   once, under a key; `people` gives each young person's key, in the order of input.people.
#   A document is a function of the request and its key alone, so a caller that already has
#   the documents of some keys for this request lists them in input.known, and `documents`
#   leaves them out.
batch := {"documents": documents, "people": people_keys}

people_keys := [json.marshal(key) | some key in person_keys]

documents := {name: decision_document(key[0], key[1], key[2]) |
	some key in distinct_keys
	name := json.marshal(key)
	not known_keys[name]
}

known_keys := {name | some name in object.get(input, "known", [])}

person_keys := [person_key(person) | some person in input.people]

distinct_keys := {key | some key in person_keys}

# What a young person's decision depends on besides the request: the relationship (or null),
# the missing consents and, for an action other than READ, the requirements on their facts that
# hold (decision_document reads nothing else of the young person).
# (READ needs no facts requirement: `reads` is decided once per query, and rego-cpp pays
# ~0.7 ms for every call of a function that is given the facts.)
person_key(person) := [relationship_of(object.get(person, "cpr", null), facts), consent.missing(facts), set()] if {
	reads
	facts := visible_facts(object.get(person, "facts", {}))
} else := [relationship_of(object.get(person, "cpr", null), facts), consent.missing(facts), actions.facts_met(facts)] if {
	facts := visible_facts(object.get(person, "facts", {}))
}

# METADATA
# description: The decision document for the young person with this CPR and these facts.
document(cpr, raw_facts) := decision_document(relationship_of(cpr, facts), consent.missing(facts), set()) if {
	reads
	facts := visible_facts(raw_facts)
} else := decision_document(relationship_of(cpr, facts), consent.missing(facts), actions.facts_met(facts)) if {
	facts := visible_facts(raw_facts)
}

reads if actions.action == "READ"

# METADATA
# description: |
#   The facts the rules may read for the caller's role: those its relationships read and the
#   consents it needs (relationships.facts_read, the catalogue's consent_required) and, for an
#   action other than READ, those its requirements read (actions.action_facts). Nothing else
#   can change a decision, so an engine may leave the other facts out of its input.
visible_facts(facts) := object.filter(facts, role_facts) if is_object(facts)

else := {}

role_facts := facts_read_by(requested_role) if {
	actions.action == "READ"
} else := facts_read_by(requested_role) | actions.action_facts(requested_role)

facts_read_by(role) := object.get(relationships.facts_read, role, set()) | consent.facts_read(role)

# METADATA
# description: |
#   The facts read for each role, when it reads categories ("read") and when it takes another
#   action ("act"); the embedded engine asks for this once, at start-up.
facts_read := {role: {"read": facts_read_by(role), "act": facts_read_by(role) | actions.action_facts(role)} |
	some role in roles_named
}

roles_named := object.keys(catalogue.roles) | object.keys(relationships.facts_read)

relationship_of(cpr, facts) := name if {
	name := relationships.between(cpr, facts)
} else := null

# METADATA
# description: |
#   The decision document for a young person with this relationship (or null) and these
#   missing consents. It reads nothing else of the young person (never input.cpr or
#   input.facts), so engines may keep documents by request and key (cache.DocumentCache).
decision_document(relationship, missing_consents, met_facts) := {
	"policy_version": catalogue.policy_version,
	"purpose_allowed": purpose_allowed,
	"relationship": relationship,
	"categories": verdicts_of_action(relationship, missing_consents, met_facts),
}

# METADATA
# description: |
#   READ decides the data categories (below); every other action decides the resources of
#   its row in the catalogue's `actions` table (actions.rego), in the same shape.
verdicts_of_action(relationship, missing_consents, met_facts) := verdicts(relationship, missing_consents) if {
	actions.action == "READ"
} else := actions.resource_verdicts(relationship, met_facts)

# METADATA
# description: |
#   The verdict on every category of the catalogue; the first failing check gives the reason:
#   the request (role, purpose, date), the role's categories, the relationship, the legal
#   basis, the consent.
verdicts(relationship, missing_consents) := request_denied if {
	request_denial
} else := object.union(not_of_role, no_relationship) if {
	relationship == null
} else := object.union_n([
	not_of_role,
	no_legal_basis,
	{category: deny("no_consent", missing_consents[category]) |
		some category in object.keys(missing_consents) & categories_with_basis
	},
	{category: allowed(relationship, bases_in_force[category]) |
		some category in categories_with_basis - object.keys(missing_consents)
	},
	derived_denied,
])

deny(rule, reason) := {"allow": false, "reason": reason, "legal_bases": [], "rule": rule}

# METADATA
# description: |
#   A category derived from others (the catalogue's `derived_from`: `deadlines` from plan,
#   casework, benefits and dropout_risk) is allowed only where every one of them is allowed to
#   the same caller, so it shows nothing the caller could not see. It depends on the request
#   alone (the role's categories and the bases in force today): the catalogue test keeps the
#   sources free of consents, which would make it depend on the young person.
derived_denied := {category: deny("derived_source_denied", derived_reasons[category]) |
	some category in object.keys(derived_unseen) & categories_with_basis
}

# The derived categories some source of which the role may not see today (not among its
# categories, or without a legal basis in force), with those sources.
derived_unseen := {category: unseen |
	some category in object.keys(index.derived_from)
	unseen := [source | some source in index.derived_from[category]; not source in categories_with_basis]
	count(unseen) > 0
}

derived_reasons := {category: reason |
	some category in object.keys(derived_unseen)
	reason := concat("", [category, " is derived from ", concat(", ", index.derived_from[category]), ", and this caller may not see ", concat(", ", derived_unseen[category])])
}

allowed(relationship, legal_bases) := {
	"allow": true,
	"reason": relationships.descriptions[relationship],
	"legal_bases": legal_bases,
	# concat, not sprintf: rego-cpp 1.5 quotes a `%v` string that reached a function as a
	# constant argument.
	"rule": concat(".", ["allow", relationship]),
}

# METADATA
# description: A reason that denies every category of this request, whatever the category.
request_denial := deny("unknown_role", sprintf("role %v is not known to the policy", [requested_role])) if {
	not roles.known_role
} else := deny("unknown_purpose", sprintf("purpose %v is not known to the policy", [requested_purpose])) if {
	not catalogue.purposes[requested_purpose]
} else := deny("purpose_not_of_role", sprintf("purpose %v is not a purpose of role %v", [requested_purpose, requested_role])) if {
	not roles.purpose_allowed
} else := deny("no_personal_data", sprintf("role %v sees no personal data", [requested_role])) if {
	count(object.get(catalogue.roles[roles.role], "categories", [])) == 0
} else := deny("no_valid_date", "the request has no valid decision date") if {
	not relationships.today
}

request_denied := {category: request_denial | some category in category_names}

# Rego-cpp 1.5 note: the comprehensions here walk sets of keys (`some k in object.keys(x)`),
# never `some k; x[k]` over data, which rego-cpp evaluates very slowly next to a `not`.
category_names := object.keys(catalogue.categories)

# METADATA
# description: |
#   The categories of the catalogue the role may see, each with the ids of the legal bases
#   that name the role and the category (sorted; in force or not): data.ungeprofil.index.
role_categories := index.legal_bases_by_role[roles.role]

role_category_names := object.keys(role_categories)

not_of_role := {category: deny("category_not_of_role", sprintf("role %v may not see %v", [requested_role, category])) |
	some category in category_names - role_category_names
}

no_relationship := {category: no_relationship_verdict | some category in role_category_names}

no_relationship_verdict := deny("no_relationship", "no current relationship to this young person")

no_legal_basis := {category: deny("no_legal_basis", sprintf("no legal basis in force for %v", [category])) |
	some category in role_category_names - categories_with_basis
}

# METADATA
# description: The ids of the legal bases in force today for each category the role may see.
bases_in_force := {category: ids |
	some category in role_category_names
	ids := sort([id | some id in role_categories[category]; role_bases_today[id]])
	count(ids) > 0
}

categories_with_basis := object.keys(bases_in_force)

# The bases in force today that name the role, so the per-category step above only looks
# at a handful of bases.
role_bases_today := {id |
	some id in index.legal_bases_of_role[roles.role]
	legal_basis.in_force(id, relationships.today)
}
