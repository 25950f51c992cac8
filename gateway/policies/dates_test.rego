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

test_six_calendar_months_after if {
	dates.within_months_after("2026-01-02", 6, "2026-07-02")
	not dates.within_months_after("2026-01-02", 6, "2026-07-03")
	# 31 August + 6 months is the last day of February, not 3 March.
	dates.within_months_after("2026-08-31", 6, "2027-02-28")
	not dates.within_months_after("2026-08-31", 6, "2027-03-01")
	dates.within_months_after("2027-08-31", 6, "2028-02-29")
	not dates.within_months_after("2027-08-31", 6, "2028-03-01")
	# Across the end of a year, and from the end of a longer month into a shorter one.
	dates.within_months_after("2026-12-31", 6, "2027-06-30")
	not dates.within_months_after("2026-12-31", 6, "2027-07-01")
	dates.within_months_after("2026-07-31", 6, "2027-01-31")
}

test_months_later_is_an_ordinal if {
	dates.months_later("2026-11-23", 3) == 20270223
	dates.months_later("2026-11-30", 3) == 20270228
	dates.months_later("2027-11-30", 3) == 20280229
	dates.months_later("2026-11-23", 0) == dates.ordinal("2026-11-23")
	dates.months_later("9999-12-31", 6) == 100000630
	dates.ordinal("0001-01-01") == 10101
}

test_far_dates_mean_what_they_say if {
	# A start in 9999 (a register's "no date") has not begun; an end in 9999 has not come.
	not dates.started({"from": "9999-12-31"}, "2026-11-23")
	dates.active_on({"from": "2020-01-01", "to": "9999-12-31"}, "2026-11-23")
	# A start in 0001 has long begun; an end in 0001 has long passed.
	dates.active_on({"from": "0001-01-01", "to": null}, "2026-11-23")
	not dates.active_on({"from": "2020-01-01", "to": "0001-01-01"}, "2026-11-23")
	dates.within_months_after("9999-12-31", 6, "2026-11-23")
	not dates.within_months_after("0001-01-01", 6, "2026-11-23")
}

test_a_period_that_ends_before_it_starts_is_none if {
	not dates.coherent({"from": "2026-12-10", "to": "2026-12-05"})
	not dates.active_on({"from": "2026-12-10", "to": "2026-12-05"}, "2026-12-07")
	dates.coherent({"from": "2026-12-10", "to": "2026-12-10"})
	dates.coherent({"from": "2026-12-10", "to": null})
	dates.coherent({"from": "2026-12-10"})
	not dates.coherent({"from": null, "to": null})
	not dates.coherent({"from": "2026-12-10", "to": "2026-13-01"})
}

is_date_value(day) := true if dates.is_date(day)

else := false

test_is_date_is_a_calendar_day if {
	every day in ["2026-11-23", "0001-01-01", "9999-12-31", "2024-02-29", "2000-02-29", "2026-01-31", "2026-04-30"] {
		dates.is_date(day)
	}
	every day in ["0000-01-01", "0000-00-00", "9999-99-99", "2026-00-10", "2026-13-01", "2026-19-01", "2026-11-00", "2026-11-31", "2026-04-31", "2026-02-30", "2026-02-29", "1900-02-29", "2100-02-29", "2026-01-32", "2026-01-40"] {
		not dates.is_date(day)
	}
}

test_is_date_needs_the_iso_shape_exactly if {
	every day in ["2026-1-23", "2026-11-2", "x2026-11-23", "2026-11-23x", "2026/11/23", "", "20261-1-23", "2026--1-23", "2026-11-2\u0663", "2026-11-23\n", "\n2026-11-23", " 2026-11-23", "[0-9]", "*", "2026-1?-23", "2026-11-[1]", "２０２６-11-23"] {
		not regex.match(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`, day)
		not dates.is_date(day)
	}
	not dates.is_date(20261123)
	not dates.is_date(null)
	not dates.is_date({"from": "2026-11-23"})
}
