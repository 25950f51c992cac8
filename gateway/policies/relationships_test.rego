package ungeprofil.relationships_test

import data.ungeprofil.relationships
import rego.v1

today := "2026-11-23"

jette := {"sub": "jette.hansen", "role": "contact_person", "municipality": "0101"}

lars := {"sub": "lars.pedersen", "role": "contact_person", "municipality": "0751"}

mikkel := {"sub": "mikkel.holm", "role": "mentor", "municipality": "0101"}

sara := {"sub": "sara.nielsen", "role": "business_consultant", "municipality": "0101"}

maria := {"sub": "maria.kristensen", "role": "institution_contact", "org": "851234", "municipality": "0101"}

assigned := {"assignments": [{"subject": "jette.hansen", "municipality": "0101", "from": "2026-03-23", "to": null}]}

request(subject, facts) := {"subject": subject, "purpose": "PLANNING", "cpr": "1503044112", "date": today, "facts": facts}

enrolment_facts(admitted_on, starts_on) := {
	"education_order": {"active": true},
	"enrolments": [{"institution": "851234", "status": "ADMITTED", "admitted_on": admitted_on, "starts_on": starts_on}],
}

test_assigned_contact_person_in_own_municipality if {
	relationships.current == "assigned_contact_person" with input as request(jette, assigned)
	not relationships.current with input as request(lars, assigned)
}

test_assignment_that_ended_yesterday_does_not_hold if {
	ended := {"assignments": [{"subject": "jette.hansen", "municipality": "0101", "from": "2026-03-23", "to": "2026-11-22"}]}
	not relationships.current with input as request(jette, ended)
}

test_mentor_offer_from_today_holds if {
	offer := {"type": "MENTOR", "subject": "mikkel.holm", "municipality": "0101", "from": today, "to": "2027-01-22"}
	relationships.current == "active_mentor" with input as request(mikkel, {"offers": [offer]})
}

test_planned_internship_holds if {
	offer := {"type": "LOENTILSKUD", "subject": "sara.nielsen", "municipality": "0101", "from": "2026-12-01", "to": "2027-03-01"}
	relationships.current == "planned_internship" with input as request(sara, {"offers": [offer]})
}

test_mentor_offer_is_not_an_internship if {
	offer := {"type": "MENTOR", "subject": "sara.nielsen", "municipality": "0101", "from": "2026-11-01", "to": null}
	not relationships.current with input as request(sara, {"offers": [offer]})
}

test_institution_window if {
	relationships.current == "admitted_at_institution" with input as request(maria, enrolment_facts(today, "2027-01-02"))
	relationships.current == "admitted_at_institution" with input as request(maria, enrolment_facts("2026-01-01", "2026-05-23"))
	not relationships.current with input as request(maria, enrolment_facts("2026-01-01", "2026-05-22"))
	not relationships.current with input as request(maria, enrolment_facts("2026-11-24", "2027-01-02"))
}

test_institution_needs_an_education_order if {
	facts := object.union(enrolment_facts("2026-10-01", "2027-01-02"), {"education_order": {"active": false}})
	not relationships.current with input as request(maria, facts)
}

test_youth_only_about_themself if {
	me := {"sub": "1503044112", "role": "youth"}
	relationships.current == "self" with input as request(me, {})
	other := {"sub": "0211014127", "role": "youth"}
	not relationships.current with input as request(other, {})
}

test_missing_facts_hold_nothing if {
	not relationships.current with input as {"subject": jette, "purpose": "PLANNING", "date": today}
}

test_each_relationship_belongs_to_one_role if {
	descriptions := relationships.descriptions with input as {}
	every name, _ in descriptions {
		count([role | some role, names in relationships.relationships_of_role; name in names]) == 1
	}
}

test_roles_hold_the_relationships_the_catalogue_names if {
	every role, spec in data.ungeprofil.catalogue.roles {
		relationships.relationships_of_role[role] == {name | some name in spec.relationships}
	}
}

test_every_role_says_which_facts_it_reads if {
	every role, _ in data.ungeprofil.catalogue.roles {
		is_set(relationships.facts_read[role])
	}
}
