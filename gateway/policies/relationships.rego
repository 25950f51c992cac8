# METADATA
# title: Current relationships between the caller and the young person
# description: |
#   Read from the young person's facts, which the gateway assembles from the registers at
#   request time. A relationship holds only on the decision date; who the young person is, or
#   whether any register knows them (facts.exists), plays no part, so an unknown CPR and a
#   known person without a relationship get the same answer.
#
#   The rules are functions of (cpr, facts) rather than rules over input.cpr and input.facts,
#   so one query can decide for many young people (decision.batch); everything that depends on
#   the caller and the date alone (the subject, today) is read from the input once.
package ungeprofil.relationships

import data.ungeprofil.dates
import rego.v1

subject := input.subject

today := input.date if dates.is_date(input.date)

# METADATA
# description: |
#   The last day a planned internship or wage subsidy may start for its business consultant to
#   see the young person now: three calendar months from today (an ordinal, dates.ordinal).
planned_internship_horizon := dates.months_later(today, 3)

# How many calendar months after the start an institution contact sees the young person.
institution_window_months := 6

municipality := object.get(input, ["subject", "municipality"], "unknown")

internship_types := {"VIRKSOMHEDSPRAKTIK", "LOENTILSKUD"}

institution_statuses := {"ADMITTED": "admitted_at_institution", "ENROLLED": "enrolled_at_institution"}

# METADATA
# description: |
#   The facts each role's relationships read: `holds` below reads no other fact for a caller
#   of that role. The decision shows a young person's facts to the rules only through this
#   list (decision.visible_facts), so the embedded engine can leave every other fact out of
#   the input it gives rego-cpp, which pays for every node of the input.
facts_read := {
	"youth": set(),
	"contact_person": {"assignments", "municipality"},
	"mentor": {"offers"},
	"business_consultant": {"offers"},
	"institution_contact": {"education_order", "enrolments"},
	"case_system": {"open_cases"},
	"privacy_officer": set(),
	"manager": set(),
}

# METADATA
# description: |
#   The relationships a caller of each role can hold: `holds` below requires the role, so the
#   others need not be tried (rego-cpp pays ~0.1 ms for each try).
relationships_of_role := {
	"youth": {"self"},
	"contact_person": {"assigned_contact_person"},
	"mentor": {"active_mentor"},
	"business_consultant": {"active_internship", "planned_internship"},
	"institution_contact": {"admitted_at_institution", "enrolled_at_institution"},
	"case_system": {"open_case"},
	"privacy_officer": set(),
	"manager": set(),
}

# METADATA
# description: Every relationship the policy knows, with a sentence a person can read about it.
descriptions := {
	"self": "the young person's own data (right of access)",
	"assigned_contact_person": sprintf("contact person assigned in DFDG, municipality %v", [municipality]),
	"active_mentor": "holds an active mentor offer in DFDG",
	"active_internship": "holds an active internship or wage-subsidy offer in DFDG",
	"planned_internship": "holds an internship or wage-subsidy offer in DFDG that starts within 3 months",
	"admitted_at_institution": "admitted at the institution with an education order, within 6 calendar months after start",
	"enrolled_at_institution": "enrolled at the institution with an education order, within 6 calendar months after start",
	"open_case": sprintf("open case or subscription in municipality %v", [municipality]),
}

# METADATA
# description: |
#   The relationship that decides between the caller and the young person with this CPR and
#   these facts, when several hold (the first in sorted order, so the answer is stable);
#   undefined when none holds.
#   (Sorting an array, not a set: rego-cpp 1.5 cannot index the result of sorting a set.)
between(cpr, facts) := held[0] if {
	held := sort([name | some name in candidates; holds(name, cpr, facts)])
}

candidates := object.get(relationships_of_role, subject.role, set())

# METADATA
# description: The relationship that holds for the input's young person (input.cpr, input.facts).
current := between(object.get(input, "cpr", null), object.get(input, "facts", {}))

# METADATA
# description: A sentence a person can read about the relationship that holds.
description := descriptions[current]

# METADATA
# description: The young person signs in as themself.
holds("self", cpr, _) if {
	subject.role == "youth"
	is_string(cpr)
	subject.sub == cpr
}

# METADATA
# description: |
#   An active assignment as contact person in DFDG, in the caller's municipality, which is
#   also the municipality the young person belongs to today: an assignment left open after the
#   young person moved grants nothing in the old municipality.
holds("assigned_contact_person", _, facts) if {
	subject.role == "contact_person"
	is_string(subject.municipality)
	subject.municipality != ""
	facts.municipality == subject.municipality
	some assignment in facts.assignments
	assignment.subject == subject.sub
	assignment.municipality == subject.municipality
	dates.active_on(assignment, today)
}

# METADATA
# description: The caller holds a mentor offer that is active today.
holds("active_mentor", _, facts) if {
	subject.role == "mentor"
	some offer in facts.offers
	offer.type == "MENTOR"
	offer.subject == subject.sub
	offer.municipality == subject.municipality
	dates.active_on(offer, today)
}

# METADATA
# description: The caller holds an internship or wage-subsidy offer that is active today.
holds("active_internship", _, facts) if {
	subject.role == "business_consultant"
	some offer in facts.offers
	internship_offer(offer)
	dates.active_on(offer, today)
}

# METADATA
# description: |
#   The caller holds an internship or wage-subsidy offer that starts later, at most three
#   calendar months from today; an offer that ends before it starts is no offer.
holds("planned_internship", _, facts) if {
	subject.role == "business_consultant"
	some offer in facts.offers
	internship_offer(offer)
	dates.coherent(offer)
	today < offer.from
	dates.ordinal(offer.from) <= planned_internship_horizon
}

# METADATA
# description: |
#   The young person is admitted to or enrolled at the caller's institution, has an active
#   education order, the enrolment has not ended, and today lies between admission and six
#   calendar months after the start (a start on 31 August: until the end of February).
holds(name, _, facts) if {
	subject.role == "institution_contact"
	facts.education_order.active == true
	some enrolment in facts.enrolments
	enrolment.institution == subject.org
	institution_statuses[enrolment.status] == name
	dates.is_date(enrolment.admitted_on)
	enrolment.admitted_on <= today
	dates.not_ended({"to": object.get(enrolment, "ends_on", null)}, today)
	dates.within_months_after(enrolment.starts_on, institution_window_months, today)
}

# METADATA
# description: The case system's municipality has an open case or subscription on the young person.
holds("open_case", _, facts) if {
	subject.role == "case_system"
	some case in facts.open_cases
	case.municipality == subject.municipality
	dates.active_on(case, today)
}

# An internship or wage-subsidy offer held by the caller, in the caller's municipality.
internship_offer(offer) if {
	offer.type in internship_types
	offer.subject == subject.sub
	offer.municipality == subject.municipality
}
