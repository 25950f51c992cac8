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
