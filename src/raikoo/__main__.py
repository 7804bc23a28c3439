"""``python -m raikoo`` is the ``raikoo`` command."""

from raikoo.cli import main

main()
