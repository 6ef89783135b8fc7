"""The bureau's loop with its units, beyond one run: who each problem goes
back to (units), the roster of expected projects, resubmissions replacing
earlier forms, and the comparison of one round with the next."""
