# METADATA
# title: Dates and periods
# description: |
#   Calendar dates are ISO strings (YYYY-MM-DD), so they compare as strings once their shape is
#   checked. Periods are inclusive; a period without `to` (or `to: null`) is open-ended.
package ungeprofil.dates

import rego.v1

# The shape of an ISO calendar date, as a glob: it matches exactly what the regular expression
# `^[0-9]{4}-[0-9]{2}-[0-9]{2}$` matches, but rego-cpp 1.5 compiles a regular expression on
# every call (~0.1 ms, several times per decision), while a glob costs ~0.01 ms.
iso_date_glob := "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"

# METADATA
# description: A string that looks like an ISO calendar date.
is_date(day) if {
	is_string(day)
	glob.match(iso_date_glob, [], day)
}

# METADATA
# description: The period has begun on `day` (its `from` is a date on or before `day`).
started(period, day) if {
	is_date(period.from)
	period.from <= day
}

# METADATA
# description: The period has not ended before `day` (no end, or the end is on or after `day`).
not_ended(period, day) if object.get(period, "to", null) == null

not_ended(period, day) if {
	is_date(period.to)
	day <= period.to
}

# METADATA
# description: The period covers `day`, both ends included.
active_on(period, day) if {
	started(period, day)
	not_ended(period, day)
}

# METADATA
# description: |
#   `day` is on or before the date six calendar months after `start`, as Go's time.AddDate
#   counts (31 August plus six months is 3 March, because 31 February does not exist).
#   Compared as nanoseconds: rego-cpp 1.5 aborts the process in time.format with a time zone
#   once aiohttp is imported, so no date is formatted back into a string.
within_six_months_after(start, day) if {
	time.parse_ns("2006-01-02", day) <= time.add_date(time.parse_ns("2006-01-02", start), 0, 6, 0)
}
