# METADATA
# title: Dates and periods
# description: |
#   Calendar dates are ISO strings (YYYY-MM-DD). A string is a date only if it names a day of
#   the Gregorian calendar between 0001-01-01 and 9999-12-31 (month 01-12, a day the month has,
#   29 February only in a leap year); anything else is no date, and a period whose start is no
#   date never begins. Valid dates compare as strings, so nothing here parses a date into a
#   time: the OPA Go engine can represent only 1677-09-21 to 2262-04-11 in nanoseconds and
#   errors outside it (every young person of a batch was denied), while rego-cpp gave up on the
#   same input silently. Both engines now answer every input alike.
#
#   Far dates mean what they say, nothing special: a start in 9999 (a register's "no date")
#   has not begun, an end in 9999 has not come, a start in 0001 has long begun and an end in
#   0001 has long passed.
#
#   Periods are inclusive; a period without `to` (or `to: null`) is open-ended. A period that
#   ends before it starts is no period: it is never active, and never planned.
package ungeprofil.dates

import rego.v1

# The shape of an ISO calendar date, as a glob (rego-cpp 1.5 compiles a regular expression on
# every call, ~0.1 ms, several times per decision; a glob costs ~0.01 ms). Months 00 and 13-19,
# days 00 and 32-39 pass the shape and are refused by `is_date` below.
#
# rego-cpp 1.5 note: looking a month up in an object or array rule (a table of month lengths)
# costs ~0.3 ms a lookup, several times per decision; comparisons of two-character strings and
# the arithmetic below cost a few µs, so the calendar is written out as such.
iso_date_glob := "[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]"

# METADATA
# description: A string that is an ISO calendar date from 0001-01-01 to 9999-12-31.
is_date(day) if {
	is_string(day)
	glob.match(iso_date_glob, [], day)
	substring(day, 0, 4) != "0000"
	month := substring(day, 5, 2)
	month >= "01"
	month <= "12"
	day_of_month_exists(substring(day, 8, 2), month, day)
}

# Days 01-28 exist in every month; 29 in every month but February of a common year; 30 in
# every month but February; 31 in the months of 31 days.
day_of_month_exists(day_of_month, _, _) if {
	day_of_month >= "01"
	day_of_month <= "28"
}

day_of_month_exists(day_of_month, month, _) if {
	day_of_month == "29"
	month != "02"
}

day_of_month_exists(day_of_month, month, day) if {
	day_of_month == "29"
	month == "02"
	leap_year(year_of(day))
}

day_of_month_exists(day_of_month, month, _) if {
	day_of_month == "30"
	month != "02"
}

day_of_month_exists(day_of_month, month, _) if {
	day_of_month == "31"
	contains("01 03 05 07 08 10 12", month)
}

# Digits with leading zeros, not all zeros, as a number. (Not to_number alone: the OPA Go
# engine refuses "08" or "0001", JSON numbers with a leading zero, while rego-cpp accepts them.
# Only called on parts of dates `is_date` accepted, none of which is all zeros.)
number(digits) := to_number(trim_left(digits, "0"))

# The year of a date, as a number ("0001" is 1; the year 0000 is no date).
year_of(day) := number(substring(day, 0, 4))

leap_year(year) if {
	year % 4 == 0
	year % 100 != 0
}

leap_year(year) if year % 400 == 0

# METADATA
# description: |
#   A date as the number YYYYMMDD, which orders dates as the calendar does; months_later gives
#   the same kind of number, also past 9999.
ordinal(day) := number(replace(day, "-", ""))

# METADATA
# description: |
#   The date `months` (0 or more) calendar months after `day`, as an ordinal: the same day of
#   the month, or the month's last day when it is shorter (31 August plus six months is 28 or
#   29 February, never a day of March).
months_later(day, months) := ((year * 10000) + (month * 100)) + min([number(substring(day, 8, 2)), days_in_month(year, month)]) if {
	index := (((year_of(day) * 12) + number(substring(day, 5, 2))) - 1) + months
	year := floor(index / 12)
	month := (index - (year * 12)) + 1
}

# The days of a month (1-12) of a year: February 28 or 29; before August the odd months have
# 31 days, from August the even ones.
days_in_month(year, month) := 29 if {
	month == 2
	leap_year(year)
} else := 28 if {
	month == 2
} else := 30 + ((month + floor(month / 8)) % 2)

# METADATA
# description: |
#   `day` is on or before the date `months` calendar months after `start` (both dates).
within_months_after(start, months, day) if {
	is_date(start)
	ordinal(day) <= months_later(start, months)
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
#   The period has a start that is a date and does not end before it starts (its end is
#   open, or a date on or after its start).
coherent(period) if {
	is_date(period.from)
	object.get(period, "to", null) == null
}

coherent(period) if {
	is_date(period.from)
	is_date(period.to)
	period.from <= period.to
}
