package ungeprofil.decision_test

import data.ungeprofil.decision
import rego.v1

jette := {"sub": "jette.hansen", "role": "contact_person", "municipality": "0101"}

assigned := {
	"exists": true,
	"municipality": "0101",
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

mikkel := {"sub": "mikkel.holm", "role": "mentor", "municipality": "0101"}

test_casework_is_its_own_category if {
	jette_sees := decision.result with input as request(jette, "PLANNING", assigned)
	jette_sees.categories.casework.allow
	jette_sees.categories.casework.legal_bases == ["LOU-DFDG"]
	mentor_facts := {"offers": [{"type": "MENTOR", "subject": "mikkel.holm", "municipality": "0101", "from": "2026-10-01", "to": null}]}
	mentor_sees := decision.result with input as request(mikkel, "MENTORING", mentor_facts)
	mentor_sees.categories.plan.allow
	not mentor_sees.categories.casework.allow
	mentor_sees.categories.casework.rule == "category_not_of_role"
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

batch_request(subject, purpose, people) := {"subject": subject, "purpose": purpose, "date": "2026-11-23", "people": people}

test_batch_answers_as_one_query_per_young_person if {
	people := [
		{"cpr": "1503044112", "facts": assigned},
		{"cpr": "0211014127", "facts": {"exists": false}},
		{"cpr": "2706064136", "facts": object.union(assigned, {"health_consent": false})},
		{"cpr": "1503044112", "facts": assigned},
		{"cpr": "3012024163"},
		{"facts": "not an object"},
	]
	answer := decision.batch with input as batch_request(jette, "PLANNING", people)
	count(answer.people) == count(people)
	count(answer.documents) == 3
	every i, person in people {
		single := decision.result with input as object.union(request(jette, "PLANNING", {}), person)
		answer.documents[answer.people[i]] == single
	}
}

test_batch_of_a_denied_request if {
	people := [{"cpr": "1503044112", "facts": assigned}]
	answer := decision.batch with input as batch_request(jette, "MENTORING", people)
	answer.documents[answer.people[0]] == decision.result with input as request(jette, "MENTORING", assigned)
}

test_facts_the_role_does_not_read_change_nothing if {
	other := object.union(assigned, {
		"offers": [{"type": "MENTOR", "subject": "jette.hansen", "municipality": "0101", "from": "2026-01-01", "to": null}],
		"open_cases": [{"municipality": "0101", "from": "2026-01-01", "to": null}],
		"enrolments": [{"institution": "851234", "status": "ADMITTED", "admitted_on": "2026-10-01", "starts_on": "9999-12-31"}],
	})
	with_more := decision.result with input as request(jette, "PLANNING", other)
	with_less := decision.result with input as request(jette, "PLANNING", assigned)
	with_more == with_less
	decision.facts_read.contact_person.read == {"assignments", "health_consent", "municipality"}
	decision.facts_read.contact_person.act == {"assignments", "education_order", "enrolments", "health_consent", "municipality"}
}

anne := {"sub": "1503044112", "role": "youth"}

henrik := {"sub": "henrik.soerensen", "role": "privacy_officer", "municipality": "0101"}

action_request(subject, action, purpose, cpr) := {"subject": subject, "action": action, "purpose": purpose, "cpr": cpr, "date": "2026-11-23", "facts": {}}

test_young_person_reads_own_access_log if {
	result := decision.result with input as action_request(anne, "READ_LOG", "SELF", "1503044112")
	result.categories.access_log.allow
	result.categories.access_log.legal_bases == ["GDPR-15"]
	not result.categories.audit_log.allow
}

test_young_person_reads_no_one_elses_access_log if {
	result := decision.result with input as action_request(anne, "READ_LOG", "SELF", "0211014127")
	not result.categories.access_log.allow
	result.categories.access_log.rule == "requirement_not_met"
}

test_privacy_officer_reads_the_audit_log_of_their_municipality if {
	result := decision.result with input as action_request(henrik, "READ_LOG", "SUPERVISION", "")
	result.categories.audit_log.allow
	result.categories.audit_log.legal_bases == ["GDPR-39"]
	not result.categories.access_log.allow
}

test_privacy_officer_without_municipality_reads_no_audit_log if {
	result := decision.result with input as action_request(object.remove(henrik, ["municipality"]), "READ_LOG", "SUPERVISION", "")
	result.categories.audit_log.rule == "requirement_not_met"
}

test_purpose_binds_actions if {
	result := decision.result with input as action_request(henrik, "READ_LOG", "PLANNING", "")
	result.categories.audit_log.rule == "purpose_not_of_grant"
}

test_only_privacy_officers_read_the_policy if {
	officer := decision.result with input as action_request(henrik, "READ_POLICY", "SUPERVISION", "")
	officer.categories.policy.allow
	jette_reads := decision.result with input as action_request(jette, "READ_POLICY", "SUPERVISION", "")
	jette_reads.categories.policy.rule == "action_not_of_role"
}

test_unknown_action_decides_nothing if {
	result := decision.result with input as action_request(henrik, "DROP_TABLES", "SUPERVISION", "")
	count(result.categories) == 0
}
