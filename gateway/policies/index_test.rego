package ungeprofil.index_test

import rego.v1

catalogue := data.ungeprofil.catalogue

index := data.ungeprofil.index

# data.ungeprofil.index is computed in Python when the catalogue is loaded (sources.py); these
# tests compute it again in Rego from the catalogue, so it can only regroup, never decide.

test_legal_bases_by_role_regroups_the_catalogue if {
	expected := {role: by_category |
		some role, spec in catalogue.roles
		by_category := {category: ids |
			some category in spec.categories
			catalogue.categories[category]
			ids := sort([id | some id, basis in catalogue.legal_bases; role in basis.roles; category in basis.categories])
		}
	}
	index.legal_bases_by_role == expected
}

test_legal_bases_of_role_regroups_the_catalogue if {
	expected := {role: ids |
		some role, _ in catalogue.roles
		ids := sort([id | some id, basis in catalogue.legal_bases; role in basis.roles])
	}
	index.legal_bases_of_role == expected
}

test_derived_from_regroups_the_catalogue if {
	expected := {category: spec.derived_from |
		some category, spec in catalogue.categories
		count(object.get(spec, "derived_from", [])) > 0
	}
	index.derived_from == expected
}

test_index_has_nothing_else if {
	object.keys(index) == {"legal_bases_by_role", "legal_bases_of_role", "derived_from"}
}
