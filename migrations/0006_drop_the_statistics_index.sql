-- The statistics read settled days from appointment_day_counts (0004) and only the last two days
-- from the appointments themselves, which appointments_by_time (or the clinician and department
-- indexes) find by their start. The covering index made in 0003 for reading every appointment in a
-- range no longer pays for itself: every booking and every change updates it, and that cost the
-- writes more than it now saves the statistics (README, "Performance").
DROP INDEX appointments_for_stats;
