package ungeprofil.legal_basis_test

import data.ungeprofil.legal_basis
import rego.v1

grades_basis(from) := {"GRADES-TEST": {
	"reference": "test",
	"categories": ["grades"],
	"roles": ["contact_person"],
	"from": from,
}}

test_grades_have_no_basis_in_force if {
	legal_basis.in_force_for("contact_person", "grades", "2026-11-23") == []
	legal_basis.in_force_for("case_system", "social_plans", "2026-11-23") == []
}

test_proposed_basis_is_not_in_force if {
	not legal_basis.in_force("GRADES-PROPOSED", "2026-11-23")
}

test_basis_from_today_counts_from_tomorrow_does_not if {
	legal_basis.in_force_for("contact_person", "grades", "2026-11-23") == ["GRADES-TEST"] with data.ungeprofil.catalogue.legal_bases as grades_basis("2026-11-23")
	legal_basis.in_force_for("contact_person", "grades", "2026-11-23") == [] with data.ungeprofil.catalogue.legal_bases as grades_basis("2026-11-24")
}

test_basis_is_per_role if {
	legal_basis.in_force_for("mentor", "income", "2026-11-23") == []
	legal_basis.in_force_for("contact_person", "income", "2026-11-23") == ["INDKOMSTREG-7"]
}

test_every_category_lists_the_bases_that_cover_it if {
	bases := data.ungeprofil.catalogue.legal_bases
	every name, category in data.ungeprofil.catalogue.categories {
		listed := {id | some id in category.legal_bases}
		covering := {id | some id; bases[id]; name in bases[id].categories}
		listed == covering
	}
}
