"""``python -m policy_tracker`` and the ``policy-tracker`` command run the command-line interface."""

import sys


def run() -> int:
    """Run the command line; Ctrl-C ends it quietly (exit 130), even while its modules are still being imported."""
    try:
        from .cli import main

        return main()
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted\n")
        return 130


if __name__ == "__main__":
    sys.exit(run())
