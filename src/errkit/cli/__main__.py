"""`python -m errkit.cli`: the same as the `errkit` command."""

from errkit.cli import main

main()
