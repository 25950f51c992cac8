# METADATA
# title: Actions other than reading categories
# description: |
#   Every decision is about an action (POLICY.md "Actions"): READ of data categories is decided
#   in decision.rego; the other actions — READ_LOG (the young person's own access log, the
#   privacy officer's audit log), READ_POLICY (the privacy officer's review of the policy) and,
#   as they arrive, WRITE and AGGREGATE — are decided here, from the catalogue's `actions`
#   table: for each action its resources, and for each resource the roles granted it with their
#   purposes, what must hold (`requires`) and the legal bases the grant rests on.
#
#   The verdicts have the shape of category verdicts, keyed by resource, so one decision
#   document, one engine protocol and one audit path serve every action. Deny by default: a
#   resource, role, purpose or requirement the table does not name is denied.
#
#   rego-cpp 1.5 crashes when two packages define functions of the same name, hence
#   `refusal` and `resource_verdicts` rather than decision.rego's `deny` and `verdicts`.
package ungeprofil.actions

import data.ungeprofil.dates
import data.ungeprofil.legal_basis
import data.ungeprofil.relationships
import rego.v1

catalogue := data.ungeprofil.catalogue

# METADATA
# description: The action the request asks to take; one that names none reads categories.
action := object.get(input, "action", "READ")

role := object.get(input, ["subject", "role"], null)

purpose := object.get(input, "purpose", null)

resources := object.get(catalogue, ["actions", action, "resources"], {})

# METADATA
# description: |
#   The verdict on every resource of the action, for this relationship (or null) and the
#   requirements on the young person's facts that hold (`facts_met`, part of the policy's key
#   for a young person in decision.rego, so a cached document is only reused for a young
#   person the same requirements hold for).
resource_verdicts(relationship, met_facts) := {name: verdict(name, resources[name], met) |
	met := met_requirements(relationship) | met_facts
	some name in object.keys(resources)
}

# METADATA
# description: The requirements about the caller that hold for this relationship (or null).
met_requirements(relationship) := {requirement |
	some requirement in caller_requirements
	requirement_met(requirement, relationship)
}

caller_requirements := {"self", "own_municipality", "relationship", "asked_own_municipality"}

# METADATA
# description: |
#   The requirements on the young person's facts that hold (a set of names; empty for READ,
#   which never needs them). Each is a rule over the facts alone, plus the request's target.
facts_met(facts) := set() if {
	action == "READ"
} else := {name |
	some name in fact_requirements
	fact_holds(name, facts)
}

fact_requirements := {"education_order", "admitted_here", "enrolled_here", "same_municipality"}

# METADATA
# description: The facts the requirements of the action table read, for a role granted any.
action_facts(role) := {"education_order", "enrolments", "municipality"} if {
	some action_name in object.keys(catalogue.actions)
	some resource in object.keys(catalogue.actions[action_name].resources)
	catalogue.actions[action_name].resources[resource].grants[role]
	some requirement in catalogue.actions[action_name].resources[resource].grants[role].requires
	requirement in fact_requirements
} else := set()

refusal(rule, reason) := {"allow": false, "reason": reason, "legal_bases": [], "rule": rule}

verdict(resource, spec, met) := refusal("action_not_of_role", sprintf("role %v may not %v %v", [role, action, resource])) if {
	not spec.grants[role]
} else := refusal("purpose_not_of_grant", sprintf("purpose %v is not a purpose of role %v for %v", [purpose, role, resource])) if {
	not purpose_granted(spec.grants[role])
} else := refusal("requirement_not_met", requirement_reasons[first_unmet(spec.grants[role].requires, met)]) if {
	first_unmet(spec.grants[role].requires, met)
} else := refusal("no_legal_basis", sprintf("no legal basis in force for %v %v", [action, resource])) if {
	count(bases_in_force(spec.grants[role])) == 0
} else := {
	"allow": true,
	"reason": spec.grants[role].reason,
	"legal_bases": bases_in_force(spec.grants[role]),
	"rule": concat(".", array.concat(["allow_action"], spec.grants[role].requires)),
}

purpose_granted(grant) if purpose in grant.purposes

# The first requirement of the grant (in its own order) that does not hold; undefined if all do.
first_unmet(requires, met) := unmet[0] if {
	unmet := [requirement | some requirement in requires; not requirement in met]
	count(unmet) > 0
}

bases_in_force(grant) := sort([id |
	some id in grant.legal_bases
	legal_basis.in_force(id, relationships.today)
])

# The same sentence whether the CPR is unknown or the facts fail: the answer must not tell
# which (no relationship, no existence).
requirement_reasons := {
	"self": "a young person acts only on their own data",
	"own_municipality": "the caller has no municipality whose log they supervise",
	"relationship": "no current relationship to this young person",
	"education_order": "no current relationship to this young person",
	"admitted_here": "no current relationship to this young person",
	"enrolled_here": "no current relationship to this young person",
	"same_municipality": "no current relationship to this young person",
	"asked_own_municipality": "a manager sees aggregates of their own municipality only",
}

# METADATA
# description: |
#   What a grant requires of the caller: "self" — the young person is the caller
#   (relationships.holds "self"); "own_municipality" — the caller's token names a municipality
#   (4 digits), the only one they supervise; "relationship" — the role's POLICY.md relationship
#   holds today. (Written as comparisons in the body: rego-cpp 1.5 does not match a string
#   constant in a function's argument list.)
requirement_met(requirement, relationship) if {
	requirement == "self"
	relationship == "self"
}

requirement_met(requirement, _) if {
	requirement == "own_municipality"
	code := object.get(input, ["subject", "municipality"], "")
	is_string(code)
	count(code) == 4
	regex.match(`^[0-9]+$`, code)
}

requirement_met(requirement, relationship) if {
	requirement == "relationship"
	relationship != null
}

# METADATA
# description: |
#   "asked_own_municipality" — the municipality the request asks about (input.target.municipality:
#   a report's) is the caller's own, both 4 digits: a team leader counts their own municipality's
#   deadlines, never another's.
requirement_met(requirement, _) if {
	requirement == "asked_own_municipality"
	code := object.get(input, ["subject", "municipality"], "")
	is_string(code)
	count(code) == 4
	object.get(input, ["target", "municipality"], null) == code
}

# METADATA
# description: |
#   What a grant requires of the young person's facts: "education_order" — an active education
#   order; "admitted_here" — admitted or enrolled, not ended, at the institution the request
#   targets (input.target.institution: the school of the admission a support need is for);
#   "enrolled_here" — enrolled at the caller's own institution, started and not ended, with an
#   active order (a school's duty to report dropout risk lasts while the young person is
#   enrolled: no six-month window); "same_municipality" — the young person lives in the caller's
#   municipality.
fact_holds(name, facts) if {
	name == "education_order"
	facts.education_order.active == true
}

fact_holds(name, facts) if {
	name == "admitted_here"
	target := object.get(input, ["target", "institution"], null)
	is_string(target)
	some enrolment in facts.enrolments
	enrolment.institution == target
	enrolment.status in {"ADMITTED", "ENROLLED"}
	dates.not_ended({"to": object.get(enrolment, "ends_on", null)}, relationships.today)
}

fact_holds(name, facts) if {
	name == "enrolled_here"
	facts.education_order.active == true
	some enrolment in facts.enrolments
	enrolment.institution == input.subject.org
	enrolment.status == "ENROLLED"
	dates.is_date(enrolment.starts_on)
	enrolment.starts_on <= relationships.today
	dates.not_ended({"to": object.get(enrolment, "ends_on", null)}, relationships.today)
}

fact_holds(name, facts) if {
	name == "same_municipality"
	code := object.get(input, ["subject", "municipality"], "")
	is_string(code)
	code != ""
	facts.municipality == code
}
