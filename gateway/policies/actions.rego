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
# description: The verdict on every resource of the action, for this relationship (or null).
resource_verdicts(relationship) := {name: verdict(name, resources[name], met) |
	met := met_requirements(relationship)
	some name in object.keys(resources)
}

# METADATA
# description: The requirements of the table that hold for this relationship (or null).
met_requirements(relationship) := {requirement |
	some requirement in requirements
	requirement_met(requirement, relationship)
}

requirements := {"self", "own_municipality", "nothing"}

refusal(rule, reason) := {"allow": false, "reason": reason, "legal_bases": [], "rule": rule}

verdict(resource, spec, met) := refusal("action_not_of_role", sprintf("role %v may not %v %v", [role, action, resource])) if {
	not spec.grants[role]
} else := refusal("purpose_not_of_grant", sprintf("purpose %v is not a purpose of role %v for %v", [purpose, role, resource])) if {
	not purpose_granted(spec.grants[role])
} else := refusal("requirement_not_met", requirement_reasons[spec.grants[role].requires]) if {
	not spec.grants[role].requires in met
} else := refusal("no_legal_basis", sprintf("no legal basis in force for %v %v", [action, resource])) if {
	count(bases_in_force(spec.grants[role])) == 0
} else := {
	"allow": true,
	"reason": spec.grants[role].reason,
	"legal_bases": bases_in_force(spec.grants[role]),
	"rule": concat(".", ["allow_action", spec.grants[role].requires]),
}

purpose_granted(grant) if purpose in grant.purposes

bases_in_force(grant) := sort([id |
	some id in grant.legal_bases
	legal_basis.in_force(id, relationships.today)
])

requirement_reasons := {
	"self": "a young person reads only their own log",
	"own_municipality": "the caller has no municipality whose log they supervise",
	"nothing": "never",
}

# METADATA
# description: |
#   What a grant requires: "self" — the young person is the caller (relationships.holds
#   "self"); "own_municipality" — the caller's token names a municipality (4 digits), the only
#   one they supervise; "nothing". (Written as comparisons in the body: rego-cpp 1.5 does not
#   match a string constant in a function's argument list.)
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

requirement_met(requirement, _) if requirement == "nothing"
