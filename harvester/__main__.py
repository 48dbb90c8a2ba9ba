"""``python -m harvester`` runs the command line."""

from harvester.cli import main

if __name__ == "__main__":
    main()
