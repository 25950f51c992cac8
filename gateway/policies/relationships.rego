# METADATA
# title: Current relationships between the caller and the young person
# description: |
#   Read from input.facts, which the gateway assembles from the registers at request time. A
#   relationship holds only on the decision date; who the young person is, or whether any
#   register knows them (facts.exists), plays no part, so an unknown CPR and a known person
#   without a relationship get the same answer.
package ungeprofil.relationships

import data.ungeprofil.dates
import rego.v1

subject := input.subject

today := input.date if dates.is_date(input.date)

facts := object.get(input, "facts", {})

municipality := object.get(input, ["subject", "municipality"], "unknown")

internship_types := {"VIRKSOMHEDSPRAKTIK", "LOENTILSKUD"}

institution_statuses := {"ADMITTED": "admitted_at_institution", "ENROLLED": "enrolled_at_institution"}

# METADATA
# description: The young person signs in as themself.
holds contains "self" if {
	subject.role == "youth"
	is_string(input.cpr)
	subject.sub == input.cpr
}

# METADATA
# description: An active assignment as contact person in DFDG, in the caller's municipality.
holds contains "assigned_contact_person" if {
	subject.role == "contact_person"
	some assignment in facts.assignments
	assignment.subject == subject.sub
	assignment.municipality == subject.municipality
	dates.active_on(assignment, today)
}

# METADATA
# description: The caller holds a mentor offer that is active today.
holds contains "active_mentor" if {
	subject.role == "mentor"
	some offer in facts.offers
	offer.type == "MENTOR"
	offer.subject == subject.sub
	offer.municipality == subject.municipality
	dates.active_on(offer, today)
}

# METADATA
# description: The caller holds an internship or wage-subsidy offer that is active today.
holds contains "active_internship" if {
	some offer in internship_offers
	dates.active_on(offer, today)
}

# METADATA
# description: The caller holds an internship or wage-subsidy offer that starts later.
holds contains "planned_internship" if {
	some offer in internship_offers
	dates.is_date(offer.from)
	today < offer.from
	dates.not_ended(offer, today)
}

internship_offers contains offer if {
	subject.role == "business_consultant"
	some offer in facts.offers
	offer.type in internship_types
	offer.subject == subject.sub
	offer.municipality == subject.municipality
}

# METADATA
# description: |
#   The young person is admitted to or enrolled at the caller's institution, has an active
#   education order, and today lies between admission and six months after the start.
holds contains institution_statuses[enrolment.status] if {
	subject.role == "institution_contact"
	facts.education_order.active == true
	some enrolment in facts.enrolments
	enrolment.institution == subject.org
	institution_statuses[enrolment.status]
	dates.is_date(enrolment.admitted_on)
	dates.is_date(enrolment.starts_on)
	enrolment.admitted_on <= today
	dates.within_six_months_after(enrolment.starts_on, today)
}

# METADATA
# description: The case system's municipality has an open case or subscription on the young person.
holds contains "open_case" if {
	subject.role == "case_system"
	some case in facts.open_cases
	case.municipality == subject.municipality
	dates.active_on(case, today)
}

# METADATA
# description: The relationship that decides, when several hold (sorted, so the answer is stable).
# (Sorting an array, not the set itself: rego-cpp 1.5 cannot index the result of sorting a set.)
current := name if {
	names := sort([relationship | some relationship in holds])
	name := names[0]
}

descriptions := {
	"self": "the young person's own data (right of access)",
	"assigned_contact_person": sprintf("contact person assigned in DFDG, municipality %v", [municipality]),
	"active_mentor": "holds an active mentor offer in DFDG",
	"active_internship": "holds an active internship or wage-subsidy offer in DFDG",
	"planned_internship": "holds a planned internship or wage-subsidy offer in DFDG",
	"admitted_at_institution": "admitted at the institution with an education order, within 6 months after start",
	"enrolled_at_institution": "enrolled at the institution with an education order, within 6 months after start",
	"open_case": sprintf("open case or subscription in municipality %v", [municipality]),
}

# METADATA
# description: A sentence a person can read about the relationship that holds.
description := descriptions[current]
