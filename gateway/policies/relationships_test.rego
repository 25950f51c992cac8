package ungeprofil.relationships_test

import data.ungeprofil.relationships
import rego.v1

today := "2026-11-23"

jette := {"sub": "jette.hansen", "role": "contact_person", "municipality": "0101"}

lars := {"sub": "lars.pedersen", "role": "contact_person", "municipality": "0751"}

mikkel := {"sub": "mikkel.holm", "role": "mentor", "municipality": "0101"}

sara := {"sub": "sara.nielsen", "role": "business_consultant", "municipality": "0101"}

maria := {"sub": "maria.kristensen", "role": "institution_contact", "org": "851234", "municipality": "0101"}

assigned := {"municipality": "0101", "assignments": [{"subject": "jette.hansen", "municipality": "0101", "from": "2026-03-23", "to": null}]}

request(subject, facts) := {"subject": subject, "purpose": "PLANNING", "cpr": "1503044112", "date": today, "facts": facts}

enrolment_facts(admitted_on, starts_on) := {
	"education_order": {"active": true},
	"enrolments": [{"institution": "851234", "status": "ADMITTED", "admitted_on": admitted_on, "starts_on": starts_on}],
}

test_assigned_contact_person_in_own_municipality if {
	relationships.current == "assigned_contact_person" with input as request(jette, assigned)
	not relationships.current with input as request(lars, assigned)
}

test_assignment_left_open_after_a_move_grants_nothing_in_the_old_municipality if {
	moved := object.union(assigned, {"municipality": "0751"})
	not relationships.current with input as request(jette, moved)
	unknown_municipality := object.remove(assigned, ["municipality"])
	not relationships.current with input as request(jette, unknown_municipality)
	# Lars in Aarhus, where the young person now lives, holds nothing without an assignment.
	not relationships.current with input as request(lars, moved)
	# A caller and a young person who both lack a municipality share none.
	nowhere := {"municipality": null, "assignments": [{"subject": "jette.hansen", "municipality": null, "from": "2026-03-23", "to": null}]}
	not relationships.current with input as request(object.union(jette, {"municipality": null}), nowhere)
	empty := {"municipality": "", "assignments": [{"subject": "jette.hansen", "municipality": "", "from": "2026-03-23", "to": null}]}
	not relationships.current with input as request(object.union(jette, {"municipality": ""}), empty)
}

test_assignment_that_ended_yesterday_does_not_hold if {
	ended := {"municipality": "0101", "assignments": [{"subject": "jette.hansen", "municipality": "0101", "from": "2026-03-23", "to": "2026-11-22"}]}
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

internship(from, to) := {"offers": [{"type": "VIRKSOMHEDSPRAKTIK", "subject": "sara.nielsen", "municipality": "0101", "from": from, "to": to}]}

test_planned_internship_at_most_three_calendar_months_ahead if {
	relationships.current == "planned_internship" with input as request(sara, internship("2027-02-23", "2027-04-01"))
	not relationships.current with input as request(sara, internship("2027-02-24", "2027-04-01"))
	relationships.current == "planned_internship" with input as request(sara, internship("2026-11-24", null))
	relationships.current == "active_internship" with input as request(sara, internship("2026-11-23", null))
	not relationships.current with input as request(sara, internship("9999-12-31", null))
}

test_an_offer_that_ends_before_it_starts_counts_as_nothing if {
	not relationships.current with input as request(sara, internship("2026-12-10", "2026-12-01"))
	not relationships.current with input as request(sara, internship("2026-12-10", "2026-11-23"))
	offer := {"type": "MENTOR", "subject": "mikkel.holm", "municipality": "0101", "from": "2026-11-30", "to": "2026-11-01"}
	not relationships.current with input as request(mikkel, {"offers": [offer]})
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

on(day, subject, facts) := {"subject": subject, "purpose": "RETENTION", "cpr": "1503044112", "date": day, "facts": facts}

test_institution_window_is_six_calendar_months if {
	# A start on 31 August: until the last day of February, not 3 March.
	facts := enrolment_facts("2026-06-15", "2026-08-31")
	relationships.current == "admitted_at_institution" with input as on("2027-02-28", maria, facts)
	not relationships.current with input as on("2027-03-01", maria, facts)
	not relationships.current with input as on("2027-03-03", maria, facts)
	leap := enrolment_facts("2027-06-15", "2027-08-31")
	relationships.current == "admitted_at_institution" with input as on("2028-02-29", maria, leap)
	not relationships.current with input as on("2028-03-01", maria, leap)
}

ended_enrolment(ends_on) := {
	"education_order": {"active": true},
	"enrolments": [{"institution": "851234", "status": "ENROLLED", "admitted_on": "2026-06-01", "starts_on": "2026-08-10", "ends_on": ends_on}],
}

test_an_enrolment_that_has_ended_no_longer_counts if {
	relationships.current == "enrolled_at_institution" with input as request(maria, ended_enrolment(null))
	relationships.current == "enrolled_at_institution" with input as request(maria, ended_enrolment(today))
	not relationships.current with input as request(maria, ended_enrolment("2026-11-22"))
	not relationships.current with input as request(maria, ended_enrolment("not a date"))
}

test_institution_start_at_the_far_ends_of_the_calendar if {
	# Admitted, start not known yet (9999-12-31): not started, so within the window.
	relationships.current == "admitted_at_institution" with input as request(maria, enrolment_facts("2026-10-01", "9999-12-31"))
	not relationships.current with input as request(maria, enrolment_facts("2026-10-01", "0001-01-01"))
	not relationships.current with input as request(maria, enrolment_facts("0000-01-01", "2027-01-02"))
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
