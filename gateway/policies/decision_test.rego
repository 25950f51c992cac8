package ungeprofil.decision_test

import data.ungeprofil.decision
import rego.v1

jette := {"sub": "jette.hansen", "role": "contact_person", "municipality": "0101"}

assigned := {
	"exists": true,
	"assignments": [{"subject": "jette.hansen", "municipality": "0101", "from": "2026-03-23", "to": null}],
	"health_consent": true,
}

request(subject, purpose, facts) := {"subject": subject, "purpose": purpose, "cpr": "1503044112", "date": "2026-11-23", "facts": facts}

test_every_category_is_answered if {
	result := decision.result with input as request(jette, "PLANNING", assigned)
	every name, _ in data.ungeprofil.catalogue.categories {
		is_boolean(result.categories[name].allow)
	}
	count(result.categories) == count(data.ungeprofil.catalogue.categories)
}

test_contact_person_sees_identity_not_grades if {
	result := decision.result with input as request(jette, "PLANNING", assigned)
	result.categories.identity.allow
	result.categories.identity.legal_bases == ["KUI-15D-2-1", "LOU-DFDG"]
	not result.categories.grades.allow
	result.categories.grades.reason == "no legal basis in force for grades"
}

test_health_needs_consent if {
	result := decision.result with input as request(jette, "PLANNING", object.union(assigned, {"health_consent": false}))
	result.categories.health.reason == "the young person has not consented to share health answers with the contact person"
}

test_unknown_role_denies_everything if {
	result := decision.result with input as request({"sub": "x", "role": "janitor"}, "PLANNING", assigned)
	every _, verdict in result.categories {
		verdict.allow == false
		verdict.rule == "unknown_role"
	}
}

test_purpose_binds if {
	result := decision.result with input as request(jette, "MENTORING", assigned)
	result.purpose_allowed == false
	result.categories.identity.reason == "purpose MENTORING is not a purpose of role contact_person"
}

test_no_relationship_looks_the_same_whether_or_not_the_person_exists if {
	known := decision.result with input as request(jette, "PLANNING", {"exists": true, "assignments": []})
	unknown := decision.result with input as request(jette, "PLANNING", {"exists": false})
	known == unknown
	known.categories.identity.reason == "no current relationship to this young person"
}

test_missing_input_denies if {
	result := decision.result with input as {}
	every _, verdict in result.categories {
		verdict.allow == false
	}
}
