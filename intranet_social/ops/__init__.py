"""Running a site: the doctor's checks, backups and restores."""
