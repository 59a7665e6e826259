def half_written(:
