package ungeprofil.dates_test

import data.ungeprofil.dates
import rego.v1

test_period_includes_both_ends if {
	dates.active_on({"from": "2026-11-23", "to": "2026-11-23"}, "2026-11-23")
	not dates.active_on({"from": "2026-11-24", "to": null}, "2026-11-23")
	not dates.active_on({"from": "2026-01-01", "to": "2026-11-22"}, "2026-11-23")
}

test_period_without_end_is_open if {
	dates.active_on({"from": "2026-01-01", "to": null}, "2030-01-01")
	dates.active_on({"from": "2026-01-01"}, "2030-01-01")
}

test_period_without_start_never_begins if {
	not dates.active_on({"from": null, "to": null}, "2026-11-23")
	not dates.active_on({"to": "2030-01-01"}, "2026-11-23")
	not dates.active_on({"from": "23-11-2026"}, "2026-11-23")
}

test_six_months_after if {
	dates.within_six_months_after("2026-01-02", "2026-07-02")
	not dates.within_six_months_after("2026-01-02", "2026-07-03")
	dates.within_six_months_after("2026-08-31", "2027-03-03")
	not dates.within_six_months_after("2026-08-31", "2027-03-04")
}

is_date_value(day) := true if dates.is_date(day)

else := false

test_is_date_matches_the_iso_pattern_exactly if {
	every day in ["2026-11-23", "0000-00-00", "9999-99-99", "2026-1-23", "2026-11-2", "x2026-11-23", "2026-11-23x", "2026/11/23", "", "20261-1-23", "2026--1-23", "2026-11-2\u0663", "2026-11-23\n", "\n2026-11-23", " 2026-11-23", "[0-9]", "*"] {
		is_date_value(day) == regex.match(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`, day)
	}
	not dates.is_date(20261123)
	not dates.is_date(null)
}
